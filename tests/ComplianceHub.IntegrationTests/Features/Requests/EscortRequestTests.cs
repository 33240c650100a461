using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Requests;

/// <summary>
/// A representative asks for an escort; an officer approves (the assignment is created through the gate) or declines.
/// Refused requests write nothing but the audited refusal, which the representative reads back with the rules.
/// </summary>
public sealed class EscortRequestTests() : CommandPortalTest("escortreq")
{
    private Guid engineer;
    private Guid britishEngineer;
    private Guid germanEngineer;

    protected override async Task ArrangePeopleAsync()
    {
        engineer = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        britishEngineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        germanEngineer = await AddPersonAsync("DE", tier: InvestigationTier.T3);
    }

    private RequestEscort Request(Guid escort, Guid person, bool dryRun = false) =>
        new(escort, person, Il2, Today, Today.AddDays(120), "Supervised database maintenance", dryRun);

    private AccessRequestsQuery Query => Portal.Services.CreateScope().ServiceProvider.GetRequiredService<AccessRequestsQuery>(); // a read model: scoped, holds nothing disposable

    private async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;

    [Fact]
    public async Task ARequestWaitsForAnOfficer_WhoseApprovalAssignsTheEscort_SoTheEscortedGrantCanBeRequested()
    {
        var requested = await SendAsync(AcmeRep, Request(engineer, britishEngineer));
        Assert.True(requested.IsOk, requested.Message);
        Assert.Equal(EscortRequestStatus.Pending, requested.Value!.Status);
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM escort_assignments WHERE person_id = '{britishEngineer}'"));

        // Before the approval the escorted grant is refused: nobody escorts the person yet.
        var early = await SendAsync(AcmeRep, Grant(britishEngineer));
        Assert.Equal(OutcomeKind.Refused, early.Kind);
        Assert.Contains(early.Violations!, v => v.RuleId == "ESCORT-REQUIRED");

        var approved = await SendAsync(Co1, new DecideEscortRequest(requested.Value.Id, true, null));
        Assert.True(approved.IsOk, approved.Message);
        Assert.Equal(EscortRequestStatus.Approved, approved.Value!.Status);
        Assert.Equal("Casey Officer", approved.Value.DecidedBy);
        var assignment = approved.Value.AssignmentId!.Value;
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM escort_assignments WHERE id = '{assignment}' AND escort_id = '{engineer}' AND person_id = '{britishEngineer}'"));

        var grant = await SendAsync(AcmeRep, Grant(britishEngineer));
        Assert.True(grant.IsOk, grant.Message);
        Assert.Equal(GrantStatus.PendingApproval, grant.Value!.Status);

        // Audited: the request by the representative, the approval and the assignment by the officer, in one chain.
        await using var db = await ContextAsync();
        var operations = await db.AuditEvents.Where(e => e.SubjectId == requested.Value.Id.ToString()).OrderBy(e => e.Sequence).Select(e => e.Operation).ToListAsync();
        Assert.Equal(["request-escort", "decide-escort-request"], operations);
        Assert.True((await VerifyChainAsync()).Valid);

        var again = await SendAsync(Co2, new DecideEscortRequest(requested.Value.Id, false, "Too late"));
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
    }

    [Fact]
    public async Task AnUnqualifiedEscort_IsRefusedAtOnce_NothingIsWritten_AndTheRefusalIsListedWithItsRule()
    {
        var refused = await SendAsync(AcmeRep, Request(germanEngineer, britishEngineer));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        var rule = Assert.Single(refused.Violations!, v => v.RuleId == "ESCORT-QUALIFIED");
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM escort_requests WHERE person_id = '{britishEngineer}'"));

        var refusals = await Query.RefusalsAsync(AcmeRep, new PageRequest());
        var row = Assert.Single(refusals.Items, r => r.PersonId == britishEngineer);
        Assert.Equal("escort-request", row.SubjectType);
        Assert.Equal("Riley Acme", row.ActorName);
        Assert.Equal(germanEngineer, row.EscortId);
        Assert.Equal("Test Person", row.EscortName);
        Assert.Equal(Today, row.StartsOn);
        Assert.Contains(row.Rules, r => r.RuleId == "ESCORT-QUALIFIED" && r.Message == rule.Message);

        // Another vendor's representative does not see it; an officer does.
        Assert.DoesNotContain((await Query.RefusalsAsync(GlobexRep, new PageRequest())).Items, r => r.PersonId == britishEngineer);
        Assert.Contains((await Query.RefusalsAsync(Co1, new PageRequest())).Items, r => r.PersonId == britishEngineer);
    }

    [Fact]
    public async Task ARefusedGrant_IsListed_WithWhatWasAsked()
    {
        var refused = await SendAsync(AcmeRep, Grant(britishEngineer));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);

