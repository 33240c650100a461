using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>What the server says about a request's session.</summary>
public enum SessionState
{
    /// <summary>Open, and the account may act.</summary>
    Valid,

    /// <summary>Open, but the account holds a temporary password: only changing it (or signing out) is allowed.</summary>
    PasswordChangeRequired,

    /// <summary>Open, but a second factor is required and the account has none yet: only enrolling one is allowed.</summary>
    SecondFactorEnrolmentRequired,

    /// <summary>No such session for this account (or the principal names none).</summary>
    Unknown,

    /// <summary>Signed out, or ended by the holder or an administrator, or by a disable, role or password change.</summary>
    Ended,

    /// <summary>Past its absolute lifetime.</summary>
    Expired,

    /// <summary>The account is disabled.</summary>
    AccountDisabled,

    /// <summary>The account is locked out.</summary>
    LockedOut,

    /// <summary>The account changed since the session's credential was issued (its security stamp differs).</summary>
    StampChanged,
}

/// <summary>The session methods of a smart card sign-in (<see cref="UserSession.Method"/>): both count as multi-factor.</summary>
public static class SmartCardMethods
{
    public const string SignIn = "smart-card";
    public const string Bearer = "smart-card-bearer";
}

/// <summary>A session as its holder and the administrators see it.</summary>
public sealed record SessionView(Guid Id, string Method, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? ClientAddress,
    string? UserAgent, DateTimeOffset? EndedAt, string? EndReason, bool IsOpen)
{
    /// <summary>How the session was opened, in words.</summary>
    public string MethodText => Method switch
    {
        "password" => "Sign-in form",
        "password+otp" => "Sign-in form with a one-time code",
        "bearer" => "API bearer token",
        "bearer+otp" => "API bearer token with a one-time code",
        SmartCardMethods.SignIn => "Smart card (CAC/PIV)",
        SmartCardMethods.Bearer => "API bearer token from a smart card",
        _ => Method,
    };

    /// <summary>Its state in words: open, or why it ended.</summary>
    public string StateText => IsOpen ? "Open" : EndedAt is null ? "Expired" : SessionEndReasons.Describe(EndReason);
}

/// <summary>
/// The server-side sessions (<see cref="UserSession"/>): checked on every request and on a short circuit interval, ended by
/// sign-out, by their holder and by administrators. Every change goes through the gate, audited.
/// </summary>
public sealed class UserSessions(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock,
    Microsoft.Extensions.Options.IOptionsMonitor<SignInPolicyOptions> policy)
{
    private static readonly Func<ComplianceDbContext, Guid, Guid, CancellationToken, Task<SessionRow?>> FindRow =
        EF.CompileAsyncQuery((ComplianceDbContext db, Guid sessionId, Guid userId, CancellationToken _) =>
            (from s in db.UserSessions
             join u in db.Users on s.UserId equals u.Id
             where s.Id == sessionId && s.UserId == userId
             select new SessionRow(s.EndedAt, s.ExpiresAt, u.SecurityStamp, u.DisabledAt, u.LockoutEnd, u.MustChangePassword,
                 u.TwoFactorEnabled, s.Method.StartsWith(SmartCardMethods.SignIn)))
            .SingleOrDefault());

    /// <remarks>
    /// <c>SmartCard</c>: opened with a smart card. The card and its PIN are two factors, and no password was used, so neither an
    /// authenticator nor a password change is asked of it.
    /// </remarks>
    private sealed record SessionRow(DateTimeOffset? EndedAt, DateTimeOffset ExpiresAt, string? SecurityStamp, DateTimeOffset? DisabledAt,
        DateTimeOffset? LockoutEnd, bool MustChangePassword, bool TwoFactorEnabled, bool SmartCard);

    /// <summary>
    /// Whether a request naming <paramref name="sessionId"/> for <paramref name="userId"/>, issued with the security stamp
    /// <paramref name="stamp"/>, may be served. One indexed read.
    /// </summary>
    public async Task<SessionState> CheckAsync(Guid sessionId, Guid userId, string? stamp, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await FindRow(db, sessionId, userId, ct);
        var now = clock.GetUtcNow();
        return row switch
        {
            null => SessionState.Unknown,
            { EndedAt: not null } => SessionState.Ended,
            _ when now >= row.ExpiresAt => SessionState.Expired,
            { DisabledAt: not null } => SessionState.AccountDisabled,
            _ when row.LockoutEnd > now => SessionState.LockedOut,
            _ when stamp is null || row.SecurityStamp != stamp => SessionState.StampChanged,
            { SmartCard: true } => SessionState.Valid,
            { MustChangePassword: true } => SessionState.PasswordChangeRequired,
            { TwoFactorEnabled: false } when policy.CurrentValue.RequireSecondFactor => SessionState.SecondFactorEnrolmentRequired,
            _ => SessionState.Valid,
        };
    }

    /// <summary>Ends one session: its holder signing out or ending it, or an administrator. False when it was not open.</summary>
    public async Task<bool> EndAsync(Actor actor, Guid sessionId, string reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null || !(session.UserId == actor.UserId || actor.IsAdministrator))
        {
            return false;
        }
        using var audit = AuditScope.Begin(actor, reason == SessionEndReasons.SignedOut ? "account.sign-out" : "account.end-session");
        if (!session.End(clock.GetUtcNow(), actor.UserId == Guid.Empty ? null : actor.UserId, reason))
        {
            return false;
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>"Sign out everywhere else": the holder ends every open session of theirs but the current one. Returns how many.</summary>
    public async Task<int> EndOthersAsync(Actor actor, Guid currentSessionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var audit = AuditScope.Begin(actor, "account.end-session");
        var ended = await EndAllAsync(db, actor.UserId, currentSessionId, actor.UserId, SessionEndReasons.EndedByHolder, ct);
        if (ended > 0)
        {
            await db.SaveChangesAsync(ct);
        }
        return ended;
    }

    /// <summary>
    /// Ends, in <paramref name="db"/>'s unit of work (saved by the caller), every open session of <paramref name="userId"/>
    /// but <paramref name="except"/>. Returns how many.
    /// </summary>
    internal async Task<int> EndAllAsync(ComplianceDbContext db, Guid userId, Guid? except, Guid? by, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now && s.Id != except)
            .ToListAsync(ct);
        foreach (var session in open)
        {
            session.End(now, by, reason);
        }
        return open.Count;
    }

    /// <summary>The account's sessions, open ones first, then the most recent 20 ended or expired (its holder, or administrators).</summary>
    public async Task<IReadOnlyList<SessionView>> ListAsync(Actor actor, Guid userId, CancellationToken ct = default)
    {
        if (!(actor.UserId == userId || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("Sessions are shown to their holder and to administrators.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var open = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        var past = await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && (s.EndedAt != null || s.ExpiresAt <= now))
            .OrderByDescending(s => s.CreatedAt).Take(20).ToListAsync(ct);
        return open.Concat(past).Select(s => new SessionView(s.Id, s.Method, s.CreatedAt, s.ExpiresAt, s.ClientAddress, s.UserAgent,
            s.EndedAt, s.EndReason, s.IsOpenAt(now))).ToList();
    }
}
