using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
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
public sealed class PolicyImpactQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<PolicyImpact?> PreviewAsync(Actor actor, Guid draftId, CancellationToken ct = default)
    {
        if (!actor.IsContractingOfficer)
        {
            throw new UnauthorizedAccessException("Only contracting officers preview policy versions.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var draft = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == draftId && v.Status == PolicyStatus.Draft, ct);
        if (draft is null)
        {
            return null;
        }
        var active = await db.PolicyVersions.SingleAsync(v => v.Status == PolicyStatus.Active, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var before = new RuleContext(PolicyJson.Deserialize(active.Parameters), active.Number, today);
        var after = new RuleContext(PolicyJson.Deserialize(draft.Parameters), draft.Number, today);

        var newly = new List<ImpactedGrant>();
        var cured = new List<ImpactedGrant>();
        // Waived rules count as the activation will count them: they neither refuse nor suspend.
        foreach (var item in await FactsLoader.GrantSubjectsAsync(db, FactsLoader.CurrentGrants(db), today, ct))
        {
            var (grant, person) = (item.Grant, item.Person);
            var was = Blocking(item.WithoutWaived(PolicyEvaluator.Default.Evaluate(item.Subject, before)));
            var will = Blocking(item.WithoutWaived(PolicyEvaluator.Default.Evaluate(item.Subject, after)));
            if (will.Except(was).Any() && was.Count == 0)
            {
                newly.Add(new ImpactedGrant(grant.Id, person.Id, person.VendorId, will));
            }
            else if (was.Count > 0 && will.Count == 0)
            {
                cured.Add(new ImpactedGrant(grant.Id, person.Id, person.VendorId, was));
            }
        }
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

    private static List<string> Blocking(IReadOnlyList<RuleOutcome> outcomes) =>
        outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).Select(o => o.RuleId).ToList();
}
