using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplianceHub.Tests.Shared;

/// <summary>
/// The real portal (Program) on a test database, connecting as the application role like production.
/// Migrations are applied by <see cref="TestDatabase"/> beforehand, as the deploy step does.
/// </summary>
public class PortalFactory(TestDatabase database, TimeProvider? clock = null) : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:ComplianceHub", Database.AppConnectionString);
        // Test logs go to the temp folder, not under the source tree.
        builder.UseSetting("Serilog:WriteTo:File:Args:path", Path.Combine(Path.GetTempPath(), "compliancehub-tests", "log-.json"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Tests send ReevaluateGrants themselves; a background run would race them.
        builder.UseSetting("Scheduler:Enabled", "false");
        // The key files outside the database (issue 19): one set for the whole test run, made on first use.
        builder.UseSetting("Keys:Folder", TestKeys.Folder);
        // The append-only checkpoint file belongs to one installation (one database): each test database gets its own.
        builder.UseSetting("Audit:CheckpointLogPath", CheckpointLogPath);
        // The suite signs in, imports and exports hundreds of times a minute from one address: it runs under its own, higher
        // limits, as the benchmark does. RateLimitTests prove the limits at the installation's defaults.
        builder.UseSetting("RateLimits:SignInPerAddress", "100000");
        builder.UseSetting("RateLimits:ImportsPerAccount", "100000");
        builder.UseSetting("RateLimits:ExportsPerAccount", "100000");
        builder.UseSetting("RateLimits:ApiPerCaller", "1000000");
        // The geolocation database the scripts install (ADR 0047), when it is; GeolocationTests fail without it.
        if (GeolocationFiles.Find() is { } geolocation)
        {
            builder.UseSetting("Geolocation:DatabasePath", geolocation);
        }
        if (clock is not null)
        {
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(clock)));
        }
    }

    /// <summary>This portal's append-only checkpoint file (ADR 0031), in the temp folder, named after its database.</summary>
    public string CheckpointLogPath => Path.Combine(Path.GetTempPath(), "compliancehub-tests", "checkpoints", $"{Database.Name}.jsonl");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // The folder exists only once some portal of the run signed a checkpoint: a test run (or a filter) where none did has no
        // file and no folder to delete from.
        if (File.Exists(CheckpointLogPath))
        {
            File.Delete(CheckpointLogPath);
        }
    }

    /// <summary>The test run's key files (data-protection certificate, audit signing key) in the temp folder.</summary>
    public static class TestKeys
    {
        private static readonly Lazy<string> Created = new(() =>
        {
            var folder = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "keys");
            Core.Security.KeyFiles.Create(folder);
            return folder;
        });

        public static string Folder => Created.Value;

        /// <summary>The audit signing key's public half, as an auditor is given it out of band.</summary>
        public static string PublicKeyFile => Path.Combine(Folder, Core.Security.KeyFiles.AuditSigningPublicKeyFile);

        /// <summary>The public key the portal's packages and checkpoints verify with.</summary>
        public static Core.Security.AuditSigningKey PublicKey => Public.Value;

        /// <summary>The portal's own signing key: for tests that sign checkpoints, or re-sign a package to test the other checks alone.</summary>
        public static Core.Security.AuditSigningKey SigningKey => Signing.Value;

        private static readonly Lazy<Core.Security.AuditSigningKey> Public = new(() => Core.Security.AuditSigningKey.Load(PublicKeyFile));
        private static readonly Lazy<Core.Security.AuditSigningKey> Signing = new(() => Core.Security.KeyFiles.InFolder(Folder).LoadAuditSigningKey());
    }

    /// <summary>Adds the demo vendors, systems, people and accounts through the production seeder.</summary>
    public async Task SeedDemoAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("Development");
    }

    /// <summary>Creates one account through the production account service.</summary>
    public async Task<Guid> CreateAccountAsync(string email, string role, Guid? vendorId = null, string password = DemoSeeder.DemoPassword,
        bool serviceAccount = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(Actor.ServerOperator, new NewAccount(email, email.Split('@')[0], role, vendorId, password, ServiceAccount: serviceAccount));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        return result.UserId!.Value;
    }
}
