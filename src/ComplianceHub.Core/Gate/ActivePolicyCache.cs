using System.Collections.Concurrent;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Gate;

/// <summary>
/// The policy version a change was evaluated under: its id and row version (xmin), which change when it is activated,
/// retired or revised.
/// </summary>
internal readonly record struct PolicyStamp(Guid Id, uint RowVersion)
{
    public static PolicyStamp Of(PolicyVersion version) => new(version.Id, version.Version);
}

/// <summary>
/// The active policy version of each database, kept between changes so that a single change neither reads nor parses it
/// (issue 16: a third of a grant request's gate time). It is never trusted on its own. A change evaluated under a stored
/// version names it (<see cref="ComplianceDbContext.EvaluatedUnder"/>), and the audit append checks the name under the
/// chain lock (<see cref="Auditing.AuditRecorder.AppendAsync"/>) — where no activation can be in flight, because an
/// activation appends under the same lock. A change evaluated under a version that is no longer the active one is refused
/// there with <see cref="PolicyChangedException"/> and run again from the start under the new one
/// (<see cref="Common.CommandExecutor"/>). So every change is decided under the version active at its commit, whether the
/// version was cached or read, and whether the activation happened in this process or another. Dry runs, which never take
/// the lock, read the stored version every time.
/// </summary>
internal static class ActivePolicyCache
{
    private sealed record Entry(PolicyVersion Version, PolicyParameters Parameters);

    // Per database (the connection string): the tests and the command line work on several at once.
    private static readonly ConcurrentDictionary<string, Entry> ByDatabase = new(StringComparer.Ordinal);

    /// <summary>
    /// The policy in force for the change being saved: the version it activates, if it activates one; else the stored
    /// active version (cached for a write, read for a dry run), which the change then names for the check at the append
    /// (<see cref="ComplianceDbContext.ReadPolicy"/>).
    /// </summary>
    public static async Task<(PolicyVersion Version, PolicyParameters Parameters)> InForceAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var key = Key(db);
        var versionsTracked = db.ChangeTracker.Entries<PolicyVersion>().Any(); // an activation, a draft: read, not cached
        if (!db.PreviewOnly && !versionsTracked && ByDatabase.TryGetValue(key, out var cached))
        {
            db.ReadPolicy(PolicyStamp.Of(cached.Version));
            return (cached.Version, cached.Parameters);
        }
        var (version, parameters) = await ActivePolicy.ForChangeAsync(db, ct); // records what it read
        if (!versionsTracked)
        {
            ByDatabase[key] = new Entry(version, parameters); // read without tracking: nothing can change it in memory
        }
        return (version, parameters);
    }

    /// <summary>Forgets a database's cached version (found replaced at an append): the next change reads the new one.</summary>
    public static void Forget(DbContext db) => ByDatabase.TryRemove(Key(db), out _);

    private static string Key(DbContext db) => db.Database.GetConnectionString() ?? "";
}

/// <summary>
/// The change was evaluated under a policy version that another change replaced before this one reached the audit trail;
/// nothing was written. <see cref="Common.CommandExecutor"/> runs the command again under the new version.
/// </summary>
public sealed class PolicyChangedException() : Exception(
    "The compliance policy was activated or changed while this change was being checked, so nothing was saved. Try again: it will be checked under the policy now in force.");
