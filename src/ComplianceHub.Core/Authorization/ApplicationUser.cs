using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// A portal account. There is no self-registration: administrators create accounts
/// (<see cref="AccountService"/>). A vendor representative is bound to exactly one vendor.
/// </summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    /// <summary>Name shown in the portal and written as the actor of audit events.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The vendor a vendor representative acts for; null for every other role.</summary>
    public Guid? VendorId { get; set; }

    /// <summary>
    /// Times of the recent failed sign-ins (at most <see cref="IdentitySetup.MaxFailedSignIns"/>, none older than
    /// <see cref="IdentitySetup.LockoutWindow"/>): the DoD rule counts failures within a window, which Identity's
    /// consecutive-failure counter cannot express.
    /// </summary>
    public List<DateTimeOffset> RecentFailedSignIns { get; set; } = [];

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The latest successful sign-in.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>One of <see cref="Roles"/>.</summary>
public sealed class ApplicationRole : IdentityRole<Guid>
{
    public ApplicationRole() { }

    public ApplicationRole(string name) : base(name)
    {
        NormalizedName = name.ToUpperInvariant();
    }
}
