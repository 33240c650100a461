using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Contracts;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using ComplianceHub.Core.Features.Screening;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Data.Seeding;

/// <summary>
/// Demo data for development and demonstrations: the demo accounts of README.md, three vendors, systems at every
/// impact level and about sixty people of varied citizenships and work locations. Idempotent (a second run adds
/// nothing) and refused in Production.
/// </summary>
public sealed class DemoSeeder(ComplianceDbContext db, AccountService accounts, TimeProvider timeProvider)
{
    /// <summary>The password of every demo account (development only).</summary>
    public const string DemoPassword = "Demo!2026-ComplianceHub";

    public static readonly Guid AcmeId = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");
    public static readonly Guid GlobexId = Guid.Parse("0199a000-0000-7000-8000-00000000970b");
    public static readonly Guid InitechId = Guid.Parse("0199a000-0000-7000-8000-0000000017ec");

    /// <summary>The demo accounts: email, display name, role, vendor.</summary>
    public static IReadOnlyList<(string Email, string Name, string Role, Guid? VendorId)> Accounts { get; } =
    [
        ("admin@demo.local", "Avery Admin", Roles.Administrator, null),
        ("co1@demo.local", "Casey Officer", Roles.ContractingOfficer, null),
        ("co2@demo.local", "Morgan Officer", Roles.ContractingOfficer, null),
        ("co3@demo.local", "Drew Officer", Roles.ContractingOfficer, null),
        ("auditor@demo.local", "Jordan Auditor", Roles.Auditor, null),
        ("rep@acme.demo.local", "Riley Acme", Roles.VendorRepresentative, AcmeId),
        ("rep@globex.demo.local", "Taylor Globex", Roles.VendorRepresentative, GlobexId),
    ];

    /// <summary>
    /// The DoD ID numbers (EDIPI) the demo accounts' smart cards carry: the development PKI <c>scripts/run.sh</c> makes issues
    /// cards with them, and the seed binds each account to its card. The Globex representative has none (password only).
    /// </summary>
    public static IReadOnlyDictionary<string, string> SmartCards { get; } = new Dictionary<string, string>
    {
        ["admin@demo.local"] = "1000000001",
        ["co1@demo.local"] = "1000000002",
        ["co2@demo.local"] = "1000000003",
        ["auditor@demo.local"] = "1000000004",
        ["rep@acme.demo.local"] = "1000000005",
    };

    public static readonly Guid DitcoId = Guid.Parse("0199a000-0000-7000-8000-0000000000f1");
    public static readonly Guid NavwarId = Guid.Parse("0199a000-0000-7000-8000-0000000000f2");

    /// <summary>
    /// The demo's contracting offices (ADR 0028): DITCO-Scott holds the three demo contracts; NAVWAR holds a second Globex
    /// contract only, so its officer (co3) sees Globex and nothing of Acme or Initech. co1, co2 and the auditor act
    /// installation-wide.
    /// </summary>
    public static IReadOnlyDictionary<string, Guid> Offices { get; } = new Dictionary<string, Guid>
    {
        ["co3@demo.local"] = NavwarId,
    };

    /// <summary>What a seed run did.</summary>
    public sealed record Result(int Vendors, int Systems, int People, int Accounts);

