using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Retention;

/// <summary>
/// The retention job's disposal of sign-in sessions (ADR 0046, NIST 800-53 AU-11): deletes the sessions that ended, or
/// expired, more than <paramref name="KeepFor"/> ago, in batches of <see cref="DisposeEndedSessionsHandler.Batch"/>, at most
/// <paramref name="MaxPerRun"/> in one run (a first run over years of sessions continues at the next). Sent by the scheduler
/// through the executor like any change: each deleted session is an audit event of the trail (session deleted, 1802), which
/// keeps what the session was for the audit records' own retention — the table, not the trail, is what shrinks.
/// </summary>
/// <param name="KeepFor">How long after its end (or its expiry, when nobody ended it) a session is kept; at least a day.</param>
/// <param name="UnlessRanWithin">Skip (Conflict) when a run completed this recently, on any instance.</param>
/// <param name="MaxPerRun">The most sessions one run deletes.</param>
[AllowedRoles(Roles.Administrator)]
public sealed record DisposeEndedSessions(TimeSpan KeepFor, TimeSpan? UnlessRanWithin = null, int MaxPerRun = DisposeEndedSessionsHandler.DefaultMaxPerRun)
    : ICommand<SessionDisposal>;

/// <summary>What a run deleted: how many sessions, those that ended before <paramref name="EndedBefore"/>, and whether more are due.</summary>
public sealed record SessionDisposal(int Deleted, DateTimeOffset EndedBefore, bool More);

internal sealed class DisposeEndedSessionsValidator : AbstractValidator<DisposeEndedSessions>
{
    public DisposeEndedSessionsValidator()
    {
        RuleFor(c => c.KeepFor).GreaterThanOrEqualTo(DisposeEndedSessionsHandler.ShortestKeep)
            .WithMessage("Keep ended sessions for at least a day.");
        RuleFor(c => c.MaxPerRun).GreaterThan(0).WithMessage("Dispose of at least one session per run.");
    }
}

internal sealed class DisposeEndedSessionsHandler : ICommandHandler<DisposeEndedSessions, SessionDisposal>
{
    public const string RunName = "dispose-ended-sessions";

    /// <summary>Sessions deleted per save.</summary>
    public const int Batch = 1_000;

    public const int DefaultMaxPerRun = 20_000;

    /// <summary>The shortest retention accepted: a session must outlive the day it was used on.</summary>
    public static readonly TimeSpan ShortestKeep = TimeSpan.FromDays(1);

    private const long LockKey = 0x43485245544E53; // "CHRETNS": one disposal at a time

    public async Task<Outcome<SessionDisposal>> HandleAsync(DisposeEndedSessions command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var (run, skipped) = await ScheduledRun.ClaimAsync(db, LockKey, RunName, "the disposal of ended sessions", command.UnlessRanWithin, context.Now, ct);
        if (run is null)
        {
            return Outcome<SessionDisposal>.Conflict(skipped!);
        }
        run.Completed(context.Now, Environment.MachineName);
        await db.SaveChangesAsync(ct);
        var before = context.Now - command.KeepFor;
        var deleted = 0;
        var more = false;
        while (true)
        {
            var take = Math.Min(Batch, command.MaxPerRun - deleted);
            if (take == 0)
            {
                more = await db.UserSessions.AnyAsync(s => (s.EndedAt ?? s.ExpiresAt) < before, ct);
                break;
            }
            var batch = await db.UserSessions.Where(s => (s.EndedAt ?? s.ExpiresAt) < before)
                .OrderBy(s => s.Id).Take(take).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }
            db.UserSessions.RemoveRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            deleted += batch.Count;
        }
        return Outcome<SessionDisposal>.Ok(new SessionDisposal(deleted, before, more));
    }
}