        var row = Assert.Single((await Query.RefusalsAsync(AcmeRep, new PageRequest())).Items, r => r.PersonId == britishEngineer);
        Assert.Equal("grant", row.SubjectType);
        Assert.Equal("NonPrivileged", row.AccessType);
        Assert.NotNull(row.SystemName);
        Assert.Equal(Today.AddDays(90), row.EndsOn);
        Assert.Contains(row.Rules, r => r.RuleId == "ESCORT-REQUIRED");
    }

    [Fact]
    public async Task ADryRun_AnswersWithoutWriting()
    {
        var before = await CountAsync("SELECT count(*) FROM audit_events");
        var preview = await SendAsync(AcmeRep, Request(engineer, britishEngineer, dryRun: true));
        Assert.True(preview.IsOk, preview.Message);
        var refusedPreview = await SendAsync(AcmeRep, Request(germanEngineer, britishEngineer, dryRun: true));
        Assert.Equal(OutcomeKind.Refused, refusedPreview.Kind);

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM escort_requests"));
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task ADeclineNeedsAReason_AndTheRepresentativeReadsIt()
    {
        var requested = (await SendAsync(AcmeRep, Request(engineer, britishEngineer))).Value!;

        var noReason = await SendAsync(Co1, new DecideEscortRequest(requested.Id, false, " "));
        Assert.Equal(OutcomeKind.Invalid, noReason.Kind);
        Assert.Contains(nameof(DecideEscortRequest.Reason), noReason.Errors!.Keys);

        var declined = await SendAsync(Co1, new DecideEscortRequest(requested.Id, false, "Use the on-site team instead"));
        Assert.Equal(EscortRequestStatus.Declined, declined.Value!.Status);

        var mine = await Query.EscortRequestsAsync(AcmeRep, null, null, new PageRequest());
        var row = Assert.Single(mine.Items);
        Assert.Equal("Use the on-site team instead", row.Request.DecisionReason);
        Assert.Equal("Test Person", row.PersonName);
        Assert.Equal(EscortRequestStatus.Declined, row.Request.Status);
        Assert.Empty((await Query.EscortRequestsAsync(GlobexRep, null, null, new PageRequest())).Items);
    }

    [Fact]
    public async Task ARequestIsWithdrawnOnlyByItsVendor_AndOnlyWhilePending()
    {
        var requested = (await SendAsync(AcmeRep, Request(engineer, britishEngineer))).Value!;
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new WithdrawEscortRequest(requested.Id))).Kind);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(AcmeRep, Request(engineer, britishEngineer))).Kind); // the same request twice

        var withdrawn = await SendAsync(AcmeRep, new WithdrawEscortRequest(requested.Id));
        Assert.Equal(EscortRequestStatus.Withdrawn, withdrawn.Value!.Status);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(AcmeRep, new WithdrawEscortRequest(requested.Id))).Kind);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co1, new DecideEscortRequest(requested.Id, true, null))).Kind);
    }

    [Fact]
    public async Task RolesAndVendorsAreBoundaries()
    {
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, Request(engineer, britishEngineer))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, Request(engineer, britishEngineer))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, Request(engineer, britishEngineer))).Kind); // officers assign directly

        var requested = (await SendAsync(AcmeRep, Request(engineer, britishEngineer))).Value!;
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new DecideEscortRequest(requested.Id, true, null))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new DecideEscortRequest(requested.Id, true, null))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new WithdrawEscortRequest(requested.Id))).Kind);
        Assert.Equal(EscortRequestStatus.Pending, Assert.Single((await Query.EscortRequestsAsync(Co1, EscortRequestStatus.Pending, null, new PageRequest())).Items).Request.Status);
    }

    [Fact]
    public async Task GrantRequests_AreScopedToTheVendor_AndFilteredByState()
    {
        var pending = await SendAsync(Co1, new RequestGrant(engineer, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "On-call", false));
        Assert.True(pending.IsOk, pending.Message);

        var acme = await Query.GrantsAsync(AcmeRep, GrantRequestState.All, null, null, new PageRequest(1, 500));
        Assert.Contains(acme.Items, g => g.GrantId == pending.Value!.Id && g.RequestedBy.Length > 0);
        await using (var db = await ContextAsync())
        {
            var ids = acme.Items.Select(g => g.PersonId).Distinct().ToList();
            Assert.Equal([Core.Data.Seeding.DemoSeeder.AcmeId], await db.People.Where(p => ids.Contains(p.Id)).Select(p => p.VendorId).Distinct().ToListAsync());
        }
        Assert.DoesNotContain((await Query.GrantsAsync(GlobexRep, GrantRequestState.All, null, null, new PageRequest(1, 500))).Items,
            g => g.GrantId == pending.Value!.Id);

        var active = await Query.GrantsAsync(AcmeRep, GrantRequestState.Granted, null, null, new PageRequest(1, 500));
        Assert.All(active.Items, g => Assert.Contains(g.Status, new[] { GrantStatus.Active, GrantStatus.Suspended }));
        var waiting = await Query.GrantsAsync(AcmeRep, GrantRequestState.Pending, null, null, new PageRequest(1, 500));
        Assert.All(waiting.Items, g => Assert.Equal(GrantStatus.PendingApproval, g.Status));
        Assert.Equal(acme.Total, (await Query.GrantsAsync(AcmeRep, GrantRequestState.Pending, null, null, new PageRequest())).Total
            + active.Total + (await Query.GrantsAsync(AcmeRep, GrantRequestState.Ended, null, null, new PageRequest())).Total);
    }

    private RequestGrant Grant(Guid person) =>
        new(person, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(90), "Database tuning under supervision");
}
