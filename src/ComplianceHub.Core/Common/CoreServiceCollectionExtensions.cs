using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplianceHub.Core.Common;

/// <summary>The composition of Core, shared by the portal and the CLI.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>Application name shared by every instance, so they read one another's data-protection payloads.</summary>
    public const string DataProtectionApplicationName = "ComplianceHub";

    /// <summary>Data layer, data-protection key ring in the database, validators, queries and services.</summary>
    public static IServiceCollection AddComplianceHubCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddComplianceHubData(configuration);
        // Keys live in PostgreSQL so a second instance accepts the first one's cookies and antiforgery tokens.
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<ComplianceDbContext>();
        // Validators hold no state and are costly to build (their rules are compiled expressions): one of each.
        services.AddValidatorsFromAssemblyContaining<AccountService>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddScoped<AccountService>();
        services.AddSingleton<SignInAttempts>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<OfficeScopes>();
        services.AddSingleton<SecondFactors>();
        services.AddScoped<AccountDirectory>();
        services.AddScoped<Auditing.AuditChainVerifier>();
        services.AddScoped<Auditing.StateVerifier>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Auditing.AuditNotes>();
        services.AddScoped<Evidence.EvidencePackageBuilder>();
        services.AddScoped<Exports.ExportService>();
        services.AddScoped<Features.Grants.AccessExport>();
        services.AddSingleton(sp => new Features.Policy.ReevaluationRunner(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.ComplianceDbContext>>(),
            configuration.GetValue("Reevaluation:BatchSize", Features.Policy.ApplyReevaluationBatch.DefaultBatchSize),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<Features.Policy.ReevaluationRunner>>()
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<Features.Policy.ReevaluationRunner>.Instance));
        services.AddScoped<CommandExecutor>();
        services.AddScoped<Authorization.ApiTokenAuthenticator>();
        // Every read model of Core (a public class whose name ends in "Query"), found by type.
        foreach (var type in typeof(CommandExecutor).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.Name.EndsWith("Query", StringComparison.Ordinal)))
        {
            services.TryAddScoped(type);
        }
        // Every command handler of Core, found by type (no mediator library).
        foreach (var type in typeof(CommandExecutor).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>)))
            {
                services.AddTransient(contract, type);
            }
        }
        return services;
    }

    /// <summary>
    /// Identity's EF stores, the portal's claims (vendor binding) and the password rules beyond length and characters (no
    /// common password, not the holder's name) on top of an Identity builder.
    /// </summary>
    public static IdentityBuilder AddComplianceHubStores(this IdentityBuilder builder) =>
        builder.AddEntityFrameworkStores<ComplianceDbContext>()
            .AddClaimsPrincipalFactory<ComplianceClaimsPrincipalFactory>()
            .AddPasswordValidator<CommonPasswordValidator>();
}
