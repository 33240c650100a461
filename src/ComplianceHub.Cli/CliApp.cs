using ComplianceHub.Cli.Scale;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ComplianceHub.Cli;

/// <summary>The commands of the ComplianceHub CLI.</summary>
public static class CliApp
{
    private const string Usage = """
        Usage: ComplianceHub.Cli <command> [options]

        Commands:
          provision            create the owner and application roles and the database if missing
                               (superuser connection: ConnectionStrings:PostgresSuperuser; passwords from
                               CH_OWNER_PASSWORD / CH_APP_PASSWORD when set)
          migrate --check      say, changing nothing, whether the database is at this build's migration head: exit 0 yes,
                               4 migrations pending (run migrate), 3 built by migrations this build does not have
          migrate [--recreate-retired]
                               apply pending migrations as the owner role (ConnectionStrings:ComplianceHubOwner); a
                               database built by migrations this build does not have (squashed into one baseline,
                               ADR 0032) is refused, unchanged, with exit code 3; --recreate-retired (Development only,
                               scripts/run.sh) drops such a database, provisions it again (PostgresSuperuser) and migrates
          seed                 add the demo data and demo accounts (refused in Production)
                               [--scale <fraction>] [--people <n>] [--grants <n>] [--audit-events <n>]: then add a scale
                               population on top (full scale: 200,000 people, 1,000,000 grants, 10,000,000 audit events;
                               --scale 0.1 is a tenth); written with binary COPY, receipts and a valid hash chain, signed
                               with a checkpoint every 10,000 events (the key of Keys; the file Audit:CheckpointLogPath)
          bench [--quick] [--scale <fraction>] [--timeout <seconds>] [--only <measure words, comma-separated>] [--web <dll>]
                               measure the portal against hand-written SQL on a seeded scale population (one table:
                               portal time, baseline, ratio, goal, peak memory); scripts/bench.sh runs it end to end;
                               --only "grant request,roster page" runs the measures whose names contain those words;
                               [--web <ComplianceHub.Web.dll>]: the portal the circuit measure starts (without it, not run)
          create-user          create an account:
                               --email <e> --name <display name> --role <Administrator|ContractingOfficer|VendorRepresentative|Auditor>
                               [--vendor <vendor legal name>]  (password from CH_NEW_PASSWORD; the holder must
                               change it at the first sign-in unless --permanent-password)
          demo-accounts        print the demo accounts
          dev-pki create --folder <dir> --crl-url <http://127.0.0.1:port> [--server-name <name>]
                               write a development PKI (root and ID CA, a localhost TLS certificate, smart card
                               certificates for the demo accounts plus a revoked and an expired one; .p12 password
                               "compliancehub"); never for production
          dev-pki serve --folder <dir> --port <port>
                               serve its CRLs over HTTP until stopped (the distribution point the certificates name)
          checkpoint           sign a checkpoint of the audit chain's head now (after checking the events since the last
                               one) as the server operator, with the key of Keys; appended to Audit:CheckpointLogPath too;
                               exit 0 signed or nothing to sign, 1 refused (an integrity finding is opened), 2 could not run
          verify-chain         walk the whole audit chain as the server operator: every event's hash and link, every signed
                               checkpoint (table and Audit:CheckpointLogPath) against the trusted keys of Keys; prints the
                               head (event and hash); exit 0 verified, 1 a problem found (named), 2 could not run
          keys create --folder <dir>
                               write the portal's key files, each readable by this account only: the data-protection
                               certificate (the key ring in the database is encrypted to it) and the audit signing key
                               (ECDSA P-256) with its public half; existing files are kept; set Keys__Folder=<dir>
          keys show --folder <dir>
                               print the audit signing key's id (SHA-256 of its public key) and its public key
          verify-state         compare the audited tables (people, grants, escort assignments, findings, policy versions,
                               systems, vendors) with the audit trail as the server operator; print every row the trail
                               does not explain; exit 0 clean, 1 rows unexplained, 2 could not run (audited, event 8400)
          verify-evidence <zip> [--public-key <pem>]...
                               verify an evidence package offline (no database): the manifest's signature against the
                               audit signing public key given out of band (repeat for keys rotated out; without it, only
                               against the key inside the package: integrity, not origin), every file against the
                               manifest's SHA-256, the audit events' hash chain and canonical lines, and each chain
                               checkpoint; exit 0 valid, 1 problems found (or unsigned with a key given), 2 unreadable
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // dotnet-ef runs this entry point to look for a host; the design-time factory in Core answers instead.
        if (EF.IsDesignTime)
        {
            return 0;
        }
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        // Offline: needs neither configuration nor a database.
        if (args[0] == "verify-evidence")
        {
            return VerifyEvidenceCommand.Run(args[1..], Console.Out, Console.Error);
        }
        if (args[0] == "keys")
        {
            return KeysCommand.Run(args[1..], Console.Out, Console.Error);
        }
        if (args[0] == "dev-pki")
        {
            return await DevelopmentPkiCommand.RunAsync(args[1..], Console.Out, Console.Error);
        }

        // Configuration sits beside the binary, so the CLI behaves the same from any working directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.Skip(1).Where(a => a.Contains('=')).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        var config = builder.Configuration;

        try
        {
            switch (args[0])
            {
                case "provision":
                {
                    var superuser = Required(config, ConnectionStringNames.Superuser);
                    var database = new NpgsqlConnectionStringBuilder(Required(config, ConnectionStringNames.Owner)).Database
                        ?? throw new InvalidOperationException("The owner connection string names no database.");
                    await DatabaseProvisioner.EnsureAsync(superuser, database,
                        Environment.GetEnvironmentVariable("CH_OWNER_PASSWORD"), Environment.GetEnvironmentVariable("CH_APP_PASSWORD"));
                    Console.WriteLine($"provisioned database {database} (roles {DatabaseRoles.Owner}, {DatabaseRoles.App})");
                    return 0;
                }
                case "migrate" when args.Contains("--check"):
                    return await MigrateCommand.CheckAsync(Required(config, ConnectionStringNames.Owner), Console.Out, Console.Error);
                case "migrate":
                    return await MigrateCommand.RunAsync(Required(config, ConnectionStringNames.Owner),
                        () => Required(config, ConnectionStringNames.Superuser), args.Contains("--recreate-retired"),
                        builder.Environment.IsDevelopment(), Core.Auditing.CheckpointLog.From(config, null).Path, Console.Out, Console.Error);
                case "seed":
                {
                    using var host = BuildDataHost(builder);
                    await using var scope = host.Services.CreateAsyncScope();
                    var scale = ScaleSize.FromArgs(args[1..]);
                    var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
                        .SeedAsync(builder.Environment.EnvironmentName);
                    Console.WriteLine($"seeded {result.Vendors} vendors, {result.Systems} systems, {result.People} people, {result.Accounts} accounts");
                    if (scale is not null)
                    {
                        await using var scaleScope = host.Services.CreateAsyncScope();
                        // Checkpoints every 10,000 events with the configured signing key, as the portal signs them (ADR 0031).
                        await new ScaleSeeder(scaleScope.ServiceProvider.GetRequiredService<ComplianceDbContext>(), TimeProvider.System,
                            Required(config, ConnectionStringNames.App), Console.Out, scaleScope.ServiceProvider.GetRequiredService<Core.Security.AuditKeyRing>(),
                            scaleScope.ServiceProvider.GetRequiredService<Core.Auditing.CheckpointLog>()).SeedAsync(scale);
                    }
                    return 0;
                }
                case "bench":
                    return await BenchAsync(builder, args);
                case "verify-state":
                {
                    using var host = BuildDataHost(builder);
                    await using var scope = host.Services.CreateAsyncScope();
                    return await VerifyStateCommand.RunAsync(scope.ServiceProvider.GetRequiredService<Core.Auditing.StateVerifier>(), Console.Out, Console.Error);
                }
                case "verify-chain":
                {
                    using var host = BuildDataHost(builder);
                    await using var scope = host.Services.CreateAsyncScope();
                    return await VerifyChainCommand.RunAsync(scope.ServiceProvider.GetRequiredService<Core.Auditing.AuditChainVerifier>(),
                        Console.Out, Console.Error);
                }
                case "checkpoint":
                {
                    using var host = BuildDataHost(builder);
                    await using var scope = host.Services.CreateAsyncScope();
                    return await CheckpointCommand.RunAsync(scope.ServiceProvider.GetRequiredService<Core.Auditing.ChainCheckpointSigner>(),
                        Console.Out, Console.Error);
                }
                case "create-user":
                    return await CreateUserAsync(builder, args);
                case "demo-accounts":
                    foreach (var (email, name, role, _) in DemoSeeder.Accounts)
                    {
                        Console.WriteLine($"  {email,-24} {Roles.DisplayName(role),-22} {name}");
                    }
                    Console.WriteLine($"  password for all: {DemoSeeder.DemoPassword}");
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }

    private static IHost BuildDataHost(HostApplicationBuilder builder)
    {
        builder.Services.AddComplianceHubCore(builder.Configuration, builder.Environment.IsDevelopment());
        builder.Services.AddComplianceHubIdentityCore();
        return builder.Build();
    }

    private static async Task<int> CreateUserAsync(HostApplicationBuilder builder, string[] args)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var email = Option("--email");
        var name = Option("--name");
        var role = Option("--role");
        var vendorName = Option("--vendor");
        var password = Environment.GetEnvironmentVariable("CH_NEW_PASSWORD");
        if (email is null || name is null || role is null || string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("create-user needs --email, --name, --role and the password in CH_NEW_PASSWORD.");
            return 2;
        }

        using var host = BuildDataHost(builder);
        await using var scope = host.Services.CreateAsyncScope();
        Guid? vendorId = null;
        if (vendorName is not null)
        {
            var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
            vendorId = await db.Vendors.Where(v => v.Name == vendorName).Select(v => (Guid?)v.Id).SingleOrDefaultAsync();
            if (vendorId is null)
            {
                Console.Error.WriteLine($"No vendor named '{vendorName}'.");
                return 1;
            }
        }
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(Actor.ServerOperator, new NewAccount(email, name, role, vendorId, password,
                TemporaryPassword: !args.Contains("--permanent-password")));
        if (!result.Succeeded)
        {
            foreach (var (field, messages) in result.Errors)
            {
                Console.Error.WriteLine($"{field}: {string.Join(" ", messages)}");
            }
            return 1;
        }
        Console.WriteLine($"created {role} account {email}");
        return 0;
    }

    private static async Task<int> BenchAsync(HostApplicationBuilder builder, string[] args)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var scale = args.Contains("--quick") ? 0.1 : Option("--scale") is { } f ? double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        var limit = TimeSpan.FromSeconds(Option("--timeout") is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : 150);
        var options = BenchOptions.ForScale(scale, limit) with
        {
            Only = Option("--only") is { } only ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [],
            WebApp = Option("--web"),
        };
        using var host = BuildDataHost(builder);
        var bench = new Bench(host.Services, Required(builder.Configuration, ConnectionStringNames.App),
            builder.Configuration.GetConnectionString(ConnectionStringNames.Owner), TimeProvider.System, Console.Out);
        await bench.RunAsync(options, args.Contains("--quick") ? "quick (1/10)" : scale >= 1 ? "full" : $"1/{1 / scale:F0}");
        return 0;
    }

    private static string Required(IConfiguration config, string name) =>
        config.GetConnectionString(name)
        ?? throw new InvalidOperationException($"Connection string '{name}' is not configured (ConnectionStrings__{name}).");
}
