using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Decides a selection of a campaign's items (<see cref="DecideAccessReviewItems"/>), all or nothing:
/// <list type="number">
/// <item>the campaign must be open and in sight (a representative's or an office's vendors have items in it; else not found);</item>
/// <item>the selection is planned set-wise before anything is written — how many items, and which are refused (not pending,
///   not the actor's to decide, the actor requested the grant, Reduce on access that is not privileged, a keep without the
///   comment it needs) — so that a refusal never leaves half a selection decided; every refused item is listed;</item>
/// <item>then applied in chunks of <see cref="ChunkSize"/> items within the command's one transaction, each saved through the
///   gate and forgotten, with progress (<see cref="AccessReviewProgressScope"/>): a representative's answer moves the item to
///   stage two (<see cref="ReviewerRouting.StageTwo"/>), an officer's takes effect (<see cref="AccessReviewDecisions.ApplyFinalAsync"/>).
///   A refusal at the gate (a reduced request failing a blocking rule) rolls every chunk back.</item>
/// </list>
/// The campaign's counts are saved once, at the end, so a bulk decision leaves one change of the campaign in the audit trail.
/// </summary>
internal sealed class DecideAccessReviewItemsHandler : ICommandHandler<DecideAccessReviewItems, AccessReviewDecisionResult>
{
    /// <summary>Items decided per save.</summary>
    internal const int DefaultChunkSize = 2_000;

    private static readonly AsyncLocal<int?> ChunkOverride = new();

    /// <summary>Items decided per save: <see cref="DefaultChunkSize"/>, or what a test set for its own flow (<see cref="UseChunkSize"/>).</summary>
    internal static int ChunkSize => ChunkOverride.Value ?? DefaultChunkSize;

