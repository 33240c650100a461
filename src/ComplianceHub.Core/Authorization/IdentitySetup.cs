using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Identity settings shared by the portal and the CLI, so an account created from either obeys the same
/// password and lockout policy.
/// </summary>
public static class IdentitySetup
{
    /// <summary>Failed sign-ins that lock an account (DoD: 3 consecutive within 15 minutes).</summary>
    public const int MaxFailedSignIns = 3;

    /// <summary>The window in which failures count, and how long the lockout lasts.</summary>
    public static readonly TimeSpan LockoutWindow = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted (DoD: 15 characters).</summary>
    public const int MinimumPasswordLength = 15;

    /// <summary>
    /// A new password may not be any of this many most recent ones, the current one included (the DoD application SRG:
    /// "prohibit password reuse for a minimum of five generations").
    /// </summary>
    public const int PasswordGenerations = 5;

    /// <summary>Applies the portal's password, lockout and user rules.</summary>
    public static void Configure(IdentityOptions options)
    {
        // DoD password guidance: at least 15 characters with all four character classes.
        options.Password.RequiredLength = MinimumPasswordLength;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = true;
        options.Password.RequiredUniqueChars = 6;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        options.Lockout.DefaultLockoutTimeSpan = LockoutWindow;

        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false; // accounts are created by administrators, not self-registered
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
    }

    /// <summary>Identity without cookies or sign-in (for the CLI); the portal adds its own on top.</summary>
    public static IdentityBuilder AddComplianceHubIdentityCore(this IServiceCollection services) =>
        services.AddIdentityCore<ApplicationUser>(Configure)
            .AddRoles<ApplicationRole>()
            .AddEntityFrameworkStores<ComplianceDbContext>()
            .AddPasswordValidator<CommonPasswordValidator>();
}
