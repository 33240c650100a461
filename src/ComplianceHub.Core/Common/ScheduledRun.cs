using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Common;

/// <summary>
/// When a scheduled job last completed, shared by every portal instance. Operational bookkeeping, not compliance
/// data: what a run changes is audited with its own events; this row only spaces the runs.
/// </summary>
public sealed class ScheduledRun
{
    private ScheduledRun() { }

    public ScheduledRun(string name) => Name = name;

    public string Name { get; private set; } = "";
    public DateTimeOffset? LastCompletedAt { get; private set; }
    public string? LastInstance { get; private set; }

    public void Completed(DateTimeOffset at, string instance)
    {
        LastCompletedAt = at;
        LastInstance = instance;
    }

    /// <summary>
    /// Claims a run of the job <paramref name="name"/> for the command's transaction (ADR 0009): its advisory lock, then its row —
    /// added on the first run — unless it completed within <paramref name="unlessRanWithin"/>. Null and why, in words, when another
    /// instance holds the lock or the run is not due; the job marks the row <see cref="Completed"/> when it has done its work.
    /// </summary>
    internal static async Task<(ScheduledRun? Run, string? Skipped)> ClaimAsync(ComplianceDbContext db, long lockKey, string name, string what,
        TimeSpan? unlessRanWithin, DateTimeOffset now, CancellationToken ct)
    {
        if (!await AdvisoryLocks.TryTakeAsync(db, lockKey, ct))
        {
            return (null, $"Another instance is running {what} now.");
        }
        var run = await db.ScheduledRuns.SingleOrDefaultAsync(r => r.Name == name, ct);
        if (unlessRanWithin is { } within && run?.LastCompletedAt is { } last && now - last < within)
        {
            return (null, $"{char.ToUpperInvariant(what[0])}{what[1..]} last ran at {last:yyyy-MM-dd HH:mm} UTC; the next run is due later.");
        }
        if (run is null)
        {
            db.ScheduledRuns.Add(run = new ScheduledRun(name));
        }
        return (run, null);
    }
}
