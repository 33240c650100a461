using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Which items a reader may see, and which a filter selects — one place for the grid, the queue, the exports and the bulk
/// decisions, so that what a confirmation counts is what the decision applies (ADR 0040).
/// <list type="bullet">
/// <item>Representatives see their own vendor's items that are in stage one or were answered there (a representative sees and
///   decides only their own vendor's stage-one items; what they answered stays in sight);</item>
/// <item>officers and auditors of a contracting office the items of the office's vendors; everyone else every item.</item>
/// </list>
/// An item out of sight is not found.
/// </summary>
public static class AccessReviewItemScope
{
    public static IQueryable<AccessReviewItem> VisibleTo(this IQueryable<AccessReviewItem> items, Actor actor)
    {
        if (actor.IsVendorRepresentative)
        {
            var vendor = actor.VendorId ?? Guid.Empty;
            return items.Where(i => i.VendorId == vendor && (i.Stage == 1 || i.StageOneBy != null));
        }
        return actor.VisibleVendorIds is { } ids ? items.Where(i => ids.Contains(i.VendorId)) : items;
    }

    /// <summary>The items the actor may decide now: pending, and the actor among the reviewers of the item's current stage.</summary>
    public static IQueryable<AccessReviewItem> DecidableBy(this IQueryable<AccessReviewItem> items, Actor actor)
    {
        var me = actor.UserId;
        var stage = actor.IsVendorRepresentative ? 1 : 2;
        return actor.IsVendorRepresentative || actor.Role == Roles.ContractingOfficer
            ? items.VisibleTo(actor).Where(i => i.Status == AccessReviewItemStatus.Pending && i.Stage == stage && i.ReviewerIds.Contains(me))
            : items.Where(_ => false);
    }

    /// <summary>The items of <paramref name="campaignId"/> the actor sees that <paramref name="filter"/> selects.</summary>
    public static IQueryable<AccessReviewItem> Select(ComplianceDbContext db, Actor actor, Guid campaignId, AccessReviewItemFilter filter)
    {
        var items = db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaignId);
        items = filter.Mine ? items.DecidableBy(actor) : items.VisibleTo(actor);
        if (filter.VendorIds.Count > 0)
        {
            var vendors = filter.VendorIds.ToArray();
            items = items.Where(i => vendors.Contains(i.VendorId));
        }
        if (filter.SystemIds.Count > 0)
        {
            var systems = filter.SystemIds.ToArray();
            items = items.Where(i => systems.Contains(i.SystemId));
        }
        if (filter.Status is { } status)
        {
            items = items.Where(i => i.Status == status);
        }
        if (filter.Stage is { } stage)
        {
            items = items.Where(i => i.Stage == stage);
        }
        if (filter.Recommendation is { } recommendation)
        {
            items = items.Where(i => i.Recommendation == recommendation);
        }
        if (filter.AccessType is { } accessType)
        {
            items = items.Where(i => i.AccessType == accessType);
        }
        if (filter.Escorted is { } escorted)
        {
            items = items.Where(i => i.Escorted == escorted);
        }
        if (filter.ForeignNational is { } foreign)
        {
            items = items.Where(i => i.ForeignNational == foreign);
        }
        if (filter.Stale is { } stale)
        {
            items = items.Where(i => i.Stale == stale);
        }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            items = items.Where(i => db.People.Any(p => p.Id == i.PersonId && (EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.Email, pattern)))
                || db.Systems.Any(s => s.Id == i.SystemId && EF.Functions.ILike(s.Name, pattern)));
        }
        return items;
    }
}
