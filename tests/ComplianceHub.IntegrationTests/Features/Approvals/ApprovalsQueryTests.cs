using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Approvals;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Approvals;

/// <summary>
/// The approvals queue: everything waiting for a second officer, with names, and marked for the officer who requested it
/// (the two-person rule itself is tested with each command: GrantCommandsTests, WaiverTests, PolicyActivationTests).
/// </summary>
public sealed class ApprovalsQueryTests() : CommandPortalTest("approvals")
{
    private Actor casey = null!;
    private Actor morgan = null!;
    private Guid grant;
    private Guid waiver;
    private Guid draft;

    protected override async Task ArrangePeopleAsync()
    {
        // The demo accounts, so the queue can name who asked.
        (casey, morgan) = await DemoOfficersAsync();
        var engineer = await AddPersonAsync("US");
        grant = (await SendAsync(casey, new RequestGrant(engineer, Il5, AccessType.Privileged, false, Today, Today.AddDays(90), "Records migration"))).Value!.Id;

        var dual = await AddPersonAsync("US");
        var access = await SendAsync(casey, new RequestGrant(dual, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
        Assert.True(access.IsOk, access.Message);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(casey, new ChangePersonFacts(dual, Citizenships: ["US", "CN"]));
        await using (var db = await ContextAsync())
        {
            var finding = await db.Findings.SingleAsync(f => f.PersonId == dual && f.RuleId == "CIT-COVERED");
            waiver = (await SendAsync(morgan, new RequestWaiver(finding.Id, "Renunciation certificate expected within the month.", Today.AddDays(30)))).Value!.Id;
        }
        draft = (await SendAsync(casey, new DraftPolicyVersion("Shorter grants", PolicyDefaults.Baseline2026 with { MaxGrantDays = 180 }))).Value!.Id;
    }

    private async Task<ApprovalsQueue> QueueAsync(Actor actor)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApprovalsQuery>().QueueAsync(actor);
    }

    [Fact]
    public async Task TheQueue_NamesWhoAskedWhatAndWhen_AndMarksTheReadersOwnRequests()
    {
        var queue = await QueueAsync(casey);

        var pending = Assert.Single(queue.Grants, g => g.GrantId == grant);
        Assert.Equal("Test Person", pending.PersonName);
        Assert.Equal("Acme Cloud Services", pending.VendorName);
        Assert.Equal("Navy Personnel Records", pending.SystemName);
        Assert.Equal("Casey Officer", pending.RequestedByName);
        Assert.Equal("Records migration", pending.Justification);
        Assert.True(pending.RequestedByActor);
        Assert.Equal(queue.Grants.Count, queue.GrantCount);

        var w = Assert.Single(queue.Waivers);
        Assert.Equal((waiver, "CIT-COVERED", "Morgan Officer", false), (w.WaiverId, w.RuleId, w.RequestedByName, w.RequestedByActor));
        var d = Assert.Single(queue.PolicyDrafts);
        Assert.Equal((draft, 2, "Casey Officer", true), (d.PolicyVersionId, d.Number, d.DraftedByName, d.RequestedByActor));

        var other = await QueueAsync(morgan);
        Assert.False(Assert.Single(other.Grants, g => g.GrantId == grant).RequestedByActor);
        Assert.True(Assert.Single(other.Waivers).RequestedByActor);
        Assert.False(Assert.Single(other.PolicyDrafts).RequestedByActor);
    }

    [Fact]
    public async Task WhatTheQueueMarksAsOwn_TheExecutorRefuses_AndASecondOfficerClearsIt()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(casey, new ApproveGrant(grant))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(morgan, new ApproveWaiver(waiver))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(casey, new ActivatePolicyVersion(draft))).Kind);

        Assert.True((await SendAsync(morgan, new ApproveGrant(grant))).IsOk);
        Assert.True((await SendAsync(casey, new ApproveWaiver(waiver))).IsOk);
        Assert.True((await SendAsync(morgan, new ActivatePolicyVersion(draft))).IsOk);

        var queue = await QueueAsync(casey);
        Assert.DoesNotContain(queue.Grants, g => g.GrantId == grant);
        Assert.Empty(queue.Waivers);
        Assert.Empty(queue.PolicyDrafts);
        Assert.Equal((0, 0), (queue.WaiverCount, queue.PolicyDraftCount));
    }

    [Fact]
    public async Task ARevokedRequest_LeavesTheQueue()
    {
        Assert.True((await SendAsync(morgan, new DecideGrant(grant, GrantDecision.Revoke, "Not needed after all"))).IsOk);
        Assert.DoesNotContain((await QueueAsync(morgan)).Grants, g => g.GrantId == grant);
    }

    [Fact]
    public async Task OnlyOfficers_ReadTheQueue()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => QueueAsync(Auditor));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => QueueAsync(AcmeRep));
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ApproveGrant(grant))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ApproveWaiver(waiver))).Kind);
        await using var db = await ContextAsync();
        Assert.Equal(WaiverStatus.PendingApproval, (await db.Waivers.SingleAsync(x => x.Id == waiver)).Status);
    }
}
