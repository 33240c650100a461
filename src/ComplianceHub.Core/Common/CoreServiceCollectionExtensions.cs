using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Security;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
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

    /// <summary>
    /// Data layer, data-protection key ring in the database encrypted to a certificate outside it, validators, queries and
    /// services. <paramref name="development"/> lets a missing key configuration fall back to the generated development keys.
    /// </summary>
    public static IServiceCollection AddComplianceHubCore(this IServiceCollection services, IConfiguration configuration, bool development = false)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddComplianceHubData(configuration);
        // The key ring lives in PostgreSQL so a second instance accepts the first one's cookies and antiforgery tokens; each key is
        // encrypted to the data-protection certificate, whose private key is a file on the host (issue 19): reading the table
        // gives no key. Without the files the ring refuses to store a key in the clear (outside Development the portal stops
        // at start, see PortalHosting).
        var keys = KeyFiles.Resolve(configuration, development);
        var dataProtection = services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<ComplianceDbContext>();
        if (keys is not null)
        {
            var certificate = keys.LoadDataProtectionCertificate();
            dataProtection.ProtectKeysWithCertificate(certificate)
                .UnprotectKeysWithAnyCertificate([certificate, .. keys.LoadPreviousDataProtectionCertificates()]);
            services.AddSingleton(keys);
        }
        else
        {
            services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new RefuseUnencryptedKeys());
        }
        // Validators hold no state and are costly to build (their rules are compiled expressions): one of each.
        services.AddValidatorsFromAssemblyContaining<AccountService>(ServiceLifetime.Singleton, includeInternalTypes: true);
        // Holds no context: each operation makes a scope of its own, so a page may keep it for its whole circuit.
        services.AddSingleton<AccountService>();
        services.AddSingleton<SignInAttempts>();
        services.AddSingleton<UserSessions>();
        services.AddSingleton<OfficeScopes>();
        services.AddSingleton<SecondFactors>();
        services.AddScoped<AccountDirectory>();
        services.AddScoped<Auditing.AuditChainVerifier>();
        services.AddScoped<Auditing.StateVerifier>();
        // Holds no context: each batch of the audit off-load (ADR 0039) makes its own.
        services.AddSingleton<Auditing.AuditOffloader>();
        // The audit signing keys the installation trusts and the append-only checkpoint file, both outside the database (ADR 0031).
        services.AddSingleton(sp => sp.GetService<KeyFiles>() is { } files ? AuditKeyRing.Load(files) : AuditKeyRing.Empty);
        services.AddSingleton(sp => Auditing.CheckpointLog.From(configuration, sp.GetService<KeyFiles>()));
        services.AddScoped<Auditing.ChainCheckpointSigner>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Auditing.AuditNotes>();
        services.AddScoped<Features.Evidence.EvidencePackageBuilder>();
        services.AddScoped<Exports.ExportService>();
        services.AddScoped<Exports.OscalPoamExport>();
        services.AddScoped<Features.AccessReviews.AccessReviewReport>();
        services.AddScoped<Features.Grants.AccessExport>();
        services.AddSingleton(sp => new Features.Policy.ReevaluationRunner(sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.ComplianceDbContext>>(),
            configuration.GetValue("Reevaluation:BatchSize", Features.Policy.ApplyReevaluationBatch.DefaultBatchSize),
            sp.GetService<Microsoft.Extensions.Logging.ILogger<Features.Policy.ReevaluationRunner>>()
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<Features.Policy.ReevaluationRunner>.Instance));
        // The offline geolocation database (ADR 0047): one per process, read into memory; the portal refreshes it every
        // Geolocation:RefreshEvery so that a database an administrator loaded is in force on every instance.
        services.AddOptions<Features.AccessLogs.GeolocationOptions>().Bind(configuration.GetSection(Features.AccessLogs.GeolocationOptions.Section));
        services.AddSingleton<Features.AccessLogs.Geolocator>();
        services.AddSingleton<Features.AccessLogs.IGeolocator>(sp => sp.GetRequiredService<Features.AccessLogs.Geolocator>());
        services.AddScoped<CommandExecutor>();
        // Idempotency keys of API writes (ADR 0041): how long they live, how a claim is held; the store holds no context.
        services.AddOptions<Idempotency.IdempotencyOptions>().Bind(configuration.GetSection("Idempotency"));
        services.AddSingleton<Idempotency.IdempotencyStore>();
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
