using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>A grant whose blocking outcome differs between the active policy and the draft.</summary>
public sealed record ImpactedGrant(Guid GrantId, Guid PersonId, Guid VendorId, IReadOnlyList<string> RuleIds);

/// <summary>Per vendor: how many grants the draft would newly refuse or suspend, and how many it would cure.</summary>
public sealed record VendorImpact(Guid VendorId, int NewlyViolating, int Cured);

/// <summary>The impact preview of a draft (API.md <c>POST /policy/versions/{id}/preview</c>); changes nothing.</summary>
public sealed record PolicyImpact(IReadOnlyList<ImpactedGrant> NewlyViolating, IReadOnlyList<ImpactedGrant> Cured, IReadOnlyList<VendorImpact> CountsByVendor)
{
    /// <summary>
    /// Grants of vendors outside the reader's contracting office that the draft would newly refuse or suspend: counted, never
    /// listed (ADR 0028). The policy is the installation's, so activating it reaches them too. Zero for an installation-wide officer.
    /// </summary>
    public int OtherOfficesNewlyViolating { get; init; }

    /// <summary>Grants of vendors outside the reader's office that the draft would cure: counted, never listed.</summary>
    public int OtherOfficesCured { get; init; }
}

/// <summary>
/// Evaluates every current grant under the active policy and under a draft, read-only, and reports the difference in
/// blocking outcomes — so an officer sees who would lose access before activating.
/// </summary>
/// <remarks>
/// Set-wise and bounded (issue 17): the holders of current grants are walked in person order, <see cref="PeoplePerBatch"/> at a
/// time (a keyset walk over the grants' person index, one query per kind of record per batch: each person and their grants
/// are read once), the next batch read on a second connection while the rules evaluate the current one on every core. Memory
/// holds two batches and the grants that change, not the population.
/// </remarks>
public sealed class PolicyImpactQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>People per batch (about 20,000 grants at the design's five per person).</summary>
    public const int DefaultPeoplePerBatch = 4_000;

    /// <summary>People per batch (tests walk a few people in many batches).</summary>
    internal int PeoplePerBatch { get; init; } = DefaultPeoplePerBatch;

    public async Task<PolicyImpact?> PreviewAsync(Actor actor, Guid draftId, CancellationToken ct = default)
    {
        if (!actor.IsContractingOfficer)
        {
            throw new UnauthorizedAccessException("Only contracting officers preview policy versions.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var ahead = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        ahead.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var draft = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == draftId && v.Status == PolicyStatus.Draft, ct);
        if (draft is null)
        {
            return null;
        }
        var active = await ActivePolicy.Query(db).SingleAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var before = new RuleContext(PolicyJson.Deserialize(active.Parameters), active.Number, today);
        var after = new RuleContext(PolicyJson.Deserialize(draft.Parameters), draft.Number, today);

        var newly = new List<ImpactedGrant>();
        var cured = new List<ImpactedGrant>();
        // Two contexts take turns: one reads the next batch while the current one is evaluated.
        var (current, spare) = (db, ahead);
        var loading = LoadBatchAsync(current, null, today, ct, before, after);
        try
        {
            while (true)
            {
                var (batch, people, last) = await loading;
                if (people == 0)
                {
                    break;
                }
                (current, spare) = (spare, current);
                loading = people < PeoplePerBatch ? Task.FromResult((new List<LoadedGrant>(), 0, last)) : LoadBatchAsync(current, last, today, ct, before, after);
                // Waived rules count as the activation will count them: they neither refuse nor suspend. Evaluated off the caller's
                // thread (a circuit's) so the next batch's read goes on meanwhile.
                var changed = await Task.Run(() => batch.AsParallel().AsOrdered().WithCancellation(ct)
                    .Select(item => (item, was: Blocking(item.WithoutWaived(PolicyEvaluator.Default.Evaluate(item.Subject, before))),
                        will: Blocking(item.WithoutWaived(PolicyEvaluator.Default.Evaluate(item.Subject, after)))))
                    .Where(x => (x.was.Count == 0) != (x.will.Count == 0))
                    .ToList(), ct);
                foreach (var (item, was, will) in changed)
                {
                    if (was.Count == 0)
                    {
                        newly.Add(new ImpactedGrant(item.Grant.Id, item.Person.Id, item.Person.VendorId, will));
                    }
                    else
                    {
                        cured.Add(new ImpactedGrant(item.Grant.Id, item.Person.Id, item.Person.VendorId, was));
                    }
                }
            }
        }
        finally
        {
            // Never dispose a context while the read ahead still uses it.
            try
            {
                await loading;
            }
            catch (Exception) when (ct.IsCancellationRequested || loading.IsFaulted)
            {
                // The preview failed or was cancelled already; the read ahead's own failure adds nothing.
            }
        }
        // One order however the batches fell: by grant.
        newly.Sort((a, b) => a.GrantId.CompareTo(b.GrantId));
        cured.Sort((a, b) => a.GrantId.CompareTo(b.GrantId));
        // An officer of a contracting office reads the grants of the vendors it holds; the others are only counted (ADR 0028).
        var visible = actor.VisibleVendorIds?.ToHashSet(); // one set for up to a million grants, null for every vendor
        bool Hidden(ImpactedGrant g) => visible is not null && !visible.Contains(g.VendorId);
        var (otherNewly, otherCured) = (newly.Count(Hidden), cured.Count(Hidden));
        newly.RemoveAll(Hidden);
        cured.RemoveAll(Hidden);
        var counts = newly.Select(g => g.VendorId).Concat(cured.Select(g => g.VendorId)).Distinct()
            .Select(v => new VendorImpact(v, newly.Count(g => g.VendorId == v), cured.Count(g => g.VendorId == v)))
            .OrderByDescending(v => v.NewlyViolating).ThenBy(v => v.VendorId)
            .ToList();
        return new PolicyImpact(newly, cured, counts) { OtherOfficesNewlyViolating = otherNewly, OtherOfficesCured = otherCured };
    }

    /// <summary>
    /// The current grants of the next <see cref="PeoplePerBatch"/> people after <paramref name="after"/> (in id order), with their rule
    /// subjects; also how many people the batch holds and the last one.
    /// </summary>
    private async Task<(List<LoadedGrant> Batch, int People, Guid? Last)> LoadBatchAsync(ComplianceDbContext db, Guid? after, DateOnly today,
        CancellationToken ct, params RuleContext?[] evidenceFor)
    {
        var people = after is { } from
            ? await db.Database.SqlQuery<Guid>($"""
                SELECT DISTINCT person_id AS "Value" FROM access_grants
                WHERE status IN ('Active', 'PendingApproval', 'Suspended') AND person_id > {from}
                ORDER BY person_id LIMIT {PeoplePerBatch}
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<Guid>($"""
                SELECT DISTINCT person_id AS "Value" FROM access_grants WHERE status IN ('Active', 'PendingApproval', 'Suspended')
                ORDER BY person_id LIMIT {PeoplePerBatch}
                """).ToListAsync(ct);
        if (people.Count == 0)
        {
            return ([], 0, after);
        }
        var array = people.ToArray();
        var batch = await FactsLoader.GrantSubjectsAsync(db, FactsLoader.CurrentGrants(db).Where(g => array.Contains(g.PersonId)), today, ct, evidenceFor);
        return (batch, people.Count, people[^1]);
    }

    private static List<string> Blocking(IReadOnlyList<RuleOutcome> outcomes) =>
        outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).Select(o => o.RuleId).ToList();
}