    /// <summary>Seeds what is missing. Throws in the Production environment.</summary>
    public async Task<Result> SeedAsync(string environmentName, CancellationToken ct = default)
    {
        if (string.Equals(environmentName, "Production", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The demo seed refuses to run in Production: it creates accounts with a published password.");
        }

        using var audit = AuditScope.Begin(Actor.ServerOperator, "seed.demo");
        int vendors = 0, systems = 0, people = 0, accountsCreated = 0;
        if (!await db.Vendors.AnyAsync(ct))
        {
            db.Vendors.AddRange(
                new Vendor(AcmeId, "Acme Cloud Services", "1ACM5", "ACMECLOUD001"),
                new Vendor(GlobexId, "Globex Federal", "2GLBX", "GLOBEXFED002"),
                new Vendor(InitechId, "Initech Defense Solutions", "3INTC", "INITECHDEF03"));
            db.Systems.AddRange(DemoSystems());
            var roster = DemoPeople().ToList();
            db.People.AddRange(roster);
            await db.SaveChangesAsync(ct);
            (vendors, systems, people) = (3, DemoSystems().Count(), roster.Count);
        }

        if (!await db.ContractingOffices.AnyAsync(ct))
        {
            db.ContractingOffices.AddRange(
                new ContractingOffice(DitcoId, "HC1028", "DITCO-Scott"),
                new ContractingOffice(NavwarId, "N00039", "NAVWAR"));
            await db.SaveChangesAsync(ct);
        }
        foreach (var (email, name, role, vendorId) in Accounts)
        {
            if (await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => new { u.Id, u.SmartCardIdentity })
                    .SingleOrDefaultAsync(ct) is { } existing)
            {
                // A database seeded before smart cards: its demo accounts get their cards too, unless bound otherwise since.
                if (existing.SmartCardIdentity is null && SmartCards.TryGetValue(email, out var card)
                    && !await db.Users.AnyAsync(u => u.SmartCardIdentity == card + "@mil", ct))
                {
                    await accounts.BindSmartCardAsync(Actor.ServerOperator, existing.Id, card, ct);
                }
                continue;
            }
            var office = Offices.TryGetValue(email, out var o) && await db.ContractingOffices.AnyAsync(x => x.Id == o, ct) ? o : (Guid?)null;
            var result = await accounts.CreateAsync(Actor.ServerOperator, new NewAccount(email, name, role, vendorId, DemoPassword, OfficeId: office), ct);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo account {email}: " +
                    string.Join("; ", result.Errors.SelectMany(e => e.Value)));
            }
            if (SmartCards.TryGetValue(email, out var edipi))
            {
                await accounts.BindSmartCardAsync(Actor.ServerOperator, result.UserId!.Value, edipi, ct);
            }
            accountsCreated++;
        }
        await SeedContractsAsync(ct);
        await SeedScreeningListAsync(ct);
        await SeedContributionsAsync(ct);
        return new Result(vendors, systems, people, accountsCreated);
    }

    /// <summary>
    /// A small invented restricted-party list (version 1), screened against the demo roster the way an import is: one
    /// demo staff member's name matches an entry, so the demo shows a hit awaiting adjudication.
    /// </summary>
    private async Task SeedScreeningListAsync(CancellationToken ct)
    {
        if (await db.RestrictedPartyLists.AnyAsync(ct))
        {
            return;
        }
        const string csv =
            "source,entity_number,type,programs,name,alt_names,addresses,country,federal_register_notice,start_date,end_date,source_list_url\n" +
            "Demo Restricted List (invented),D-0001,Individual,DEMO,\"MORENO, Iris\",Iris Moreno-Vidal,\"Caracas, VE\",VE,,2024-01-15,,https://example.invalid/demo\n" +
            "Demo Restricted List (invented),D-0002,Individual,DEMO,\"VOLKOV, Dmitri\",Dima Volkov,\"Moscow, RU\",RU,,2023-06-01,,https://example.invalid/demo\n" +
            "Demo Restricted List (invented),D-0003,Entity,DEMO,Northwind Trading Co,Northwind Intl,\"Shenzhen, CN\",CN,,2022-09-30,,https://example.invalid/demo\n" +
            "Demo Restricted List (invented),D-0004,Vessel,DEMO,Golden Lotus,,,IR,,2021-02-11,,https://example.invalid/demo\n";
        var parsed = await ConsolidatedScreeningList.ParseAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), ct);
        var list = new RestrictedPartyList(Guid.Parse("0199a000-0000-7000-8000-00000000d001"), 1, "demo-restricted-parties.csv", parsed.Sha256,
            parsed.Parties.Count, Actor.ServerOperator.UserId, Actor.ServerOperator.DisplayName, timeProvider.GetUtcNow());
        db.RestrictedPartyLists.Add(list);
        var entries = parsed.Parties.Select(p => new RestrictedPartyEntry(Guid.CreateVersion7(), list.Id, p)).ToList();
        db.RestrictedPartyEntries.AddRange(entries);
        var people = await db.People.AsNoTracking().Where(p => p.EmploymentStatus == EmploymentStatus.Active).ToListAsync(ct);
        db.FactSource = FactSource.Screening;
        await Screener.ScreenAsync(db, ScreeningIndexCache.Build(list.Id, 1, entries), people, ScreeningSettings.Default, timeProvider.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        db.FactSource = null;
    }

    /// <summary>
    /// Code contributions to Initech's IL6 enclave over the last six weeks, by Initech people and by one address nobody on the
    /// roster has — saved through the gate, which matches the authors and flags each change from their facts that day — so
    /// the review queue, the unmatched authors and the dashboard have something to show.
    /// </summary>
    private async Task SeedContributionsAsync(CancellationToken ct)
    {
        if (await db.CodeContributions.AnyAsync(ct))
        {
            return;
        }
        var authors = await db.People.AsNoTracking().Where(p => p.VendorId == InitechId).OrderBy(p => p.EmployeeId).Take(6)
            .Select(p => new { p.FullName, p.Email }).ToListAsync(ct);
        var enclave = Guid.Parse("0199a000-0000-7000-8000-000000005601");
        var now = timeProvider.GetUtcNow();
        string[] titles =
        [
            "Harden sshd configuration", "Rotate service account keys", "Add telemetry exporter", "Bump base image to 2026.11",
            "Open egress to update mirror", "Fix log retention job", "Refactor deployment pipeline", "Disable audit hook during migration",
            "Add break-glass account", "Tune WAF rules",
        ];
        var rows = new List<Domain.Contributions.CodeContribution>();
        for (var i = 0; i < titles.Length; i++)
        {
            var (name, email) = i == 7 ? ("Build Contractor", "contractor@offshore-dev.example") : (authors[i % authors.Count].FullName, authors[i % authors.Count].Email);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes($"demo-commit-{i}")));
            rows.Add(new Domain.Contributions.CodeContribution(Guid.CreateVersion7(), InitechId, enclave, "enclave-infra", hash, name, email,
                now.AddDays(-40 + i * 4).AddHours(-3), titles[i], $"https://git.initech.example/enclave-infra/commit/{hash}",
                Domain.Contributions.ContributionSource.GitLog, Actor.ServerOperator.UserId, Actor.ServerOperator.DisplayName, now));
        }
        db.CodeContributions.AddRange(rows);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>One contract per demo vendor, with the demo contracting officers responsible, covering the vendor's systems.</summary>
    private async Task SeedContractsAsync(CancellationToken ct)
    {
        var officers = await db.AccountsInRole(Roles.ContractingOfficer).OrderBy(id => id).ToListAsync(ct);
        if (officers.Count == 0)
        {
            return;
        }
        static Guid System(string suffix) => Guid.Parse($"0199a000-0000-7000-8000-00000000{suffix}");
        var ditco = await db.ContractingOffices.AnyAsync(o => o.Id == DitcoId, ct) ? DitcoId : (Guid?)null;
        var navwar = await db.ContractingOffices.AnyAsync(o => o.Id == NavwarId, ct) ? NavwarId : (Guid?)null;
        if (!await db.Contracts.AnyAsync(ct))
        {
            db.Contracts.AddRange(
                new Contract(Guid.Parse("0199a000-0000-7000-8000-00000000c001"), AcmeId, "HC1028-25-C-0042", "Army and Air Force cloud operations support",
                    new DateOnly(2025, 10, 1), new DateOnly(2027, 9, 30), officers, [System("5201"), System("5401"), System("5502")], ditco),
                new Contract(Guid.Parse("0199a000-0000-7000-8000-00000000c002"), GlobexId, "N00039-26-F-0107", "Navy records and DLA collaboration hosting",
                    new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), officers.Take(1), [System("5402"), System("5501")], ditco),
                new Contract(Guid.Parse("0199a000-0000-7000-8000-00000000c003"), InitechId, "HQ0034-24-D-0003", "Joint enclave engineering",
                    new DateOnly(2024, 6, 1), new DateOnly(2029, 5, 31), officers.Skip(officers.Count - 1), [System("5601")], ditco));
            await db.SaveChangesAsync(ct);
        }
        // A demo database seeded before offices: DITCO-Scott takes the three demo contracts no office holds yet.
        if (ditco is not null)
        {
            var demoContracts = new[] { "c001", "c002", "c003" }.Select(suffix => Guid.Parse($"0199a000-0000-7000-8000-00000000{suffix}")).ToList();
            var unheld = await db.Contracts.Where(c => demoContracts.Contains(c.Id) && c.OfficeId == null).ToListAsync(ct);
            unheld.ForEach(c => c.MoveTo(ditco));
            if (unheld.Count > 0)
            {
                await db.SaveChangesAsync(ct);
            }
        }
        // The NAVWAR office's one contract (also for a database seeded before offices): a Globex option for Navy records.
        var navwarContract = Guid.Parse("0199a000-0000-7000-8000-00000000c004");
        if (navwar is not null && !await db.Contracts.AnyAsync(c => c.Id == navwarContract, ct) && await db.Vendors.AnyAsync(v => v.Id == GlobexId, ct))
        {
            var co3 = await db.Users.Where(u => u.NormalizedEmail == "CO3@DEMO.LOCAL").Select(u => (Guid?)u.Id).SingleOrDefaultAsync(ct);
            db.Contracts.Add(new Contract(navwarContract, GlobexId, "N00039-27-F-0012", "Navy personnel records hosting, option period",
                new DateOnly(2026, 10, 1), new DateOnly(2027, 9, 30), co3 is { } id ? [id] : officers.Take(1), [System("5501")], navwar));
            await db.SaveChangesAsync(ct);
        }
    }

    private static IEnumerable<CloudSystem> DemoSystems() =>
    [
        new(Guid.Parse("0199a000-0000-7000-8000-000000005201"), "milCloud Public Portal", "Acme Cloud Services", "Commercial region", ImpactLevel.IL2),
        new(Guid.Parse("0199a000-0000-7000-8000-000000005401"), "Army Logistics Data Lake", "Acme Cloud Services", "GovCloud", ImpactLevel.IL4),
        new(Guid.Parse("0199a000-0000-7000-8000-000000005402"), "DLA Supplier Collaboration", "Globex Federal", "GovCloud", ImpactLevel.IL4),
        new(Guid.Parse("0199a000-0000-7000-8000-000000005501"), "Navy Personnel Records", "Globex Federal", "DoD-only region", ImpactLevel.IL5),
        new(Guid.Parse("0199a000-0000-7000-8000-000000005502"), "Air Force Maintenance Analytics", "Acme Cloud Services", "DoD-only region", ImpactLevel.IL5),
        new(Guid.Parse("0199a000-0000-7000-8000-000000005601"), "Joint Intelligence Enclave", "Initech Defense Solutions", "Secret region", ImpactLevel.IL6),
    ];

    // A profile is the combination of facts the rules care about; each is used for a few people.
    private sealed record Profile(string[] Citizenships, string Birth, bool Lpr, string Country, string City,
        EmployerType Employer, InvestigationTier Tier, Clearance Clearance, EscortQualification Escort);

    private static readonly Profile[] Profiles =
    [
        new(["US"], "US", false, "US", "Reston", EmployerType.VendorEmployee, InvestigationTier.T5, Clearance.TopSecret, EscortQualification.Engineer),
        new(["US"], "US", false, "US", "San Antonio", EmployerType.VendorEmployee, InvestigationTier.T5, Clearance.Secret, EscortQualification.None),
        new(["US"], "US", false, "US", "Huntsville", EmployerType.VendorEmployee, InvestigationTier.T3, Clearance.Secret, EscortQualification.Operator),
        new(["US"], "US", false, "PR", "San Juan", EmployerType.Subcontractor, InvestigationTier.T3, Clearance.None, EscortQualification.None),
        new(["US"], "US", false, "US", "Seattle", EmployerType.StaffingAgency, InvestigationTier.T1, Clearance.None, EscortQualification.Operator),
        new(["US"], "CU", false, "US", "Miami", EmployerType.VendorEmployee, InvestigationTier.T5, Clearance.Secret, EscortQualification.None),
        new(["IN"], "IN", true, "US", "Herndon", EmployerType.VendorEmployee, InvestigationTier.T3, Clearance.None, EscortQualification.None),
        new(["US", "CN"], "CN", false, "US", "San Jose", EmployerType.VendorEmployee, InvestigationTier.T3, Clearance.None, EscortQualification.None),
        new(["CN"], "CN", false, "CN", "Shanghai", EmployerType.Subcontractor, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["CN"], "CN", false, "HK", "Hong Kong", EmployerType.Subcontractor, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["IN"], "IN", false, "IN", "Bengaluru", EmployerType.Subcontractor, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["GB"], "GB", false, "GB", "Manchester", EmployerType.VendorEmployee, InvestigationTier.T1, Clearance.None, EscortQualification.None),
        new(["RU"], "RU", false, "DE", "Berlin", EmployerType.Subcontractor, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["CA"], "CA", false, "CA", "Ottawa", EmployerType.VendorEmployee, InvestigationTier.T1, Clearance.None, EscortQualification.None),
        new(["PH"], "PH", false, "PH", "Manila", EmployerType.StaffingAgency, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["VE"], "VE", true, "US", "Orlando", EmployerType.StaffingAgency, InvestigationTier.T1, Clearance.None, EscortQualification.None),
        new(["US", "IL"], "IL", false, "US", "Arlington", EmployerType.VendorEmployee, InvestigationTier.T5, Clearance.TopSecret, EscortQualification.Engineer),
        new(["BY"], "BY", false, "PL", "Warsaw", EmployerType.Subcontractor, InvestigationTier.None, Clearance.None, EscortQualification.None),
        new(["US"], "US", false, "GU", "Hagåtña", EmployerType.VendorEmployee, InvestigationTier.T3, Clearance.Confidential, EscortQualification.Operator),
        new(["IR"], "IR", false, "AE", "Dubai", EmployerType.StaffingAgency, InvestigationTier.None, Clearance.None, EscortQualification.None),
    ];

    private static readonly string[] FirstNames =
    [
        "Alex", "Blake", "Cameron", "Dana", "Elliot", "Frances", "Gabriel", "Harper", "Iris", "Jamie",
        "Kai", "Logan", "Maya", "Noel", "Oren", "Parker", "Quinn", "Rowan", "Sasha", "Tatum",
    ];

    private static readonly string[] LastNames =
    [
        "Abbott", "Becker", "Chen", "Diaz", "Evans", "Fischer", "Gupta", "Hughes", "Ivanova", "Jensen",
        "Kowalski", "Li", "Moreno", "Nakamura", "Okafor", "Patel", "Reyes", "Santos", "Tanaka", "Walsh",
    ];

    private static IEnumerable<Person> DemoPeople()
    {
        var vendorsAndSizes = new[] { (AcmeId, "ACME", 25), (GlobexId, "GLX", 20), (InitechId, "INI", 15) };
        var n = 0;
        foreach (var (vendorId, prefix, size) in vendorsAndSizes)
        {
            for (var i = 0; i < size; i++, n++)
            {
                var p = Profiles[(n * 13) % Profiles.Length];
                var first = FirstNames[n % FirstNames.Length];
                var last = LastNames[(n * 3 + i) % LastNames.Length];
                var adjudicated = new DateOnly(2019 + n % 7, 1 + n % 12, 1 + n % 27);
                var person = new Person(
                    Guid.CreateVersion7(), vendorId, $"{prefix}-{1001 + i}", $"{first} {last}",
                    $"{first}.{last}.{n}@{prefix.ToLowerInvariant()}.example".ToLowerInvariant(), p.Employer,
                    p.Citizenships, p.Birth, p.Lpr, p.Country, p.City);
                person.WithVetting(p.Tier, p.Tier == InvestigationTier.None ? null : adjudicated, n % 3 == 0, p.Clearance,
                        n % 5 == 4 ? null : new DateOnly(2025, 1 + n % 12, 10))
                    .WithEscortQualification(p.Escort, new DateOnly(2026, 1 + n % 9, 15))
                    // Attested between 3 and 200 days before the demo date, so some attestations are due or overdue.
                    .WithAttestation(new DateOnly(2026, 11, 25).AddDays(-(3 + n * 37 % 198)));
                yield return person;
            }
        }
    }
}
