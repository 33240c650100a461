using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// The gate's access-review step: a material change after a keep makes the decision stale — reopened in stage two in a running
/// campaign, flagged for the next after it closed — and a grant ended by another change ends its pending item; each an audit event.
/// </summary>
public sealed class StaleDecisionTests() : EngineReviewTest("arstale")
{
    private Guid alice;
    private Guid bob;
    private Guid escort;
    private Guid aliceIl2;
    private Guid aliceIl4;
    private Guid bobIl2;

    protected override async Task ArrangeReviewAsync()
    {
        alice = await AddPersonAsync("US", name: "Alice Able", email: "alice@acme.example");
        bob = await AddPersonAsync("US", name: "Bob Baker", email: "bob@acme.example");
        escort = await AddPersonAsync("US", name: "Eve Escort", email: "eve@acme.example", qualification: EscortQualification.Engineer);
        aliceIl2 = await ActiveGrantAsync(Casey, alice, Il2);
        aliceIl4 = await ActiveGrantAsync(Casey, alice, AcmeIl4);
        bobIl2 = await ActiveGrantAsync(Casey, bob, Il2);
    }

    [Fact]
    public async Task AKeptItem_IsReopenedInStageTwo_WhenThePersonMoves_WhileTheCampaignRuns()
    {
        var campaign = await StartAsync(Scope(systems: [Il2]));
        await KeepAsync(campaign, aliceIl2);
        Assert.Equal(1, (await CampaignAsync(campaign)).PendingCount);

        await ChangePersonAsync(alice, p => p.MoveTo("DE", "Berlin"));

        var item = await ItemAsync(campaign, aliceIl2);
        Assert.Equal(AccessReviewItemStatus.Pending, item.Status);
        Assert.Equal(2, item.Stage);
        Assert.True(item.Stale);
        Assert.Equal("Work location changed from Reston, United States to Berlin, Germany.", item.StaleReason);
        Assert.Null(item.Decision);
        Assert.Equal(AcmeOfficers.Where(o => o != Casey.UserId).Order(), item.ReviewerIds.Order());
        Assert.False(string.IsNullOrWhiteSpace(item.RecommendationReason));
        Assert.Equal(2, (await CampaignAsync(campaign)).PendingCount);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-item' AND subject_id = '{item.Id}' AND event_type = 4601 AND operation = 'test.change-person'"));
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-campaign' AND subject_id = '{campaign}' AND event_type = 4501 AND operation = 'test.change-person'"));
        // Bob's pending item is untouched.
        Assert.False((await ItemAsync(campaign, bobIl2)).Stale);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AKeptItem_IsFlaggedForTheNextCampaign_WhenTheChangeComesAfterTheCampaignClosed()
    {
        var campaign = await StartAsync(Scope(systems: [AcmeIl4]));
        await KeepAsync(campaign, aliceIl4);
        Assert.Equal(CampaignStatus.Closed, (await CampaignAsync(campaign)).Status);

        await ChangePersonAsync(alice, p => p.SetNationality(["US", "CN"], "US", false));

        var item = await ItemAsync(campaign, aliceIl4);
        Assert.Equal(AccessReviewItemStatus.Kept, item.Status);
        Assert.True(item.Stale);
        Assert.True(item.FlaggedForNext);
        Assert.Equal("Citizenships changed from United States (US) to China (CN), United States (US).", item.StaleReason);
        Assert.Equal(CampaignStatus.Closed, (await CampaignAsync(campaign)).Status);
        Assert.Equal(0, (await CampaignAsync(campaign)).PendingCount);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-item' AND subject_id = '{item.Id}' AND event_type = 4601 AND operation = 'test.change-person'"));
    }

    [Fact]
    public async Task ARaisedImpactLevel_AndANewEscortAssignment_MakeAKeepStale_ButARenameDoesNot()
    {
        var campaign = await StartAsync(Scope());
        await KeepAsync(campaign, aliceIl4);
        await KeepAsync(campaign, bobIl2);

        await ChangePersonAsync(bob, p => p.Rename("Robert Baker", "bob@acme.example", p.EmployeeId, p.EmployerType));
        Assert.Equal(AccessReviewItemStatus.Kept, (await ItemAsync(campaign, bobIl2)).Status);

        await using (var db = await ContextAsync())
        {
            using var scope = AuditScope.Begin(Actor.ServerOperator, "test.change-system");
            var system = await db.Systems.SingleAsync(s => s.Id == AcmeIl4);
            system.Change(system.Name, system.Provider, system.Environment, ImpactLevel.IL5);
            await db.SaveChangesAsync();
        }
        var alices = await ItemAsync(campaign, aliceIl4);
        Assert.Equal(AccessReviewItemStatus.Pending, alices.Status);
        Assert.Equal("Impact level raised from IL4 to IL5.", alices.StaleReason);

        var assigned = await SendAsync(Casey, new AssignEscort(escort, bob, Il2, Today, Today.AddDays(30)));
        Assert.True(assigned.IsOk, assigned.Message);
        var bobs = await ItemAsync(campaign, bobIl2);
        Assert.Equal(AccessReviewItemStatus.Pending, bobs.Status);
        Assert.StartsWith("An escort assignment was added for the system", bobs.StaleReason, StringComparison.Ordinal);
        Assert.Equal(3, (await CampaignAsync(campaign)).PendingCount);
    }

    [Fact]
    public async Task APendingItem_Ends_WhenItsGrantIsRevokedElsewhere_AndTheCampaignCountsItDone()
    {
        var campaign = await StartAsync(Scope(systems: [Il2]));

        var revoked = await SendAsync(Morgan, new DecideGrant(bobIl2, GrantDecision.Revoke, "Bob left the project"));
        Assert.True(revoked.IsOk, revoked.Message);

        var item = await ItemAsync(campaign, bobIl2);
        Assert.Equal(AccessReviewItemStatus.Ended, item.Status);
        Assert.Contains("revoked by another change", item.Note, StringComparison.Ordinal);
        Assert.Equal(1, (await CampaignAsync(campaign)).PendingCount);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-item' AND subject_id = '{item.Id}' AND event_type = 4601 AND operation = 'decide-grant'"));

        // The last pending item ending too closes the campaign: nothing is left to decide.
        Assert.True((await SendAsync(Morgan, new DecideGrant(aliceIl2, GrantDecision.Revoke, "Alice left the project"))).IsOk);
        var closed = await CampaignAsync(campaign);
        Assert.Equal(CampaignStatus.Closed, closed.Status);
        Assert.Equal(CampaignCloseReason.AllDecided, closed.CloseReason);
    }

    private async Task<Guid> StartAsync(Core.Domain.AccessReviews.AccessReviewScope scope)
    {
        var outcome = await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, $"Stale {Guid.NewGuid():N}", scope, representativeStage: false)));
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!.Id;
    }

    /// <summary>Morgan keeps the item of <paramref name="grantId"/> (the decision as the decision engine records it: tracked changes through the gate).</summary>
    private async Task KeepAsync(Guid campaignId, Guid grantId)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Morgan, "test.keep");
        var item = await db.AccessReviewItems.SingleAsync(i => i.CampaignId == campaignId && i.GrantId == grantId);
        var campaign = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaignId);
        item.Decide(AccessReviewDecision.Keep, Morgan.UserId, Clock.GetUtcNow(), "Still needed", "{}");
        campaign.Pending(-1, Clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    private async Task<AccessReviewItem> ItemAsync(Guid campaignId, Guid grantId) =>
        (await ItemsAsync(campaignId)).Single(i => i.GrantId == grantId);
}
