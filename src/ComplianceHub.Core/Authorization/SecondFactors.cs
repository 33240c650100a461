using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace ComplianceHub.Core.Authorization;

/// <summary>What an account holder needs to add the portal to an authenticator app.</summary>
/// <param name="Key">The shared secret, Base32, for typing in by hand.</param>
/// <param name="Uri">The <c>otpauth://</c> URI an app reads from the QR code.</param>
public sealed record AuthenticatorSetup(string Key, string Uri);

/// <summary>An account's second factor as its holder sees it.</summary>
public sealed record SecondFactorStatus(bool Enabled, int RecoveryCodesLeft);

/// <summary>The result of enrolling an authenticator: the recovery codes (shown once), or why not.</summary>
public sealed record EnrolmentResult(bool Succeeded, string? Error, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// The second factor (NIST 800-53 IA-2(1), IA-2(2), IA-2(8)): a time-based one-time code (RFC 6238: HMAC-SHA1, 6 digits,
/// 30-second steps, one step of clock drift either way) from an authenticator app, or one of ten single-use recovery codes.
/// A code is accepted once: the step of the last accepted code is kept on the account, and a code of that step or an
/// earlier one is refused, under the account's row lock so two requests cannot both spend it. The key lives where
/// Identity keeps authenticator keys (its value never enters the audit trail); recovery codes are stored only as salted,
/// slow hashes (<see cref="RecoveryCodeSet"/>). Every change is saved through the gate, audited.
/// </summary>
public sealed class SecondFactors(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock, UserSessions sessions)
{
    private const string Provider = "[AspNetUserStore]";
    private const string KeyName = "AuthenticatorKey";
    private const string RecoveryName = "RecoveryCodes";
    private const string Issuer = "ComplianceHub";
    private const int RecoveryCodeCount = 10;

    /// <summary>The account's second factor: enrolled or not, and how many recovery codes are left.</summary>
    public async Task<SecondFactorStatus> StatusAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var enabled = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.TwoFactorEnabled).SingleOrDefaultAsync(ct);
        var codes = await TokenAsync(db, actor.UserId, RecoveryName, ct);
        return new SecondFactorStatus(enabled, RecoveryCodeSet.CountOf(codes?.Value));
    }

    /// <summary>
    /// Starts enrolment: a new key, or with <paramref name="renew"/> false the one this enrolment already showed (the page's
    /// own confirming post). A key shown but never confirmed is never handed to a later visit: someone who saw it once (a
    /// stolen password, a shoulder) must not share the holder's authenticator.
    /// </summary>
    public async Task<AuthenticatorSetup?> BeginEnrolmentAsync(Actor actor, string accountName, bool renew = true, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var audit = AuditScope.Begin(actor, "account.second-factor-begin");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LockAsync(db, actor.UserId, ct);
        if (user is null || user.TwoFactorEnabled)
        {
            return null;
        }
        var key = await TokenAsync(db, user.Id, KeyName, ct);
        if (key is null || renew)
        {
            var value = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
            if (key is null)
            {
                key = new IdentityUserToken<Guid> { UserId = user.Id, LoginProvider = Provider, Name = KeyName, Value = value };
                db.UserTokens.Add(key);
            }
            else
            {
                key.Value = value;
            }
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new AuthenticatorSetup(key.Value!, UriFor(key.Value!, accountName));
    }

    /// <summary>
    /// Finishes enrolment with a code from the app: the second factor is on from now, and ten recovery codes are made
    /// (returned once; only their hashes are kept).
    /// </summary>
    public async Task<EnrolmentResult> ConfirmEnrolmentAsync(Actor actor, string code, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var audit = AuditScope.Begin(actor, "account.second-factor-enrol");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LockAsync(db, actor.UserId, ct);
        if (user is null)
        {
            return new EnrolmentResult(false, "The account does not exist.", []);
        }
        if (user.TwoFactorEnabled)
        {
            return new EnrolmentResult(false, "An authenticator is already set up for this account.", []);
        }
        var key = await TokenAsync(db, user.Id, KeyName, ct);
        if (key?.Value is null)
        {
            return new EnrolmentResult(false, "Start again: the setup was not found. Reload the page to get a new key.", []);
        }
        if (MatchStep(key.Value, code, user.LastSecondFactorStep) is not { } step)
        {
            return new EnrolmentResult(false, "The code is not right. Check the app shows ComplianceHub, wait for a new code and enter it within 30 seconds.", []);
        }
        user.TwoFactorEnabled = true;
        user.LastSecondFactorStep = step;
        var codes = ReplaceRecoveryCodes(db, user.Id, await TokenAsync(db, user.Id, RecoveryName, ct));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new EnrolmentResult(true, null, codes);
    }

    /// <summary>
    /// New recovery codes for the holder (the old ones stop working), against a fresh code from the authenticator app: a
    /// session left open on a shared desk, or taken over, must not be enough to mint the factor that replaces the phone
    /// (ASVS 5.0 V6.4.2 re-authentication; NIST SP 800-63B 6.1.2.3). A recovery code does not count: one leaked code must not
    /// become ten. A wrong code counts as a failed sign-in, under the account's row lock with the check itself (the account
    /// locks after <see cref="IdentitySetup.MaxFailedSignIns"/>, and concurrent guesses cannot get past that), and a locked or
    /// disabled account gets no check at all: the form cannot be used to guess codes.
    /// </summary>
    public async Task<EnrolmentResult> NewRecoveryCodesAsync(Actor actor, string code, CancellationToken ct = default)
    {
        var typed = Normalize(code);
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var audit = AuditScope.Begin(actor, "account.second-factor-recovery-codes");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LockAsync(db, actor.UserId, ct);
        if (user is not { TwoFactorEnabled: true })
        {
            return new EnrolmentResult(false, "No authenticator is set up for this account.", []);
        }
        var now = clock.GetUtcNow();
        if (user.DisabledAt is not null || user.LockoutEnd > now)
        {
            return new EnrolmentResult(false, "The account is disabled or locked; sign in again later.", []);
        }
        var key = await TokenAsync(db, user.Id, KeyName, ct);
        if (typed.Length != 6 || !typed.All(char.IsAsciiDigit) || key?.Value is null || MatchStep(key.Value, typed, user.LastSecondFactorStep) is not { } step)
        {
            var locked = SignInAttempts.CountFailure(user, now);
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new EnrolmentResult(false, locked
                ? "The code is not right, and too many wrong codes have locked the account for now. Sign in again later."
                : "The code is not right. Enter the 6-digit code your authenticator app shows now (a recovery code does not work here).", []);
        }
        user.LastSecondFactorStep = step;
        var codes = ReplaceRecoveryCodes(db, user.Id, await TokenAsync(db, user.Id, RecoveryName, ct));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new EnrolmentResult(true, null, codes);
    }

    /// <summary>
    /// Checks a code at sign-in, in the caller's audit scope: a one-time code from the app (accepted once) or a recovery code
    /// (spent). False for anything else.
    /// </summary>
    public async Task<bool> VerifyAsync(Guid userId, string? code, CancellationToken ct = default)
    {
        var typed = Normalize(code);
        if (typed.Length == 0)
        {
            return false;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LockAsync(db, userId, ct);
        if (user is not { TwoFactorEnabled: true })
        {
            return false;
        }
        if (typed.Length == 6 && typed.All(char.IsAsciiDigit))
        {
            var key = await TokenAsync(db, userId, KeyName, ct);
            if (key?.Value is null || MatchStep(key.Value, typed, user.LastSecondFactorStep) is not { } step)
            {
                return false;
            }
            user.LastSecondFactorStep = step;
        }
        else
        {
            var stored = await TokenAsync(db, userId, RecoveryName, ct);
            if (stored is null || RecoveryCodeSet.Parse(stored.Value) is not { } set || !set.Spend(typed))
            {
                return false;
            }
            stored.Value = set.Format();
        }
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// An administrator removes an account's second factor (a lost phone): the key and recovery codes are deleted, every
    /// session ends, and the holder enrols again at the next sign-in where a second factor is required.
    /// </summary>
    public async Task<AccountResult> ResetAsync(Actor actor, Guid userId, CancellationToken ct = default)
    {
        if (!actor.IsAdministrator)
        {
            throw new UnauthorizedAccessException("Only administrators reset another account's second factor.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var audit = AuditScope.Begin(actor, "account.second-factor-reset");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await LockAsync(db, userId, ct);
        if (user is null)
        {
            return AccountResult.Missing();
        }
        if (user.Id == actor.UserId)
        {
            return AccountResult.Fail("Account", "You cannot reset your own second factor; ask another administrator.");
        }
        var tokens = await db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider && (t.Name == KeyName || t.Name == RecoveryName)).ToListAsync(ct);
        if (!user.TwoFactorEnabled && tokens.Count == 0)
        {
            return AccountResult.Fail("Account", "The account has no second factor set up.");
        }
        db.UserTokens.RemoveRange(tokens);
        user.TwoFactorEnabled = false;
        user.LastSecondFactorStep = null;
        await sessions.EndAllAsync(db, userId, except: null, actor.UserId == Guid.Empty ? null : actor.UserId, SessionEndReasons.SecondFactorReset, ct);
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return AccountResult.Ok(userId);
    }

    /// <summary>The time step a code belongs to when it is right for <paramref name="key"/> now (one step of drift either way)
    /// and newer than <paramref name="lastStep"/>; null otherwise.</summary>
    private long? MatchStep(string key, string? code, long? lastStep)
    {
        var typed = Normalize(code);
        if (typed.Length != 6)
        {
            return null;
        }
        var totp = new Totp(Base32Encoding.ToBytes(key));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, typed, out var step, new VerificationWindow(previous: 1, future: 1))
               && (lastStep is null || step > lastStep) ? step : null;
    }

    private IReadOnlyList<string> ReplaceRecoveryCodes(ComplianceDbContext db, Guid userId, IdentityUserToken<Guid>? stored)
    {
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        var value = RecoveryCodeSet.New(codes.Select(Normalize)).Format();
        if (stored is null)
        {
            db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = userId, LoginProvider = Provider, Name = RecoveryName, Value = value });
        }
        else
        {
            stored.Value = value;
        }
        return codes;
    }

    /// <summary>Ten characters from an alphabet without look-alikes, shown as two groups of five.</summary>
    private static string NewRecoveryCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 10);
        return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
    }

    private static string Normalize(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());


    private static string UriFor(string key, string accountName) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(accountName)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";

    private static Task<ApplicationUser?> LockAsync(ComplianceDbContext db, Guid userId, CancellationToken ct) =>
        db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleOrDefaultAsync(ct);

    private static Task<IdentityUserToken<Guid>?> TokenAsync(ComplianceDbContext db, Guid userId, string name, CancellationToken ct) =>
        db.UserTokens.SingleOrDefaultAsync(t => t.UserId == userId && t.LoginProvider == Provider && t.Name == name, ct);
}

