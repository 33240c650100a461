using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// Reassigning items: by a current reviewer (or an installation-wide officer in stage two), to someone who can decide every
/// item — never the grant's requester, an officer in stage two who sees the vendor, a representative of the vendor in stage
/// one — with the reason recorded on the item and in the audit trail.
/// </summary>
public sealed class ReassignTests() : AccessReviewArrange("arreassign")
{
    private Guid ann;

    protected override async Task ArrangePeopleAsync() => ann = await AddPersonAsync("US", name: "Ann Lee", email: "ann@acme.example");

    [Fact]
    public async Task AReviewer_GivesAnItemToAnotherOfficer_WithTheReason()
    {
        var grant = await GrantAsync(Casey, ann, Il2);
        var campaign = await CampaignAsync([grant], representativeStage: false);
        var item = (await ItemsAsync(campaign))[grant];
        var before = await AuditCountAsync();

        // Not to the requester, not to an officer of an office that does not hold the vendor, not to a representative.
        var requester = await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [item.Id], Casey.UserId, "Out next week"));
        Assert.Equal(OutcomeKind.Invalid, requester.Kind);
        Assert.Equal("Casey Officer requested the grant of Ann Lee on milCloud Public Portal, and nobody reviews access they requested: choose someone else.",
            requester.Errors!["ReviewerId"][0]);
        var navwar = await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [item.Id], Drew.UserId, "Out next week"));
        Assert.Equal(OutcomeKind.Invalid, navwar.Kind);
        Assert.Contains("Drew Officer acts for NAVWAR, which holds no contract with the vendor of Ann Lee on milCloud Public Portal", navwar.Errors!["ReviewerId"][0], StringComparison.Ordinal);
        var rep = await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [item.Id], Riley.UserId, "Out next week"));
        Assert.Contains("Riley Acme is not an active contracting officer", rep.Errors!["ReviewerId"][0], StringComparison.Ordinal);
        Assert.Equal(before, await AuditCountAsync());

        var another = await Portal.CreateAccountAsync("co4@demo.local", Roles.ContractingOfficer);
        Ok(await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [item.Id], another, "Out next week")));
        var after = (await ItemsAsync(campaign))[grant];
        Assert.Equal([another], after.ReviewerIds);
        Assert.Equal("Reassigned by Morgan Officer: Out next week", after.Note);
        await using (var db = await ContextAsync())
        {
            Assert.Single(await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > before && e.EventType == 4601 && e.SubjectId == item.Id.ToString() && e.Operation == "reassign-access-review-items").ToListAsync());
        }

        // Morgan is no longer a reviewer: no more deciding it, nor reassigning it; an installation-wide officer still may reassign it.
        Assert.Equal(OutcomeKind.Refused, (await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, item.Id))).Kind);
        var officeActor = new Actor(another, "co4", Roles.ContractingOfficer, null, null);
        Ok(await SendAsync(officeActor, Decide(campaign, AccessReviewDecision.Keep, null, item.Id)));
        Assert.Equal(AccessReviewItemStatus.Kept, (await ItemsAsync(campaign))[grant].Status);

        // A decided item is not reassigned.
        var decided = await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [item.Id], another, "Again"));
        Assert.Equal(OutcomeKind.Conflict, decided.Kind); // the campaign closed with its only item
    }

    [Fact]
    public async Task OnlyItsReviewers_OrAnInstallationWideOfficer_Reassign()
    {
        var grant = await GrantAsync(Casey, ann, Il2);
        var other = await GrantAsync(Casey, ann, AcmeIl4);
        var campaign = await CampaignAsync([grant, other], representativeStage: false);
        var items = await ItemsAsync(campaign);
        var co4 = await Portal.CreateAccountAsync("co4@demo.local", Roles.ContractingOfficer);
        Ok(await SendAsync(Morgan, new ReassignAccessReviewItems(campaign, [items[grant].Id], co4, "Taking over the IL2 portfolio")));

        // Drew (NAVWAR) cannot see the Acme items at all.
        var navwar = await SendAsync(Drew, new ReassignAccessReviewItems(campaign, [items[other].Id], Morgan.UserId, "Mine"));
        Assert.Equal(OutcomeKind.NotFound, navwar.Kind);

        // Casey is installation-wide: may reassign a stage-two item although not its reviewer (they requested the grant, so not to themselves).
        Ok(await SendAsync(Casey, new ReassignAccessReviewItems(campaign, [items[grant].Id], Morgan.UserId, "co4 is away")));
        Assert.Equal([Morgan.UserId], (await ItemsAsync(campaign))[grant].ReviewerIds);

        // An officer of an office who is not among the reviewers may not.
        var office = Drew with { OfficeVendorIds = [DemoSeeder.AcmeId, DemoSeeder.GlobexId] };
        var notTheirs = await SendAsync(office, new ReassignAccessReviewItems(campaign, [items[grant].Id], co4, "Mine"));
        Assert.Equal(OutcomeKind.Refused, notTheirs.Kind);
        Assert.Contains("It is not yours to reassign", Assert.Single(notTheirs.RefusedItems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepresentative_ReassignsStageOneItems_ToAnotherRepresentativeOfTheVendor()
    {
        var grant = await GrantAsync(Casey, ann, Il2);
        var campaign = await CampaignAsync([grant]);
        var item = (await ItemsAsync(campaign))[grant];
        Assert.Equal([Riley.UserId], item.ReviewerIds);

        var globex = await SendAsync(Riley, new ReassignAccessReviewItems(campaign, [item.Id], Taylor.UserId, "Globex knows"));
        Assert.Equal(OutcomeKind.Invalid, globex.Kind);
        Assert.Contains("Taylor Globex is not an active representative of the vendor", globex.Errors!["ReviewerId"][0], StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Taylor, new ReassignAccessReviewItems(campaign, [item.Id], Taylor.UserId, "Mine"))).Kind);

        var second = await Portal.CreateAccountAsync("second.rep@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId);
        Ok(await SendAsync(Riley, new ReassignAccessReviewItems(campaign, [item.Id], second, "Team lead for this system")));
        Assert.Equal([second], (await ItemsAsync(campaign))[grant].ReviewerIds);
        Assert.Equal(OutcomeKind.Refused, (await SendAsync(Riley, Decide(campaign, AccessReviewDecision.Keep, null, item.Id))).Kind);
    }
}
