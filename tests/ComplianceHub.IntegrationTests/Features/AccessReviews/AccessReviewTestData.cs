using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// Access-review rows written straight through a context (entity constructors, audited as the server operator), for the read
/// side's tests: a definition, a campaign and its items over real grants. The start and decision commands are tested with
/// their handlers.
/// </summary>
internal static class AccessReviewTestData
{
    /// <summary>One item to write: the person, the grant, the system and vendor, where it stands.</summary>
    public sealed record ItemSpec(Guid PersonId, Guid GrantId, Guid VendorId, Guid SystemId, int Stage, IReadOnlyList<Guid> Reviewers,
        AccessType AccessType = AccessType.NonPrivileged, bool Escorted = false, bool ForeignNational = false,
        AccessReviewRecommendation Recommendation = AccessReviewRecommendation.Keep, Guid? StageOneBy = null,
        AccessReviewDecision? Decision = null, Guid? DecidedBy = null, bool Stale = false);

    public static async Task<Guid> DefinitionAsync(ComplianceDbContext db, string name, Guid fallbackOfficer, DateTimeOffset at)
    {
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.access-review-definition");
        var definition = new AccessReviewDefinition(Guid.CreateVersion7(), name, fallbackOfficer, at);
        definition.Change(name, new AccessReviewScope { VendorIds = [DemoSeeder.AcmeId, DemoSeeder.GlobexId] }, true, fallbackOfficer, 30, [7, 1],
            DeadlineAction.Escalate, 7, CommentRule.WhenSensitive, Recurrence.Quarterly, DateOnly.FromDateTime(at.UtcDateTime).AddMonths(3));
        db.AccessReviewDefinitions.Add(definition);
        await db.SaveChangesAsync();
        return definition.Id;
    }

    /// <summary>A campaign of <paramref name="definitionId"/> holding <paramref name="items"/>, its counts as the start and decisions keep them.</summary>
    public static async Task<(Guid Campaign, List<Guid> Items)> CampaignAsync(ComplianceDbContext db, Guid definitionId, DateTimeOffset at,
        IReadOnlyList<ItemSpec> items)
    {
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.access-review-campaign");
        var definition = await db.AccessReviewDefinitions.SingleAsync(d => d.Id == definitionId);
        var campaign = new AccessReviewCampaign(Guid.CreateVersion7(), definition, Guid.Empty, "scheduler", at);
        db.AccessReviewCampaigns.Add(campaign);
        var ids = new List<Guid>();
        var pending = items.Count;
        foreach (var spec in items)
        {
            var item = new AccessReviewItem(Guid.CreateVersion7(), campaign.Id, spec.GrantId, spec.PersonId, spec.VendorId, spec.SystemId, null,
                spec.AccessType, spec.Escorted, spec.ForeignNational, Guid.NewGuid(), spec.Recommendation,
                spec.Recommendation == AccessReviewRecommendation.Keep ? "Nothing against it" : "Fails a rule", spec.StageOneBy is null ? spec.Stage : 1,
                spec.StageOneBy is null ? spec.Reviewers : [spec.StageOneBy.Value], null);
            if (spec.StageOneBy is { } by)
            {
                item.ConfirmStageOne(AccessReviewDecision.Keep, by, at.AddHours(1), "Still needed", spec.Reviewers, null);
            }
            if (spec.Decision is { } decision)
            {
                item.Decide(decision, spec.DecidedBy ?? Guid.Empty, at.AddHours(2), decision == AccessReviewDecision.Keep ? null : "Not needed", "{}");
                pending--;
                if (spec.Stale)
                {
                    item.MarkStale("Work location changed", at.AddHours(3), false, [], AccessReviewRecommendation.Revoke, "Moved");
                }
            }
            db.AccessReviewItems.Add(item);
            ids.Add(item.Id);
        }
        campaign.Frozen(items.Count, new string('0', 64));
        campaign.Pending(pending - items.Count, at.AddHours(2));
        await db.SaveChangesAsync();
        return (campaign.Id, ids);
    }
}
