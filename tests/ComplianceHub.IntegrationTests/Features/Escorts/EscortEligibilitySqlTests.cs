using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ComplianceHub.Core.Gate;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>
/// Escort qualification is defined once (<see cref="EscortEligibility"/>): the rules run it in C#, the read models as the
/// SQL EF builds from the same expressions (<see cref="EscortSupervision.QualifiedEscorts"/>, the escort board's
/// <c>Valid</c>). One table of people, stored in PostgreSQL through the real migrations and the gate, and both answers
/// asked of each: they must agree, and agree with the table.
/// </summary>
public sealed class EscortEligibilitySqlTests() : CommandPortalTest("escortsql")
{
    /// <summary>One escort's facts, what <see cref="EscortEligibility.Today"/> answers, and what ESCORT-QUALIFIED's checks answer for privileged IL5 work.</summary>
    public sealed record Case(string Name, string Citizenships, string Work, EscortQualification Qualification, string[] Today, string[] PrivilegedIl5,
        bool Lpr = false, bool Terminated = false, InvestigationTier Tier = InvestigationTier.T5, int AdjudicatedYearsAgo = 1, bool ContinuousVetting = true);

    private static readonly Case[] Cases =
    [
        new("a vetted US engineer in Reston", "US", "US", EscortQualification.Engineer, [], []),
        new("in a US outlying area (Guam)", "US", "GU", EscortQualification.Engineer, [], []),
        new("located in a covered country", "US", "CN", EscortQualification.Engineer, ["us-areas"], ["us-areas"]),
        new("located abroad, not covered", "US", "CA", EscortQualification.Engineer, ["us-areas"], ["us-areas"]),
        new("not a US citizen", "GB", "US", EscortQualification.Engineer, ["us-citizen"], ["us-citizen"]),
        new("a lawful permanent resident", "IN", "US", EscortQualification.Engineer, ["us-citizen"], ["us-citizen"], Lpr: true),
        new("a dual US/GB citizen", "US,GB", "US", EscortQualification.Engineer, [], []),
        // Qualification asks for US citizenship; the covered second citizenship is CIT-COVERED's to refuse (escort role included).
        new("a dual US/CN citizen", "US,CN", "US", EscortQualification.Engineer, [], []),
        // Vetting currency is VETTING-CURRENT's (on the escort's own grants); qualification asks for the tier.
        new("lapsed vetting: T5 of 2019, no continuous vetting", "US", "US", EscortQualification.Engineer, [], [], AdjudicatedYearsAgo: 7, ContinuousVetting: false),
        new("an investigation too low for privileged IL5", "US", "US", EscortQualification.Engineer, [], ["investigation"], Tier: InvestigationTier.T3),
        new("the wrong qualification for the access type", "US", "US", EscortQualification.Operator, [], ["qualification-level"]),
        new("no escort qualification", "US", "US", EscortQualification.None, ["qualification"], ["qualification-level"]),
        new("terminated", "US", "US", EscortQualification.Engineer, ["employed"], ["employed"], Terminated: true),
        new("terminated, not a citizen and abroad", "DE", "DE", EscortQualification.Operator, ["employed", "us-citizen", "us-areas"],
            ["employed", "us-citizen", "us-areas", "qualification-level"], Terminated: true),
    ];

    private readonly Dictionary<Guid, Case> stored = [];

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.escort-eligibility");
        foreach (var c in Cases)
        {
            var citizenships = c.Citizenships.Split(',');
            var person = new Person(Guid.NewGuid(), DemoSeeder.AcmeId, $"E-{Guid.NewGuid():N}"[..12], $"Escort case: {c.Name}", "escort@acme.example",
                    EmployerType.VendorEmployee, citizenships, citizenships[0], c.Lpr, c.Work, "Somewhere")
                .WithVetting(c.Tier, Today.AddYears(-c.AdjudicatedYearsAgo), c.ContinuousVetting, Clearance.Secret, Today.AddMonths(-6))
                .WithEscortQualification(c.Qualification, c.Qualification == EscortQualification.None ? null : Today.AddMonths(-2))
                .WithAttestation(Today.AddDays(-3));
            if (c.Terminated)
            {
                person.Terminate(Today.AddDays(-1));
            }
            db.People.Add(person);
            stored[person.Id] = c;
        }
        db.FactsEffectiveOn = Today.AddYears(-1);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TheSqlAndTheCSharp_AnswerAlike_ForEveryCase()
    {
        await using var db = await ContextAsync();
        var usAreas = (await ActivePolicy.NumberedParametersAsync(db, default)).Parameters.Set(PolicyParameters.UsAreas);
        var ids = stored.Keys.ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync();
        var qualifiedInSql = (await EscortSupervision.QualifiedEscorts(db, [.. usAreas]).Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync()).ToHashSet();
        var il5 = new SystemFacts(Il5, "IL5 system", ImpactLevel.IL5);

        var differences = new List<string>();
        foreach (var person in people)
        {
            var c = stored[person.Id];
            var today = EscortEligibility.Today(person.ToFacts(), usAreas).Select(p => p.Check).ToArray();
            var forWork = EscortEligibility.ForWork(person.ToFacts(), il5, AccessType.Privileged, usAreas).Select(p => p.Check).ToArray();
            if (!today.SequenceEqual(c.Today)) { differences.Add($"{c.Name}: C# today says [{string.Join(", ", today)}], the table [{string.Join(", ", c.Today)}]"); }
            if (!forWork.SequenceEqual(c.PrivilegedIl5)) { differences.Add($"{c.Name}: C# for privileged IL5 work says [{string.Join(", ", forWork)}], the table [{string.Join(", ", c.PrivilegedIl5)}]"); }
            if (qualifiedInSql.Contains(person.Id) != (today.Length == 0))
            {
                differences.Add($"{c.Name}: the SQL says {(qualifiedInSql.Contains(person.Id) ? "qualified" : "not qualified")}, the C# [{string.Join(", ", today)}]");
            }
        }
        Assert.Equal(Cases.Length, people.Count);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public async Task TheEscortBoard_ShowsValid_ExactlyWhenItListsNoProblem()
    {
        var board = await ActivatorUtilities.CreateInstance<EscortBoardQuery>(Portal.Services).EscortsAsync(Co1, new EscortBoardFilter(VendorId: DemoSeeder.AcmeId, Search: "Escort case"),
            new Core.Common.PageRequest(PageSize: 100));

        // The board lists the employed people with a qualification (the others supervise nobody).
        var listed = Cases.Where(c => !c.Terminated && c.Qualification != EscortQualification.None).Select(c => $"Escort case: {c.Name}");
        Assert.Equal(listed.Order(StringComparer.Ordinal), board.Items.Select(r => r.FullName).Order(StringComparer.Ordinal));
        Assert.All(board.Items, row => Assert.True(row.Valid == (row.Problems.Count == 0), $"{row.FullName}: Valid {row.Valid}, problems [{string.Join(", ", row.Problems)}]"));
        Assert.Equal(["works in China (CN), outside the US areas"], board.Items.Single(r => r.FullName.EndsWith("located in a covered country", StringComparison.Ordinal)).Problems);
        Assert.Equal(["not a US citizen (India (IN))"], board.Items.Single(r => r.FullName.EndsWith("a lawful permanent resident", StringComparison.Ordinal)).Problems);
    }
}
