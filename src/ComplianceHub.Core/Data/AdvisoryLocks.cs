using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Data;

/// <summary>
/// PostgreSQL advisory locks held by a command's transaction (released when it commits or rolls back): how one instance of
/// several claims work that must run once — a scheduled run, a re-evaluation run's batch, today's digest.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Takes the lock <paramref name="key"/> for the current transaction; false when another transaction holds it.</summary>
    public static Task<bool> TryTakeAsync(ComplianceDbContext db, long key, CancellationToken ct) =>
        TryAsync(db, $"SELECT pg_try_advisory_xact_lock({key})", ct);

    /// <summary>
    /// Takes the lock of <paramref name="item"/> in the lock space <paramref name="space"/> (e.g. one lock per re-evaluation run)
    /// for the current transaction; false when another transaction holds it.
    /// </summary>
    public static Task<bool> TryTakeAsync(ComplianceDbContext db, int space, Guid item, CancellationToken ct) =>
        TryAsync(db, $"SELECT pg_try_advisory_xact_lock({space}, hashtext('{item}'))", ct);

    /// <summary>
    /// Waits for the lock <paramref name="key"/> in shared mode for the current transaction: holders in shared mode do not exclude
    /// one another, and exclude a <see cref="TryTakeAsync(ComplianceDbContext, long, CancellationToken)"/> of the same key.
    /// </summary>
    public static Task TakeSharedAsync(ComplianceDbContext db, long key, CancellationToken ct) =>
        TryAsync(db, $"SELECT true FROM pg_advisory_xact_lock_shared({key})", ct);

    private static async Task<bool> TryAsync(ComplianceDbContext db, string sql, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("The executor runs commands in a transaction.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct) is true;
    }
}
