using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// The decision engine end to end on real grants: the representative confirms stage one, the contract's responsible officers
/// decide stage two — keep (with its snapshot), revoke and reduce through the gate — and the campaign closes when nothing is
/// left; the comment rules; a grant ended meanwhile; the deadline's action.
/// </summary>
public sealed class DecisionTests() : AccessReviewArrange("ardecide")
{
    private Guid ann, bo;
    private Guid keepGrant, reduceIl2Grant, foreignGrant, reduceIl4Grant, revokeGrant;

    protected override async Task ArrangePeopleAsync()
    {
        ann = await AddPersonAsync("US", name: "Ann Lee", email: "ann@acme.example");
        bo = await AddPersonAsync("US", name: "Bo Chen", email: "bo@acme.example");
        keepGrant = await GrantAsync(Casey, ann, Il2);
        reduceIl2Grant = await GrantAsync(Casey, bo, Il2, AccessType.Privileged);
        reduceIl4Grant = await GrantAsync(Casey, ann, AcmeIl4, AccessType.Privileged);
        revokeGrant = await GrantAsync(Casey, bo, AcmeIl4);
        (_, foreignGrant) = await EscortedForeignGrantAsync(Casey, Il2);
    }

    private Guid[] All => [keepGrant, reduceIl2Grant, foreignGrant, reduceIl4Grant, revokeGrant];

