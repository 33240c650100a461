using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Gate;

/// <summary>
/// The one accessor of the active policy version. A change (a handler or a gate step) reads it with
/// <see cref="ForChangeAsync"/>, which records the version read for the check under the chain lock (<c>EvaluatedUnder</c>,
/// ADR 0024); a query reads it with <see cref="ReadAsync"/>, <see cref="ParametersAsync"/> or a projection of <see cref="Query"/>,
/// none of which is recorded. The gate's own cached read is <see cref="ActivePolicyCache"/>, which loads through
/// <see cref="ForChangeAsync"/>.
/// </summary>
public static class ActivePolicy
{
    /// <summary>The active version as a query, tracked as the context tracks: for a projection, or for a handler that changes it.</summary>
    public static IQueryable<PolicyVersion> Query(ComplianceDbContext db) => db.PolicyVersions.Where(v => v.Status == PolicyStatus.Active);

    /// <summary>The active policy version and its parameters, for a change: the read is recorded (<c>EvaluatedUnder</c>).</summary>
    public static async Task<(PolicyVersion Version, PolicyParameters Parameters)> ForChangeAsync(ComplianceDbContext db, CancellationToken ct)
    {
        // A version being activated in this very change is the one in force for it. Any other is a stored version, which
        // the change names for the check under the chain lock (ADR 0024) — whichever step or handler read it.
        var tracked = db.ChangeTracker.Entries<PolicyVersion>().SingleOrDefault(e => e.Entity.Status == PolicyStatus.Active);
        var version = tracked?.Entity ?? await StoredActivePolicy(db, ct);
        if (tracked is null || !tracked.Property(v => v.Status).IsModified)
        {
            db.ReadPolicy(PolicyStamp.Of(version));
        }
        return (version, PolicyJson.Deserialize(version.Parameters));
    }

    /// <summary>The stored active version, untracked and not recorded: for a query.</summary>
    public static Task<PolicyVersion> ReadAsync(ComplianceDbContext db, CancellationToken ct) => Query(db).AsNoTracking().SingleAsync(ct);

    /// <summary>The parameters and number of the stored active version, untracked and not recorded: for a query.</summary>
    public static async Task<(PolicyParameters Parameters, int Number)> NumberedParametersAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var active = await Query(db).AsNoTracking().Select(v => new { v.Parameters, v.Number }).SingleAsync(ct);
        return (PolicyJson.Deserialize(active.Parameters), active.Number);
    }

    /// <summary>The parameters of the stored active version, untracked and not recorded: for a query.</summary>
    public static async Task<PolicyParameters> ParametersAsync(ComplianceDbContext db, CancellationToken ct) =>
        PolicyJson.Deserialize(await Query(db).AsNoTracking().Select(v => v.Parameters).SingleAsync(ct));

    // The gate's reads for a single change are compiled queries: building them from LINQ on every change cost as much as
    // running them (issue 16; docs/performance.md).
    private static readonly Func<ComplianceDbContext, CancellationToken, Task<PolicyVersion>> StoredActivePolicy =
        EF.CompileAsyncQuery((ComplianceDbContext db, CancellationToken _) =>
            db.PolicyVersions.AsNoTracking().Single(v => v.Status == PolicyStatus.Active));
}
