using System.Diagnostics;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Approvals;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.BulkActions;

/// <summary>Bulk approval and rejection of pending grants: all or nothing through the one pipeline, every refused grant listed.</summary>
public sealed class BulkGrantDecisionTests(ITestOutputHelper output) : CommandPortalTest("bulkgrants")
{
    private Guid alice;
    private Guid bob;

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", name: "Alice Able");
        bob = await AddPersonAsync("US", name: "Bob Baker");
    }

    [Fact]
    public async Task ApproveGrants_ApprovesEveryGrant_InOneChange_AuditedOneEventEach()
    {
        var ids = await PendingAsync(Co1, (alice, AccessType.NonPrivileged), (bob, AccessType.NonPrivileged), (bob, AccessType.Privileged));

        var outcome = await SendAsync(Co2, new ApproveGrants(ids));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(3, outcome.Value!.Applied);
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Active' AND approved_by = '{Co2.UserId}'"));
        Assert.Equal(3L, await CountAsync("SELECT count(*) FROM audit_events WHERE operation = 'approve-grants' AND subject_type = 'grant'"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ApproveGrants_IsAllOrNothing_WhenTheRulesRefuseSome_EveryRefusedGrantIsListedWithItsRules_AndEachRefusalAudited()
    {
        // Privileged access needs an attestation of at most 30 days, other access 180: forty days on, only the privileged fail.
        var ids = await PendingAsync(Co1, (alice, AccessType.NonPrivileged), (alice, AccessType.Privileged), (bob, AccessType.Privileged));
        Clock.Advance(TimeSpan.FromDays(40));
        var eventsBefore = await CountAsync("SELECT count(*) FROM audit_events");

        var outcome = await SendAsync(Co2, new ApproveGrants(ids));

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal(new[] { ids[1], ids[2] }.Order(), outcome.RefusedItems.Select(r => r.Id).Order());
        var refusedBob = Assert.Single(outcome.RefusedItems, r => r.Id == ids[2]);
        Assert.StartsWith("Bob Baker on ", refusedBob.Label, StringComparison.Ordinal);
        var rule = Assert.Single(refusedBob.Violations, v => v.RuleId == "ATTEST-FRESH");
        Assert.False(string.IsNullOrWhiteSpace(rule.Citation));
        Assert.False(string.IsNullOrWhiteSpace(rule.Message));
        // Nothing approved, not even the grant that passes; the refusal leaves one audit event per refused grant and nothing else.
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'PendingApproval' AND id IN ({In(ids)})"));
        Assert.Equal(eventsBefore + 2, await CountAsync("SELECT count(*) FROM audit_events"));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM audit_events WHERE event_type = {AuditEventTypes.AccessDecisionRefused} " +
                                          $"AND operation = 'approve-grants' AND subject_id IN ({In([ids[1], ids[2]])}) AND rule_outcomes::text LIKE '%ATTEST-FRESH%'"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ApproveGrants_RefusesTheOfficersOwnRequests_AndOnesNoLongerPending_ListingEach_AndWritesNothing()
    {
        var mine = await PendingAsync(Co2, (alice, AccessType.NonPrivileged));
        var others = await PendingAsync(Co1, (bob, AccessType.NonPrivileged), (bob, AccessType.Privileged));
        Assert.True((await SendAsync(Co2, new ApproveGrant(others[1]))).IsOk);
        var eventsBefore = await CountAsync("SELECT count(*) FROM audit_events");

        var outcome = await SendAsync(Co2, new ApproveGrants([mine[0], others[0], others[1]]));

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal(2, outcome.RefusedItems.Count);
        Assert.Contains("two-person rule", Assert.Single(outcome.RefusedItems, r => r.Id == mine[0]).Reason, StringComparison.Ordinal);
        Assert.Contains("no longer pending", Assert.Single(outcome.RefusedItems, r => r.Id == others[1]).Reason, StringComparison.Ordinal);
        Assert.Equal("PendingApproval", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM access_grants WHERE id = '{others[0]}'"));
        Assert.Equal(eventsBefore, await CountAsync("SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task ApproveGrants_OfAnotherOfficesVendor_IsNotFound_ListingTheItems_AndWritesNothing()
    {
        var ids = await PendingAsync(Co1, (alice, AccessType.NonPrivileged), (bob, AccessType.NonPrivileged));
        var globexOfficer = Co2 with { OfficeId = Guid.NewGuid(), OfficeName = "Globex's office", OfficeVendorIds = [DemoSeeder.GlobexId] };

        var outcome = await SendAsync(globexOfficer, new ApproveGrants(ids));

        Assert.Equal(OutcomeKind.NotFound, outcome.Kind);
        Assert.Equal(ids.Order(), outcome.RefusedItems.Select(r => r.Id).Order());
        Assert.All(outcome.RefusedItems, r => Assert.DoesNotContain("Alice", r.Label, StringComparison.Ordinal));
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'PendingApproval' AND id IN ({In(ids)})"));
        var seen = await AskAsync<ApprovalsQuery, BulkSelection>(q => q.DecidableGrantsAsync(globexOfficer));
        Assert.Equal(0, seen.Matching);
    }

    [Fact]
    public async Task AnAuditorOrARepresentative_MayNotDecideGrantsInBulk()
    {
        var ids = await PendingAsync(Co1, (alice, AccessType.NonPrivileged));
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ApproveGrants(ids))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new RejectGrants(ids, "No"))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ApproveGrants(ids))).Kind);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'PendingApproval' AND id IN ({In(ids)})"));
    }

    [Fact]
    public async Task SelectAllMatching_CountsOnlyTheGrantsTheOfficerCanDecide_NotTheirOwnRequests()
    {
        await PendingAsync(Co1, (alice, AccessType.NonPrivileged), (alice, AccessType.Privileged));
        var co2s = await PendingAsync(Co2, (bob, AccessType.NonPrivileged));
        var forCo1 = await AskAsync<ApprovalsQuery, BulkSelection>(q => q.DecidableGrantsAsync(Co1));
        var forCo2 = await AskAsync<ApprovalsQuery, BulkSelection>(q => q.DecidableGrantsAsync(Co2));

        Assert.Equal(co2s, forCo1.Ids);
        Assert.Equal(1, forCo1.Matching);
        Assert.Equal(2, forCo2.Matching);
        Assert.DoesNotContain(co2s[0], forCo2.Ids);
        Assert.False(forCo2.Capped);
    }

    [Fact]
    public async Task RejectGrants_RevokesEveryRequest_WithTheReason_OrNothing_WhenOneIsNoLongerPending()
    {
        var ids = await PendingAsync(Co1, (alice, AccessType.NonPrivileged), (bob, AccessType.NonPrivileged));
        Assert.True((await SendAsync(Co2, new ApproveGrant(ids[1]))).IsOk);

        var refused = await SendAsync(Co2, new RejectGrants(ids, "Contract ended"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Equal(ids[1], Assert.Single(refused.RefusedItems).Id);
        Assert.Equal("PendingApproval", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM access_grants WHERE id = '{ids[0]}'"));

        var rejected = await SendAsync(Co2, new RejectGrants([ids[0]], "Contract ended"));
        Assert.True(rejected.IsOk, rejected.Message);
        Assert.Equal("Morgan Officer: Request rejected: Contract ended", await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT status_reason FROM access_grants WHERE id = '{ids[0]}' AND status = 'Revoked'"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM audit_events WHERE operation = 'reject-grants'"));
    }

    [Fact]
    public async Task BulkInput_IsCheckedPerField()
    {
        var empty = await SendAsync(Co2, new ApproveGrants([]));
        Assert.Equal(OutcomeKind.Invalid, empty.Kind);
        Assert.Contains("Ids", empty.Errors!.Keys);
        var id = Guid.NewGuid();
        Assert.Contains("selected twice", string.Join(" ", (await SendAsync(Co2, new ApproveGrants([id, id]))).Errors!["Ids"]), StringComparison.Ordinal);
        var tooMany = await SendAsync(Co2, new ApproveGrants(Enumerable.Range(0, Bulk.MaxItems + 1).Select(_ => Guid.NewGuid()).ToList()));
        Assert.Contains("at most 5,000", string.Join(" ", tooMany.Errors!["Ids"]), StringComparison.Ordinal);
        var noReason = await SendAsync(Co2, new RejectGrants([id], " "));
        Assert.Contains("Reason", noReason.Errors!.Keys);
    }

    [Fact]
    public async Task ApproveGrants_OfAThousandGrants_IsAppliedInOneChange_AndItsDurationIsReported()
    {
        const int count = 1000;
        var setup = Stopwatch.StartNew();
        var people = await AddPeopleAsync(count);
        var ids = await AddPendingAsync(Co1, people);
        output.WriteLine($"Setup: {count} people and {count} pending grants in {setup.ElapsedMilliseconds} ms.");

        var approving = Stopwatch.StartNew();
        var outcome = await SendAsync(Co2, new ApproveGrants(ids));
        output.WriteLine($"ApproveGrants of {count} grants: {approving.ElapsedMilliseconds} ms.");

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(count, outcome.Value!.Applied);
        Assert.Equal((long)count, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Active' AND approved_by = '{Co2.UserId}'"));
    }

    /// <summary>Grants requested by <paramref name="requester"/> on the IL5 system (so they wait for a second officer), through the pipeline.</summary>
    private async Task<List<Guid>> PendingAsync(Actor requester, params (Guid Person, AccessType Access)[] requests)
    {
        var ids = new List<Guid>();
        foreach (var (person, access) in requests)
        {
            var outcome = await SendAsync(requester, new RequestGrant(person, Il5, access, false, Today, Today.AddDays(90), "Bulk test"));
            Assert.True(outcome.IsOk, outcome.Message);
            Assert.Equal(GrantStatus.PendingApproval, outcome.Value!.Status);
            ids.Add(outcome.Value.Id);
        }
        return ids;
    }

    private async Task<List<Guid>> AddPeopleAsync(int count)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.add-people");
        var people = Enumerable.Range(0, count).Select(i => new Person(Guid.NewGuid(), DemoSeeder.AcmeId, $"B-{i:D6}", $"Bulk Person {i}", $"bulk{i}@acme.example",
                EmployerType.VendorEmployee, ["US"], "US", false, "US", "Reston")
            .WithVetting(InvestigationTier.T5, Today.AddYears(-1), true, Clearance.Secret, Today.AddMonths(-6))
            .WithAttestation(Today.AddDays(-3))).ToList();
        db.People.AddRange(people);
        db.FactsEffectiveOn = Today.AddYears(-1);
        await db.SaveChangesAsync();
        return people.Select(p => p.Id).ToList();
    }

    private async Task<List<Guid>> AddPendingAsync(Actor requester, IReadOnlyList<Guid> people)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(requester, "request-grant");
        var grants = people.Select(p => AccessGrant.Request(Guid.CreateVersion7(), p, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(90),
            "Bulk test", requester.UserId, Clock.GetUtcNow(), true)).ToList();
        db.Grants.AddRange(grants);
        await db.SaveChangesAsync();
        return grants.Select(g => g.Id).ToList();
    }

    private async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;

    private static string In(IEnumerable<Guid> ids) => string.Join(", ", ids.Select(id => $"'{id}'"));
}
