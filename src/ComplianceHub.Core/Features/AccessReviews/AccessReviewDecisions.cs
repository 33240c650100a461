using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>What applying final decisions did.</summary>
/// <param name="Decided">Items decided (kept, revoked or reduced).</param>
/// <param name="GrantsRevoked">Grants revoked (Revoke, Reduce).</param>
/// <param name="GrantsRequested">Non-privileged grants requested instead (Reduce).</param>
/// <param name="Ended">Items whose grant had already ended (revoked or expired by another change): nothing left to decide.</param>
public sealed record DecisionCounts(int Decided, int GrantsRevoked, int GrantsRequested, int Ended = 0);

/// <summary>
/// Final (stage-two) decisions on tracked pending items, in one place for a reviewer's decision and the deadline's action:
/// the grants revoked (Revoke, Reduce) or a new non-privileged request made (Reduce) as tracked changes the gate evaluates and
/// audits, each item decided with the facts it was made on (its decision snapshot), the campaign's pending count moved.
/// The caller saves.
/// </summary>
internal static class AccessReviewDecisions
{
    /// <summary>
    /// Applies <paramref name="decision"/> to <paramref name="items"/> (tracked, pending, of <paramref name="campaign"/>; a
    /// chunk of at most a few thousand): reads their grants (tracked), people and systems set-wise — tracked, with what the gate
    /// would otherwise ask per grant answered beforehand (<see cref="Gate.KnownEmpty"/>) — then decides each item. An item whose
    /// grant ended meanwhile is marked <see cref="AccessReviewItemStatus.Ended"/> instead. The deadline never reduces
    /// (<paramref name="atDeadline"/> with <see cref="AccessReviewDecision.Reduce"/> throws), and Reduce applies to privileged
    /// grants only (the caller refuses the others first). The decider is <see cref="CommandContext.Actor"/>
    /// (<see cref="Authorization.Actor.Scheduler"/> at the deadline).
    /// </summary>
    public static async Task<DecisionCounts> ApplyFinalAsync(CommandContext context, AccessReviewCampaign campaign, IReadOnlyList<AccessReviewItem> items,
        AccessReviewDecision decision, string? comment, bool atDeadline, CancellationToken ct)
    {
        if (decision == AccessReviewDecision.Reduce && atDeadline)
        {
            throw new InvalidOperationException("The deadline revokes or keeps; it never reduces access (a reduction is a new request someone must own).");
        }
        if (items.Count == 0)
        {
            return new DecisionCounts(0, 0, 0);
        }
        foreach (var item in items)
        {
            if (item.CampaignId != campaign.Id || !item.IsPending)
            {
                throw new InvalidOperationException($"Item {item.Id} is not a pending item of campaign {campaign.Id}.");
            }
        }
        var db = context.Db;
        var batch = await LoadAsync(context, items, ct);
        var snapshots = await DecisionSnapshot.BuildAsync(db, items, batch.Grants, batch.People, batch.Systems, context.Today, ct);
        var trimmed = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        var why = trimmed ?? (atDeadline ? "nobody decided it by the deadline" : decision switch
        {
            AccessReviewDecision.Keep => "kept",
            AccessReviewDecision.Revoke => "revoked",
            _ => "reduced to non-privileged access",
        });
        var reason = Shorten(GrantDecisions.Reason(context.Actor, $"Access review {campaign.Name}: {why}"));
        var by = context.Actor.UserId;
        int decided = 0, revoked = 0, requested = 0, ended = 0;
        foreach (var item in items)
        {
            var grant = batch.Grants.GetValueOrDefault(item.GrantId);
            if (grant is null || grant.Status is GrantStatus.Revoked or GrantStatus.Expired)
            {
                item.GrantEnded(grant is null
                    ? "The grant no longer exists: nothing is left to decide."
                    : $"The grant was {Words.Of(grant.Status).ToLowerInvariant()} before the review decided it: nothing is left to decide.");
                ended++;
                continue;
            }
            var snapshot = snapshots[item.Id];
            switch (decision)
            {
                case AccessReviewDecision.Keep:
                    break;
                case AccessReviewDecision.Revoke:
                    grant.Revoke(reason);
                    revoked++;
                    break;
                default:
                    if (grant.AccessType != AccessType.Privileged)
                    {
                        throw new InvalidOperationException($"Grant {grant.Id} is not privileged: only privileged access is reduced.");
                    }
                    grant.Revoke(reason);
                    revoked++;
                    var system = batch.Systems[grant.SystemId];
                    var person = batch.People[grant.PersonId];
                    var needsSecondApprover = system.ToFacts().IsIl4OrAbove || !person.IsUsPerson
                        || context.Actor.UserId == Guid.Empty || context.Actor.IsVendorRepresentative;
                    var reduced = AccessGrant.Request(Guid.CreateVersion7(), grant.PersonId, grant.SystemId, AccessType.NonPrivileged, grant.Escorted,
                        context.Today, grant.EndsOn is { } end && end < context.Today ? context.Today : grant.EndsOn,
                        Shorten($"Reduced from privileged access by access review {campaign.Name}: {why}"), by, context.Now, needsSecondApprover);
                    db.Grants.Add(reduced);
                    context.Labels[reduced.Id] = batch.Label(item); // a refusal of the new request at the gate names it
                    item.Reduced(reduced.Id);
                    requested++;
                    break;
            }
            item.Decide(decision, by, context.Now, trimmed, snapshot, atDeadline);
            decided++;
        }
        campaign.Pending(-(decided + ended), context.Now);
        return new DecisionCounts(decided, revoked, requested, ended);
    }

