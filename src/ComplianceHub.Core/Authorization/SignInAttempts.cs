using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Records sign-in attempts under the DoD lock-out rule (AC-7): <see cref="IdentitySetup.MaxFailedSignIns"/> failures
/// within <see cref="IdentitySetup.LockoutWindow"/> lock the account for that window. Each attempt is recorded atomically:
/// the account's row is locked (<c>FOR UPDATE</c>) and read again, the attempt applied to what is stored now, and saved
/// through the gate (audited, in the caller's <see cref="Auditing.AuditScope"/>) in that one transaction — so concurrent
/// attempts queue on the row and none is lost: ten wrong passwords at once lock the account like ten in a row.
/// </summary>
public sealed class SignInAttempts(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock,
    Microsoft.Extensions.Options.IOptionsMonitor<SignInPolicyOptions> policy)
{
    private readonly Auditing.AuditNotes notes = new(contexts, clock);

    /// <summary>
    /// A refusal that changes nothing (an unknown, disabled or locked-out account), as one audit event of its own
    /// (<see cref="Auditing.AuditEventTypes.SignInRefused"/>) in the caller's scope.
    /// </summary>
    /// <remarks>The request it records: the reason, the method, the client, and any <c>details</c> (a smart card's certificate
    /// subject, issuer and serial).</remarks>
    public Task RefusedAsync(string subjectType, string subjectId, string reason, string method, string? clientAddress, string? userAgent,
        CancellationToken ct = default, IReadOnlyDictionary<string, object?>? details = null)
    {
        var request = new Dictionary<string, object?>
        {
            ["reason"] = reason,
            ["method"] = method,
            ["clientAddress"] = clientAddress,
            ["userAgent"] = userAgent,
        };
        foreach (var (key, value) in details ?? new Dictionary<string, object?>())
        {
            request[key] = value;
        }
        return notes.AppendAsync(Actor.ServerOperator, "account.sign-in-refused", Auditing.AuditEventTypes.SignInRefused, subjectType, subjectId,
            Auditing.AuditRecorder.RequestJson(request), ct: ct);
    }

    /// <summary>
    /// A right password (or card): the sign-in time, the failure count starts again, and the new server-side session is stored
    /// in the same transaction — ending the oldest open ones beyond <see cref="SignInPolicyOptions.MaxOpenSessions"/>, under
    /// the account's row lock, so concurrent sign-ins cannot exceed it. Returns null when the account was disabled or locked
    /// meanwhile (the session is not opened then).
    /// </summary>
    public async Task<ApplicationUser?> SucceededAsync(Guid userId, UserSession session, CancellationToken ct = default)
    {
        var opened = false;
        var user = await RecordAsync(userId, async (db, user) =>
        {
            var now = clock.GetUtcNow();
            if (user.DisabledAt is not null || user.LockoutEnd > now)
            {
                return false;
            }
            user.LastSignInAt = now;
            user.RecentFailedSignIns.Clear();
            var keep = Math.Max(1, policy.CurrentValue.MaxOpenSessions) - 1;
            var beyond = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now)
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Skip(keep).ToListAsync(ct);
            foreach (var oldest in beyond)
            {
                oldest.End(now, null, SessionEndReasons.TooManySessions);
            }
            db.UserSessions.Add(session);
            opened = true;
            return true;
        }, ct);
        return opened ? user : null;
    }

    /// <summary>
    /// Whether the account may still sign in now, read fresh from the database: a password check takes long enough that
    /// concurrent wrong guesses may have locked the account (or an administrator disabled it) meanwhile.
    /// </summary>
    public async Task<bool> MaySignInAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.Users.AnyAsync(u => u.Id == userId && u.DisabledAt == null && (u.LockoutEnd == null || u.LockoutEnd <= now), ct);
    }

    /// <summary>A wrong password: counted within the window; returns true when this failure locked the account.</summary>
    public async Task<bool> FailedAsync(Guid userId, CancellationToken ct = default)
    {
        var locked = false;
        await RecordAsync(userId, (_, user) =>
        {
            locked = CountFailure(user, clock.GetUtcNow());
            return Task.FromResult(true);
        }, ct);
        return locked;
    }

    /// <summary>
    /// Counts one failure on an account whose row the caller holds locked: within the window, the last allowed one locks it.
    /// Returns true when this failure locked the account.
    /// </summary>
    internal static bool CountFailure(ApplicationUser user, DateTimeOffset now)
    {
        user.RecentFailedSignIns = user.RecentFailedSignIns.Where(t => now - t < IdentitySetup.LockoutWindow).Append(now).ToList();
        if (user.RecentFailedSignIns.Count < IdentitySetup.MaxFailedSignIns || !user.LockoutEnabled)
        {
            return false;
        }
        user.LockoutEnd = now + IdentitySetup.LockoutWindow;
        user.RecentFailedSignIns.Clear();
        return true;
    }

    /// <summary>Locks the account's row, applies <paramref name="change"/> to it (false: nothing to save) and commits.</summary>
    private async Task<ApplicationUser> RecordAsync(Guid userId, Func<ComplianceDbContext, ApplicationUser, Task<bool>> change, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleAsync(ct);
        if (!await change(db, user))
        {
            return user;
        }
        user.ConcurrencyStamp = Guid.NewGuid().ToString(); // as Identity's own update does: a stale copy elsewhere conflicts
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return user;
    }
}
