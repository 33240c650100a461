using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// Who may decide (issue 23, "Must hold"): nobody decides an item of a grant they requested; a representative decides only
/// their own vendor's stage-one items (another vendor's are not found); an officer of a contracting office only the office's
/// vendors'; auditors and administrators decide nothing.
/// </summary>
public sealed class SeparationOfDutiesTests() : AccessReviewArrange("arsod")
{
    private Guid ann, gail;

    protected override async Task ArrangePeopleAsync()
    {
        ann = await AddPersonAsync("US", name: "Ann Lee", email: "ann@acme.example");
        gail = await AddPersonAsync("US", name: "Gail Globex", email: "gail@globex.example", vendorId: DemoSeeder.GlobexId);
    }

    [Fact]
    public async Task AnOfficerNeverDecidesAGrantTheyRequested_TheOtherOfficersDo()
    {
        var grant = await GrantAsync(Casey, ann, Il2);
        var campaign = await CampaignAsync([grant], representativeStage: false);
        var item = (await ItemsAsync(campaign))[grant];
        Assert.DoesNotContain(Casey.UserId, item.ReviewerIds);

        var own = await SendAsync(Casey, Decide(campaign, AccessReviewDecision.Revoke, "Not needed", item.Id));
        Assert.Equal(OutcomeKind.Refused, own.Kind);
        var refused = Assert.Single(own.RefusedItems);
        Assert.Equal("Ann Lee on milCloud Public Portal", refused.Label);
        Assert.Equal("You requested this grant, and nobody reviews access they requested themselves: another reviewer decides it.", refused.Reason);
        // By filter the item is not even selected.
        var filtered = await SendAsync(Casey, new DecideAccessReviewItems(campaign, null, new AccessReviewItemFilter(), AccessReviewDecision.Keep, null));
        Assert.Equal(OutcomeKind.Conflict, filtered.Kind);
        Assert.Equal(AccessReviewItemStatus.Pending, (await ItemsAsync(campaign))[grant].Status);

        Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, item.Id)));
    }

    [Fact]
    public async Task TheOnlyRepresentative_RequestedTheGrant_SoTheItemGoesStraightToTheOfficers_OutOfTheirSight()
    {
        var grant = await GrantAsync(Riley, ann, Il2);
        var campaign = await CampaignAsync([grant]);
        var item = (await ItemsAsync(campaign))[grant];
        Assert.Equal(2, item.Stage);
        Assert.StartsWith(ReviewerRouting.NoOtherRepresentative, item.Note, StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, item.Id))).Kind);
        Ok(await SendAsync(Casey, Decide(campaign, AccessReviewDecision.Keep, null, item.Id)));
    }

    [Fact]
    public async Task WithAnotherRepresentative_TheRequesterIsRefused_AndTheOtherConfirms()
    {
        var other = await Portal.CreateAccountAsync("second.rep@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId);
        var second = new Actor(other, "second.rep", Roles.VendorRepresentative, DemoSeeder.AcmeId, "Acme Cloud Services");
        var grant = await GrantAsync(Riley, ann, Il2);
        var campaign = await CampaignAsync([grant]);
        var item = (await ItemsAsync(campaign))[grant];
        Assert.Equal(1, item.Stage);
        Assert.Equal([other], item.ReviewerIds);

        var own = await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, item.Id));
        Assert.Equal(OutcomeKind.Refused, own.Kind);
        Assert.Contains("You requested this grant", Assert.Single(own.RefusedItems).Reason, StringComparison.Ordinal);

        var moved = Ok(await SendAsync(second, Decide(campaign, AccessReviewDecision.Keep, null, item.Id)));
        Assert.Equal(1, moved.MovedToStageTwo);
        // Stage two is the officers': the representative who answered sees the item but cannot decide it again.
        var again = await SendAsync(second, Decide(campaign, AccessReviewDecision.Revoke, "Changed my mind", item.Id));
        Assert.Equal(OutcomeKind.Refused, again.Kind);
        Assert.Contains("representatives confirm items in the first stage only", Assert.Single(again.RefusedItems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherVendorsItems_AreNotFound_AndAnOfficeOnlyDecidesItsVendors()
    {
        var acme = await GrantAsync(Casey, ann, Il2);
        var globex = await GrantAsync(Casey, gail, Il5);
        var campaign = await CampaignAsync([acme, globex]);
        var items = await ItemsAsync(campaign);

        // The Globex representative: the Acme item is not found; their own is theirs.
        var foreignVendor = await SendAsync(Taylor, Decide(campaign, AccessReviewDecision.Keep, null, items[acme].Id, items[globex].Id));
        Assert.Equal(OutcomeKind.NotFound, foreignVendor.Kind);
        Assert.Equal([items[acme].Id], foreignVendor.RefusedItems.Select(r => r.Id));
        Assert.Equal("An item you cannot see", foreignVendor.RefusedItems[0].Label);
        Ok(await SendAsync(Taylor, Decide(campaign, AccessReviewDecision.Keep, null, items[globex].Id)));

        // A campaign with nothing of the representative's vendor is not found at all.
        var acmeOnly = await CampaignAsync([acme]);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Taylor, new DecideAccessReviewItems(acmeOnly, null, new AccessReviewItemFilter(), AccessReviewDecision.Keep, null))).Kind);

        // The NAVWAR officer sees Globex only: the Acme item is not found, even by filter.
        Ok(await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, items[acme].Id)));
        var navwar = await SendAsync(Drew, Decide(campaign, AccessReviewDecision.Keep, null, items[acme].Id));
        Assert.Equal(OutcomeKind.NotFound, navwar.Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Drew, new DecideAccessReviewItems(acmeOnly, null, new AccessReviewItemFilter(), AccessReviewDecision.Keep, null))).Kind);
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal(AccessReviewItemStatus.Pending, i.Status));
    }

    [Fact]
    public async Task AuditorsAndAdministrators_DecideNothing()
    {
        var grant = await GrantAsync(Casey, ann, Il2);
        var campaign = await CampaignAsync([grant], representativeStage: false);
        var item = (await ItemsAsync(campaign))[grant];
        foreach (var actor in new[] { Jordan, Avery })
        {
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, Decide(campaign, AccessReviewDecision.Revoke, "x", item.Id))).Kind);
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, new ReassignAccessReviewItems(campaign, [item.Id], Morgan.UserId, "x"))).Kind);
        }
        Assert.Equal(AccessReviewItemStatus.Pending, (await ItemsAsync(campaign))[grant].Status);
    }
}