    /// <summary>Makes the chunks of decisions sent from the calling flow <paramref name="size"/> items (tests cross chunks with few items).</summary>
    internal static IDisposable UseChunkSize(int size)
    {
        var previous = ChunkOverride.Value;
        ChunkOverride.Value = size;
        return new Restore(() => ChunkOverride.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The most refused items a refusal lists (a filter over a whole campaign could refuse tens of thousands).</summary>
    internal const int MaxListedRefusals = Bulk.MaxItems;

    public async Task<Outcome<AccessReviewDecisionResult>> HandleAsync(DecideAccessReviewItems command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var actor = context.Actor;
        var campaign = await db.AccessReviewCampaigns.SingleOrDefaultAsync(c => c.Id == command.CampaignId, ct);
        if (campaign is null || !await SeesCampaignAsync(db, actor, campaign.Id, ct))
        {
            return Outcome<AccessReviewDecisionResult>.NotFound("The access review");
        }
        if (!campaign.IsOpen)
        {
            return Outcome<AccessReviewDecisionResult>.Conflict(
                $"The access review closed on {campaign.ClosedAt:yyyy-MM-dd} (UTC): its items can no longer be decided.");
        }
        var comment = string.IsNullOrWhiteSpace(command.Comment) ? null : command.Comment.Trim();
        if (comment is null && command.Decision != AccessReviewDecision.Keep)
        {
            return Invalid(command.Decision == AccessReviewDecision.Revoke
                ? "Give the reason for revoking; it is recorded on the grant and read by the officers and the auditors."
                : "Give the reason for reducing the access; it is recorded on the grant and read by the officers and the auditors.");
        }
        if (comment is null && campaign.CommentRule == CommentRule.Always)
        {
            return Invalid("This review asks for a comment with every decision: say why the access is kept.");
        }

        // 1. Plan: the selection, its count and its refusals, read set-wise; nothing is written yet.
        var plan = new Planner(context, campaign, command.Decision, comment is not null);
        IQueryable<AccessReviewItem> selection;
        int total;
        if (command.Ids is { Count: > 0 } ids)
        {
            selection = db.AccessReviewItems.AsNoTracking().VisibleTo(actor).Where(i => i.CampaignId == campaign.Id && ids.Contains(i.Id));
            var rows = await plan.RowsAsync(selection, ct);
            var found = rows.ToDictionary(r => r.Id);
            var refused = Bulk.Check(ids, found, r => r.Label, plan.Refusal);
            if (refused.Count > 0)
            {
                return Refused(refused, rows.Count < ids.Count);
            }
            total = rows.Count;
        }
        else
        {
            selection = AccessReviewItemScope.Select(db, actor, campaign.Id, command.Filter!).DecidableBy(actor);
            total = await selection.CountAsync(ct);
            if (total == 0)
            {
                return Outcome<AccessReviewDecisionResult>.Conflict("The selection holds no item you may decide now: change the filter, or reload the list.");
            }
            var refusedRows = await plan.RowsAsync(plan.Refusable(selection).OrderBy(i => i.Id).Take(MaxListedRefusals), ct);
            var refused = refusedRows.Select(r => new RefusedItem(r.Id, r.Label, plan.Refusal(r), [])).Where(r => r.Reason is not null).ToList();
            if (refused.Count > 0)
            {
                return Refused(refused, anyNotFound: false);
            }
        }
        if (command.ExpectedCount is { } expected && expected != total)
        {
            return Outcome<AccessReviewDecisionResult>.Conflict(
                $"The selection now holds {total:N0} items, not {expected:N0}: someone decided some meanwhile. Review it and confirm again.");
        }

        // 2. Apply, a chunk at a time, in the command's transaction. The campaign is kept out of the chunks' saves and its
        // change (the counts, perhaps the close) saved once at the end, against the version read at the start.
        var campaignEntry = db.Entry(campaign);
        var campaignOriginals = campaignEntry.OriginalValues.Clone();
        campaignEntry.State = EntityState.Detached;
        var routing = actor.IsVendorRepresentative ? await ReviewerRouting.LoadAsync(db, campaign.FallbackOfficerId, context.Today, ct) : null;
        AccessReviewProgressScope.Report(0, total);
        int done = 0, decided = 0, moved = 0, revoked = 0, requested = 0;
        var chunkIds = command.Ids is { Count: > 0 } chosen ? chosen.Order().Chunk(ChunkSize).GetEnumerator() : null;
        while (done < total)
        {
            List<AccessReviewItem> chunk;
            if (chunkIds is not null)
            {
                if (!chunkIds.MoveNext())
                {
                    break;
                }
                var next = chunkIds.Current;
                chunk = await db.AccessReviewItems.Where(i => i.CampaignId == campaign.Id && next.Contains(i.Id)).OrderBy(i => i.Id).ToListAsync(ct);
            }
            else
            {
                // What is decided leaves the selection (no longer pending, or in stage two): the next chunk is the first of what is left.
                chunk = await selection.AsTracking().OrderBy(i => i.Id).Take(ChunkSize).ToListAsync(ct);
                if (chunk.Count == 0)
                {
                    break;
                }
            }
            var stage = actor.IsVendorRepresentative ? 1 : 2;
            if (chunk.Any(i => !i.IsPending || i.Stage != stage))
            {
                break; // decided by someone else since the plan: the count below says so, and nothing is kept
            }
            if (routing is not null)
            {
                foreach (var item in chunk)
                {
                    var route = routing.StageTwo(item.VendorId, item.SystemId, item.GrantRequestedBy);
                    item.ConfirmStageOne(command.Decision, actor.UserId, context.Now, comment, route.Reviewers, route.Note);
                }
                moved += chunk.Count;
            }
            else
            {
                var counts = await AccessReviewDecisions.ApplyFinalAsync(context, campaign, chunk, command.Decision, comment, atDeadline: false, ct);
                decided += counts.Decided;
                revoked += counts.GrantsRevoked;
                requested += counts.GrantsRequested;
            }
            await db.SaveChangesAsync(ct);
            db.Outcomes.Clear();
            db.ChangeTracker.Clear();
            done += chunk.Count;
            AccessReviewProgressScope.Report(Math.Min(done, total), total);
        }
        if (done != total)
        {
            // Someone else's decision changed the selection while this one ran: nothing of it is kept.
            return Outcome<AccessReviewDecisionResult>.Conflict(
                $"The selection changed while it was being decided ({done:N0} of {total:N0} items were still there): nothing was applied. Review it and confirm again.");
        }
        var entry = db.Attach(campaign);
        entry.OriginalValues.SetValues(campaignOriginals);
        db.ChangeTracker.DetectChanges();
        return Outcome<AccessReviewDecisionResult>.Ok(new AccessReviewDecisionResult(decided, moved, revoked, requested, !campaign.IsOpen));
    }

    /// <summary>
    /// Whether the actor sees the campaign: everyone who sees every vendor does (auditors read it; only officers and
    /// representatives decide); a representative or an officer of an office when one of the items is theirs to see.
    /// </summary>
    internal static async Task<bool> SeesCampaignAsync(ComplianceDbContext db, Actor actor, Guid campaignId, CancellationToken ct) =>
        (actor.SeesEveryVendor && !actor.IsVendorRepresentative)
        || await db.AccessReviewItems.AsNoTracking().VisibleTo(actor).AnyAsync(i => i.CampaignId == campaignId, ct);

    private static Outcome<AccessReviewDecisionResult> Invalid(string message) =>
        Outcome<AccessReviewDecisionResult>.Invalid(new Dictionary<string, string[]> { [nameof(DecideAccessReviewItems.Comment)] = [message] });

    private static Outcome<AccessReviewDecisionResult> Refused(IReadOnlyList<RefusedItem> refused, bool anyNotFound) =>
        Bulk.Refused(refused, anyNotFound).As<AccessReviewDecisionResult>();

    /// <summary>What the plan reads of an item: enough to refuse it in words, and what the reader calls it.</summary>
    internal sealed record Row(Guid Id, AccessReviewItemStatus Status, int Stage, List<Guid> ReviewerIds, Guid GrantRequestedBy,
        AccessType AccessType, bool Escorted, bool ForeignNational, string? PersonName, string? SystemName)
    {
        public string Label => $"{PersonName ?? "A person"} on {SystemName ?? "a system"}";
    }

    /// <summary>The checks of one decision over a selection, in SQL (which items could be refused) and in words (why).</summary>
    private sealed class Planner(CommandContext context, AccessReviewCampaign campaign, AccessReviewDecision decision, bool hasComment)
    {
        private readonly Guid me = context.Actor.UserId;
        private readonly int stage = context.Actor.IsVendorRepresentative ? 1 : 2;

        public Task<List<Row>> RowsAsync(IQueryable<AccessReviewItem> items, CancellationToken ct)
        {
            var db = context.Db;
            return items.Select(i => new Row(i.Id, i.Status, i.Stage, i.ReviewerIds, i.GrantRequestedBy, i.AccessType, i.Escorted, i.ForeignNational,
                    db.People.Where(p => p.Id == i.PersonId).Select(p => p.FullName).FirstOrDefault(),
                    db.Systems.Where(s => s.Id == i.SystemId).Select(s => s.Name).FirstOrDefault()))
                .ToListAsync(ct);
        }

        /// <summary>The items of a selection (already narrowed to what the actor may decide) that a check could refuse.</summary>
        public IQueryable<AccessReviewItem> Refusable(IQueryable<AccessReviewItem> items)
        {
            var reduce = decision == AccessReviewDecision.Reduce;
            var keepWithoutComment = decision == AccessReviewDecision.Keep && !hasComment;
            var always = campaign.CommentRule == CommentRule.Always;
            return items.Where(i => i.GrantRequestedBy == me
                || (reduce && i.AccessType != AccessType.Privileged)
                || (keepWithoutComment && (always || i.ForeignNational || i.Escorted)));
        }

        /// <summary>Why the actor may not decide the item so, in words; null when they may.</summary>
        public string? Refusal(Row row)
        {
            if (row.Status != AccessReviewItemStatus.Pending)
            {
                return row.Status == AccessReviewItemStatus.Ended
                    ? "Its grant ended before anyone decided it: nothing is left to decide."
                    : "It is already decided: reload the list.";
            }
            if (row.GrantRequestedBy == me)
            {
                return "You requested this grant, and nobody reviews access they requested themselves: another reviewer decides it.";
            }
            if (row.Stage != stage)
            {
                return stage == 1
                    ? "The vendor's answer is in and the contracting officers decide it now: representatives confirm items in the first stage only."
                    : "It waits for the vendor's representative to confirm it first: decide it once it reaches the contracting officers.";
            }
            if (!row.ReviewerIds.Contains(me))
            {
                return "It is not yours to decide: another reviewer was assigned. Ask them, or have it reassigned to you.";
            }
            if (decision == AccessReviewDecision.Reduce && row.AccessType != AccessType.Privileged)
            {
                return $"Only privileged access can be reduced; this grant is {Words.Of(row.AccessType).ToLowerInvariant()} access. Keep or revoke it.";
            }
            if (decision == AccessReviewDecision.Keep && !hasComment
                && (campaign.CommentRule == CommentRule.Always || row.ForeignNational || row.Escorted))
            {
                return campaign.CommentRule == CommentRule.Always
                    ? "This review asks for a comment with every decision: say why the access is kept."
                    : "Keeping a foreign national's or an escorted grant needs a comment: say why the access is still needed.";
            }
            return null;
        }
    }
}