/// <summary>
/// An account's recovery codes as stored (ASVS 5.0 V6.5.2: a lookup secret of 50 bits is kept with a salted, slow hash):
/// <c>pbkdf2-sha256:ITERATIONS:SALT:HASH;HASH;…</c> — each code's SHA-256 (hex) through PBKDF2-HMAC-SHA256 with the account's
/// random 16-byte salt. A check costs one derivation. Codes stored before (their bare SHA-256, <c>HASH;HASH;…</c>) are
/// wrapped in the same derivation when read, so they keep working, and are stored salted from their next use or renewal.
/// </summary>
internal sealed class RecoveryCodeSet
{
    private const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 100_000;

    private readonly byte[] salt;
    private readonly int iterations;
    private readonly List<string> hashes;

    private RecoveryCodeSet(byte[] salt, int iterations, List<string> hashes)
    {
        this.salt = salt;
        this.iterations = iterations;
        this.hashes = hashes;
    }

    public int Count => hashes.Count;

    /// <summary>New codes (normalised), with a new salt.</summary>
    public static RecoveryCodeSet New(IEnumerable<string> codes)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return new RecoveryCodeSet(salt, DefaultIterations, codes.Select(c => Derive(Sha256(c), salt, DefaultIterations)).ToList());
    }

    /// <summary>The stored value, read; a bare SHA-256 list is wrapped now. Null when there is nothing usable.</summary>
    public static RecoveryCodeSet? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var parts = value.Split(':');
        if (parts is [Scheme, var rounds, var salt, var list] && int.TryParse(rounds, out var iterations) && iterations > 0)
        {
            return new RecoveryCodeSet(Convert.FromBase64String(salt), iterations, Split(list));
        }
        var legacy = RandomNumberGenerator.GetBytes(16);
        return new RecoveryCodeSet(legacy, DefaultIterations, Split(value).Select(h => Derive(h, legacy, DefaultIterations)).ToList());
    }

    /// <summary>How many codes a stored value holds, without deriving anything.</summary>
    public static int CountOf(string? value) =>
        string.IsNullOrEmpty(value) ? 0 : Split(value.Contains(':', StringComparison.Ordinal) ? value[(value.LastIndexOf(':') + 1)..] : value).Count;

    /// <summary>Removes the (normalised) code when it is one of the set: true when it was.</summary>
    public bool Spend(string code)
    {
        var derived = Convert.FromHexString(Derive(Sha256(code), salt, iterations));
        var index = hashes.FindIndex(h => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(h), derived));
        if (index < 0)
        {
            return false;
        }
        hashes.RemoveAt(index);
        return true;
    }

    public string Format() => $"{Scheme}:{iterations}:{Convert.ToBase64String(salt)}:{string.Join(';', hashes)}";

    private static string Sha256(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private static string Derive(string sha256Hex, byte[] salt, int iterations) =>
        Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(sha256Hex), salt, iterations, HashAlgorithmName.SHA256, 32));

    private static List<string> Split(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
}
