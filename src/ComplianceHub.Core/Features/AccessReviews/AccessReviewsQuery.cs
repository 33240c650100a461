using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>Filters of the campaign list.</summary>
public sealed record CampaignListFilter(Domain.AccessReviews.CampaignStatus? Status = null, Guid? DefinitionId = null, string? Search = null);

/// <summary>
/// Access reviews, read (ADR 0040): definitions, campaigns, their items, one item's review panel, a reviewer's queue, a
/// campaign's summary and the reviewers an item may go to. Scoped like everything vendor-owned (ADR 0028): a representative
/// sees only their own vendor's items (and, of a campaign, only its counts of their vendor's items); an officer or auditor of a
/// contracting office the items of the office's vendors; an item out of scope is not found. Paged and filtered in the
/// database; <see cref="StreamItemsAsync"/> streams an export without holding the list.
/// </summary>
public sealed class AccessReviewsQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    // Replaced by the implementation (issue 23, read side); kept so that the signatures compile for the pages and the API.
    private IDbContextFactory<ComplianceDbContext> Contexts => contexts;
    private TimeProvider Clock => clock;

    public Task<PagedResult<AccessReviewDefinitionView>> DefinitionsAsync(Actor actor, bool includeRetired, PageRequest page, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<AccessReviewDefinitionView?> DefinitionAsync(Actor actor, Guid id, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<PagedResult<AccessReviewCampaignView>> CampaignsAsync(Actor actor, CampaignListFilter filter, PageRequest page, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<AccessReviewCampaignView?> CampaignAsync(Actor actor, Guid id, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<AccessReviewCampaignSummary?> SummaryAsync(Actor actor, Guid campaignId, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<PagedResult<AccessReviewItemView>> ItemsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, PageRequest page, CancellationToken ct = default) =>
        throw new NotImplementedException();

    /// <summary>The ids of the items a filter selects (a bulk action's "select all N matching"), capped at <see cref="Bulk.MaxItems"/>, and the count.</summary>
    public Task<BulkSelection> SelectAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<AccessReviewItemDetail?> ItemAsync(Actor actor, Guid itemId, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public IAsyncEnumerable<AccessReviewItemView> StreamItemsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<ReviewerQueueEntry>> QueueAsync(Actor actor, CancellationToken ct = default) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<ReviewerOption>> ReviewerOptionsAsync(Actor actor, Guid itemId, CancellationToken ct = default) =>
        throw new NotImplementedException();
}