    /// <summary>Status reasons and justifications hold at most 2,000 characters.</summary>
    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..1999] + "…";

    /// <summary>
    /// The grants, people and systems of a chunk of items, tracked, read in one query each — so the gate's per-grant lookups
    /// find them without a query — and which (person, system) pairs have no escort assignment and which grants no open finding
    /// (as <see cref="GrantBatch"/>).
    /// </summary>
    internal static async Task<ItemBatch> LoadAsync(CommandContext context, IReadOnlyCollection<AccessReviewItem> items, CancellationToken ct)
    {
        var db = context.Db;
        var grantIds = items.Select(i => i.GrantId).Distinct().ToList();
        var personIds = items.Select(i => i.PersonId).Distinct().ToList();
        var systemIds = items.Select(i => i.SystemId).Distinct().ToList();
        var grants = await db.Grants.Where(g => grantIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
        // The escorts of these people are people too: tracked, the gate's FindAsync of an escort asks no more.
        var escortIds = db.EscortAssignments.Where(a => personIds.Contains(a.PersonId)).Select(a => a.EscortId);
        var people = await db.People.Where(p => personIds.Contains(p.Id) || escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var covered = (await db.EscortAssignments.Where(a => personIds.Contains(a.PersonId) && systemIds.Contains(a.SystemId))
            .Select(a => new { a.PersonId, a.SystemId }).Distinct().ToListAsync(ct)).Select(a => (a.PersonId, a.SystemId)).ToHashSet();
        foreach (var item in items.Where(i => !covered.Contains((i.PersonId, i.SystemId))))
        {
            db.KnownEmpty.EscortAssignments.Add((item.PersonId, item.SystemId));
        }
        var withFindings = (await db.Findings.Where(f => grantIds.Contains(f.SubjectId)
                && (f.Status == Domain.Findings.FindingStatus.Open || f.Status == Domain.Findings.FindingStatus.Acknowledged))
            .Select(f => f.SubjectId).Distinct().ToListAsync(ct)).ToHashSet();
        db.KnownEmpty.GrantFindings.UnionWith(grantIds.Where(id => !withFindings.Contains(id)));
        return new ItemBatch(grants, people, systems);
    }

    /// <summary>A chunk's grants, people and systems by id (tracked).</summary>
    internal sealed record ItemBatch(
        IReadOnlyDictionary<Guid, AccessGrant> Grants,
        IReadOnlyDictionary<Guid, Domain.Personnel.Person> People,
        IReadOnlyDictionary<Guid, Domain.Systems.CloudSystem> Systems)
    {
        /// <summary>What the reader calls an item: its person and system.</summary>
        public string Label(AccessReviewItem item) =>
            $"{(People.TryGetValue(item.PersonId, out var p) ? p.FullName : "A person")} on {(Systems.TryGetValue(item.SystemId, out var s) ? s.Name : "a system")}";
    }
}
