using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Screening;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.BulkActions;

/// <summary>The bulk actions of the findings, screening and contribution review queues: all or nothing, every refused item listed, scoped to the vendor.</summary>
public sealed class BulkQueueTests() : CommandPortalTest("bulkqueues")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private Guid alice;
    private Guid bob;

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", name: "Alice Able");
        bob = await AddPersonAsync("US", name: "Bob Baker");
    }

    [Fact]
    public async Task AcknowledgeFindings_AnswersEveryFinding_OrNone_WhenOneIsNoLongerOpen()
    {
        var findings = await CoveredFindingsAsync(alice, bob);
        Assert.True((await SendAsync(AcmeRep, new AcknowledgeFinding(findings[1], "Already on it"))).IsOk);
        var eventsBefore = await CountAsync("SELECT count(*) FROM audit_events");

        var refused = await SendAsync(AcmeRep, new AcknowledgeFindings(findings, "Relocating back to Reston"));

        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        var item = Assert.Single(refused.RefusedItems);
        Assert.Equal(findings[1], item.Id);
        Assert.Equal("LOC-COVERED of Bob Baker", item.Label);
        Assert.Contains("no longer open", item.Reason, StringComparison.Ordinal);
        Assert.Equal("Open", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM findings WHERE id = '{findings[0]}'"));
        Assert.Equal(eventsBefore, await CountAsync("SELECT count(*) FROM audit_events"));

        var applied = await SendAsync(AcmeRep, new AcknowledgeFindings([findings[0]], "Relocating back to Reston"));
        Assert.True(applied.IsOk, applied.Message);
        Assert.Equal("Acknowledged", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM findings WHERE id = '{findings[0]}'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE operation = 'acknowledge-findings' AND subject_id = '{findings[0]}'"));
    }

    [Fact]
    public async Task AcknowledgeFindings_OfAnotherVendor_IsNotFound_AndAnAuditorIsRefused()
    {
        var findings = await CoveredFindingsAsync(alice, bob);

        var other = await SendAsync(GlobexRep, new AcknowledgeFindings(findings, "Not ours"));
        Assert.Equal(OutcomeKind.NotFound, other.Kind);
        Assert.Equal(2, other.RefusedItems.Count);
        Assert.All(other.RefusedItems, r => Assert.Equal(Bulk.NotFound, r.Reason));
        Assert.All(other.RefusedItems, r => Assert.DoesNotContain("Alice", r.Label, StringComparison.Ordinal));
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AcknowledgeFindings(findings, "x"))).Kind);
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM findings WHERE status = 'Open' AND id IN ('{findings[0]}', '{findings[1]}')"));

        Assert.Equal(0, (await AskAsync<FindingsWorkspaceQuery, BulkSelection>(q =>
            q.AcknowledgeableAsync(GlobexRep, new FindingsWorkspaceFilter { Open = true }, null, false))).Matching);
        var acme = await AskAsync<FindingsWorkspaceQuery, BulkSelection>(q =>
            q.AcknowledgeableAsync(AcmeRep, new FindingsWorkspaceFilter { Open = true, RuleId = "LOC-COVERED" }, null, false));
        Assert.Equal(findings.Order(), acme.Ids.Order());
    }

    [Fact]
    public async Task AdjudicateScreeningHits_ClearsEveryFalsePositive_OrNone_WhenOneIsDecided()
    {
        var (petrov, petrovGrant) = await ScreenedAsync("Ivan Petrov");
        var (sidorov, _) = await ScreenedAsync("Pavel Sidorov");
        await SendAsync(Admin, new ImportRestrictedPartyList("consolidated.csv", Encoding.UTF8.GetBytes(Header + PetrovRow + SidorovRow)));
        var hits = new[] { await PendingHitAsync(petrov), await PendingHitAsync(sidorov) };
        Assert.True((await SendAsync(Co1, new AdjudicateScreeningHit(hits[1], HitDecision.TrueMatch, "Identifiers match"))).IsOk);

        var refused = await SendAsync(Co2, new AdjudicateScreeningHits(hits, HitDecision.FalsePositive, "Dates of birth differ"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Equal(hits[1], Assert.Single(refused.RefusedItems).Id);
        Assert.Equal("Pending", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM screening_hits WHERE id = '{hits[0]}'"));

        var selection = await AskAsync<ScreeningHitsQuery, BulkSelection>(q => q.PendingAsync(Co2, "Petrov"));
        Assert.Equal([hits[0]], selection.Ids);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AdjudicateScreeningHits(selection.Ids, HitDecision.FalsePositive, "x"))).Kind);
        var cleared = await SendAsync(Co2, new AdjudicateScreeningHits(selection.Ids, HitDecision.FalsePositive, "Dates of birth differ"));
        Assert.True(cleared.IsOk, cleared.Message);
        Assert.Equal("Active", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM access_grants WHERE id = '{petrovGrant}'"));
        Assert.Equal("Clear", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT screening_status FROM people WHERE id = '{petrov}'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE operation = 'adjudicate-screening-hits' AND subject_id = '{hits[0]}'"));
    }

    [Fact]
    public async Task ReviewContributions_RecordsOneVerdictOnEach_ByAnAuditor_AndAnotherVendorsAreNotFound()
    {
        var csv = "ID,Repository,Author Name,Author Email,Date,Title,URL\n" + string.Concat(Enumerable.Range(1, 3).Select(i =>
            $"PR-{i},infra,Test Person,test@acme.example,{Clock.GetUtcNow().AddDays(-i):yyyy-MM-dd'T'HH:mm:ss'Z'},Change {i},https://git.acme.example/pr/{i}\n"));
        Assert.True((await SendAsync(AcmeRep, new ImportContributions(DemoSeeder.AcmeId, Il2, null, "changes.csv", Encoding.UTF8.GetBytes(csv), false))).IsOk);
        var selection = await AskAsync<ContributionsQuery, BulkSelection>(q => q.MatchingAsync(Auditor, new ContributionFilter(Repository: "infra"), null, false));
        Assert.Equal(3, selection.Matching);

        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Auditor with { OfficeId = Guid.NewGuid(), OfficeVendorIds = [DemoSeeder.GlobexId] },
            new ReviewContributions(selection.Ids, ReviewVerdict.NoConcern, null))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ReviewContributions(selection.Ids, ReviewVerdict.NoConcern, null))).Kind);
        var noNotes = await SendAsync(Auditor, new ReviewContributions(selection.Ids, ReviewVerdict.Escalated, null));
        Assert.Contains("Notes", noNotes.Errors!.Keys);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM code_contributions WHERE review_verdict <> 'Unreviewed'"));

        var reviewed = await SendAsync(Auditor, new ReviewContributions(selection.Ids, ReviewVerdict.NeedsRemediation, "Pushed outside the change window"));
        Assert.True(reviewed.IsOk, reviewed.Message);
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM code_contributions WHERE review_verdict = 'NeedsRemediation' AND reviewed_by_name = 'Jordan Auditor'"));
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM audit_events WHERE operation = 'review-contributions'"));
    }

    private const string Header = "source,entity_number,type,programs,name,alt_names,addresses,country,federal_register_notice,start_date,end_date,source_list_url\n";
    private const string PetrovRow = "Specially Designated Nationals (SDN) - Treasury Department,36541,Individual,RUSSIA-EO14024,\"PETROV, Ivan Sergeyevich\",Ivan Petrov; Ivan Petroff,\"Moscow, RU\",RU,87 FR 1234,2022-03-01,,https://example.test/sdn\n";
    private const string SidorovRow = "Specially Designated Nationals (SDN) - Treasury Department,36542,Individual,RUSSIA-EO14024,\"SIDOROV, Pavel\",Pavel Sidorov,\"Moscow, RU\",RU,87 FR 1235,2022-03-01,,https://example.test/sdn\n";

    /// <summary>Each person's grant on IL2, then a move to a covered country: LOC-COVERED suspends it and opens a finding on it.</summary>
    private async Task<List<Guid>> CoveredFindingsAsync(params Guid[] people)
    {
        var grants = new List<Guid>();
        foreach (var person in people)
        {
            grants.Add((await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!.Id);
            Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen"))).IsOk);
        }
        await using var db = await ContextAsync();
        var findings = await db.Findings.AsNoTracking().Where(f => grants.Contains(f.SubjectId) && f.RuleId == "LOC-COVERED").ToListAsync();
        return grants.Select(g => findings.Single(f => f.SubjectId == g).Id).ToList();
    }

    /// <summary>A US person of that name with an active IL2 grant.</summary>
    private async Task<(Guid Person, Guid Grant)> ScreenedAsync(string name)
    {
        var person = await AddPersonAsync("US", name: name);
        var grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"))).Value!;
        Assert.Equal(GrantStatus.Active, grant.Status);
        return (person, grant.Id);
    }

    private async Task<Guid> PendingHitAsync(Guid personId)
    {
        await using var db = await ContextAsync();
        return await db.ScreeningHits.AsNoTracking().Where(h => h.PersonId == personId && h.Status == HitStatus.Pending).Select(h => h.Id).SingleAsync();
    }

    private async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;
}