    [Fact]
    public async Task TwoStages_RepresentativeConfirms_ThenTheResponsibleOfficersDecide_AndTheCampaignCloses()
    {
        var campaign = await CampaignAsync(All);
        var items = await ItemsAsync(campaign);
        Assert.All(items.Values, i =>
        {
            Assert.Equal(1, i.Stage);
            Assert.Equal([Riley.UserId], i.ReviewerIds);
        });

        // Stage one: the representative answers (a foreign national's escorted grant is kept with a comment).
        var noComment = await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, items[keepGrant].Id, items[foreignGrant].Id));
        Assert.Equal(OutcomeKind.Refused, noComment.Kind);
        var refused = Assert.Single(noComment.RefusedItems);
        Assert.Equal(items[foreignGrant].Id, refused.Id);
        Assert.Equal("Fiona Foreign on milCloud Public Portal", refused.Label);
        Assert.Contains("Keeping a foreign national's or an escorted grant needs a comment", refused.Reason, StringComparison.Ordinal);

        var confirmed = Ok(await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, items[keepGrant].Id, items[reduceIl2Grant].Id, items[reduceIl4Grant].Id)));
        Assert.Equal((0, 3, false), (confirmed.Decided, confirmed.MovedToStageTwo, confirmed.CampaignClosed));
        Ok(await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, "Still escorted daily on the help desk", items[foreignGrant].Id)));
        Ok(await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Revoke, "Moved to another project", items[revokeGrant].Id)));

        items = await ItemsAsync(campaign);
        Assert.All(items.Values, i =>
        {
            Assert.Equal(2, i.Stage);
            Assert.Equal(Riley.UserId, i.StageOneBy);
            Assert.Equal(AccessReviewItemStatus.Pending, i.Status);
            // The contract's responsible officers except the requester (co1): co2 and co3.
            Assert.Equal(new[] { Morgan.UserId, Drew.UserId }.Order(), i.ReviewerIds);
        });
        Assert.Equal(AccessReviewDecision.Revoke, items[revokeGrant].StageOneDecision);
        Assert.Equal("Moved to another project", items[revokeGrant].StageOneComment);
        Assert.Equal(5, (await CampaignRowAsync(campaign)).PendingCount);

        // Stage two: keep with the facts it was made on.
        var kept = Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, items[keepGrant].Id)));
        Assert.Equal((1, 0, 0), (kept.Decided, kept.GrantsRevoked, kept.GrantsRequested));
        var keptItem = (await ItemsAsync(campaign))[keepGrant];
        Assert.Equal((AccessReviewItemStatus.Kept, Morgan.UserId), (keptItem.Status, keptItem.DecidedBy));
        var snapshot = DecisionSnapshot.Parse(keptItem.DecisionSnapshot)!;
        Assert.Equal("Ann Lee", snapshot.Person.Name);
        Assert.Equal(["US"], snapshot.Person.Citizenships);
        Assert.True(snapshot.Person.UsPerson);
        Assert.Equal(("US", "Reston"), (snapshot.Person.WorkCountry, snapshot.Person.WorkCity));
        Assert.Equal(Today.AddDays(-3), snapshot.Person.LocationAttestedOn);
        Assert.Equal(InvestigationTier.T5, snapshot.Person.InvestigationTier);
        Assert.Equal(("milCloud Public Portal", ImpactLevel.IL2), (snapshot.System.Name, snapshot.System.ImpactLevel));
        Assert.Equal((AccessType.NonPrivileged, false, GrantStatus.Active), (snapshot.Grant.AccessType, snapshot.Grant.Escorted, snapshot.Grant.Status));
        Assert.Equal("Nothing against it", snapshot.RecommendationReason);
        Assert.True(snapshot.PolicyVersion >= 1);
        Assert.Equal(GrantStatus.Active, (await GrantRowAsync(keepGrant)).Status);

        // The escorted foreign national's grant: kept only with a comment; the snapshot names the escort.
        var bare = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, " ", items[foreignGrant].Id));
        Assert.Equal(OutcomeKind.Refused, bare.Kind);
        Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, "Escort confirmed; help desk work continues", items[foreignGrant].Id)));
        var foreign = DecisionSnapshot.Parse((await ItemsAsync(campaign))[foreignGrant].DecisionSnapshot)!;
        Assert.Equal(["Erin Escort"], foreign.EscortNames);
        Assert.False(foreign.Person.UsPerson);
        Assert.Equal(["GB"], foreign.Person.Citizenships);

        // Revoke: the grant is revoked through the gate, its reason names the review and the decider; both changes are audited.
        var before = await AuditCountAsync();
        var revoked = Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Revoke, "No longer needed on the data lake", items[revokeGrant].Id)));
        Assert.Equal((1, 1, 0), (revoked.Decided, revoked.GrantsRevoked, revoked.GrantsRequested));
        var revokedGrant = await GrantRowAsync(revokeGrant);
        var campaignName = (await CampaignRowAsync(campaign)).Name;
        Assert.Equal(GrantStatus.Revoked, revokedGrant.Status);
        Assert.Equal($"Morgan Officer: Access review {campaignName}: No longer needed on the data lake", revokedGrant.StatusReason);
        await using (var db = await ContextAsync())
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > before).ToListAsync();
            Assert.Contains(events, e => e.SubjectId == revokeGrant.ToString() && e.Operation == "decide-access-review-items" && e.ActorUserId == Morgan.UserId);
            Assert.Contains(events, e => e.EventType == 4601 && e.SubjectId == items[revokeGrant].Id.ToString());
            Assert.Contains(events, e => e.EventType == 4501 && e.SubjectId == campaign.ToString());
        }

        // Reduce on IL2 for a US person, decided by an officer: the old grant revoked, the non-privileged one active at once.
        var reducedIl2 = Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Reduce, "Read-only is enough", items[reduceIl2Grant].Id)));
        Assert.Equal((1, 1, 1), (reducedIl2.Decided, reducedIl2.GrantsRevoked, reducedIl2.GrantsRequested));
        var il2Item = (await ItemsAsync(campaign))[reduceIl2Grant];
        Assert.Equal(AccessReviewItemStatus.Reduced, il2Item.Status);
        Assert.Equal(GrantStatus.Revoked, (await GrantRowAsync(reduceIl2Grant)).Status);
        var newIl2 = await GrantRowAsync(il2Item.ReducedGrantId!.Value);
        Assert.Equal((AccessType.NonPrivileged, GrantStatus.Active, bo, Il2, Morgan.UserId), (newIl2.AccessType, newIl2.Status, newIl2.PersonId, newIl2.SystemId, newIl2.RequestedBy));
        Assert.StartsWith($"Reduced from privileged access by access review {campaignName}", newIl2.Justification, StringComparison.Ordinal);

        // Reduce on IL4: the new request waits for a second officer (the two-person rule).
        Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Reduce, "Only reports from now on", items[reduceIl4Grant].Id)));
        var il4Item = (await ItemsAsync(campaign))[reduceIl4Grant];
        Assert.Equal(GrantStatus.Revoked, (await GrantRowAsync(reduceIl4Grant)).Status);
        var newIl4 = await GrantRowAsync(il4Item.ReducedGrantId!.Value);
        Assert.Equal((AccessType.NonPrivileged, GrantStatus.PendingApproval), (newIl4.AccessType, newIl4.Status));

        // Nothing left: the campaign closed, all decided.
        var closed = await CampaignRowAsync(campaign);
        Assert.Equal((CampaignStatus.Closed, CampaignCloseReason.AllDecided, 0), (closed.Status, closed.CloseReason, closed.PendingCount));
        var late = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, items[keepGrant].Id));
        Assert.Equal(OutcomeKind.Conflict, late.Kind);
        Assert.Contains("closed", late.Message, StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task RevokeAndReduce_NeedAReason_ReduceOnlyPrivileged_AndAnAlwaysCampaignNeedsACommentForEveryKeep()
    {
        var campaign = await CampaignAsync(All, representativeStage: false);
        var items = await ItemsAsync(campaign);
        var revoke = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Revoke, "  ", items[keepGrant].Id));
        Assert.Equal(OutcomeKind.Invalid, revoke.Kind);
        Assert.Contains("Give the reason for revoking", revoke.Errors!["Comment"][0], StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.Invalid, (await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Reduce, null, items[reduceIl2Grant].Id))).Kind);

        var notPrivileged = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Reduce, "Less", items[keepGrant].Id, items[reduceIl2Grant].Id));
        Assert.Equal(OutcomeKind.Refused, notPrivileged.Kind);
        var only = Assert.Single(notPrivileged.RefusedItems);
        Assert.Equal(items[keepGrant].Id, only.Id);
        Assert.Contains("Only privileged access can be reduced; this grant is non-privileged access", only.Reason, StringComparison.Ordinal);
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal(AccessReviewItemStatus.Pending, i.Status));

        var always = await CampaignAsync([keepGrant], representativeStage: false, commentRule: CommentRule.Always);
        var alwaysItem = (await ItemsAsync(always))[keepGrant];
        var keep = await SendAsync(Morgan, Decide(always, AccessReviewDecision.Keep, null, alwaysItem.Id));
        Assert.Equal(OutcomeKind.Invalid, keep.Kind);
        Assert.Contains("comment with every decision", keep.Errors!["Comment"][0], StringComparison.Ordinal);
        Ok(await SendAsync(Morgan, Decide(always, AccessReviewDecision.Keep, "Checked with the program office", alwaysItem.Id)));
        Assert.Equal("Checked with the program office", (await ItemsAsync(always))[keepGrant].Comment);
    }

    [Fact]
    public async Task ADryRun_SaysWhatWouldHappen_AndWritesNothing()
    {
        var campaign = await CampaignAsync(All, representativeStage: false);
        var items = await ItemsAsync(campaign);
        var before = await AuditCountAsync();
        var preview = Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Revoke, "Contract ends", items[keepGrant].Id, items[revokeGrant].Id) with { DryRun = true }));
        Assert.Equal((2, 2, 0, false), (preview.Decided, preview.GrantsRevoked, preview.GrantsRequested, preview.CampaignClosed));
        Assert.Equal(before, await AuditCountAsync());
        Assert.Equal(GrantStatus.Active, (await GrantRowAsync(keepGrant)).Status);
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal(AccessReviewItemStatus.Pending, i.Status));
        Assert.Equal(5, (await CampaignRowAsync(campaign)).PendingCount);
    }

    [Fact]
    public async Task AGrantEndedMeanwhile_EndsItsItem_InsteadOfADecision()
    {
        var campaign = await CampaignAsync([keepGrant, revokeGrant], representativeStage: false);
        var items = await ItemsAsync(campaign);
        Ok(await SendAsync(Casey, new DecideGrant(keepGrant, GrantDecision.Revoke, "Badge lost")));
        var result = Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, items[keepGrant].Id, items[revokeGrant].Id)));
        Assert.Equal((1, true), (result.Decided, result.CampaignClosed)); // the ended item leaves nothing pending either
        var after = await ItemsAsync(campaign);
        Assert.Equal(AccessReviewItemStatus.Ended, after[keepGrant].Status);
        Assert.Contains("revoked before the review decided it", after[keepGrant].Note, StringComparison.Ordinal);
        Assert.Null(after[keepGrant].DecidedAt);
        Assert.Equal(AccessReviewItemStatus.Kept, after[revokeGrant].Status);
        var row = await CampaignRowAsync(campaign);
        Assert.Equal((CampaignStatus.Closed, 0), (row.Status, row.PendingCount));
    }

    [Fact]
    public async Task TheDeadline_RevokesAsTheScheduler_AndNeverReduces()
    {
        var campaign = await CampaignAsync([keepGrant, revokeGrant], representativeStage: false);
        Clock.Advance(TimeSpan.FromDays(31));
        await using (var db = await ContextAsync())
        {
            using var scope = AuditScope.Begin(Actor.Scheduler, "run-access-review-schedule");
            var context = new CommandContext(Actor.Scheduler, db, Clock.GetUtcNow());
            var row = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaign);
            var pending = await db.AccessReviewItems.Where(i => i.CampaignId == campaign).OrderBy(i => i.Id).ToListAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                AccessReviewDecisions.ApplyFinalAsync(context, row, pending, AccessReviewDecision.Reduce, null, atDeadline: true, default));
            var counts = await AccessReviewDecisions.ApplyFinalAsync(context, row, pending, AccessReviewDecision.Revoke, null, atDeadline: true, default);
            Assert.Equal(new DecisionCounts(2, 2, 0), counts);
            await db.SaveChangesAsync();
        }
        var items = await ItemsAsync(campaign);
        Assert.All(items.Values, i =>
        {
            Assert.Equal((AccessReviewItemStatus.Revoked, true, Guid.Empty), (i.Status, i.DecidedAtDeadline, i.DecidedBy));
            Assert.NotNull(DecisionSnapshot.Parse(i.DecisionSnapshot));
        });
        var grant = await GrantRowAsync(keepGrant);
        Assert.Equal(GrantStatus.Revoked, grant.Status);
        Assert.EndsWith("nobody decided it by the deadline", grant.StatusReason, StringComparison.Ordinal);
        Assert.StartsWith(Actor.Scheduler.DisplayName, grant.StatusReason, StringComparison.Ordinal);
        Assert.Equal(CampaignCloseReason.AllDecided, (await CampaignRowAsync(campaign)).CloseReason);
        Assert.True((await VerifyChainAsync()).Valid);
    }
}
