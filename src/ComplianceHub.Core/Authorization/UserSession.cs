namespace ComplianceHub.Core.Authorization;

/// <summary>
/// A signed-in session, held on the server (AC-12): every portal cookie and sign-in bearer token names one
/// (<see cref="ComplianceClaimTypes.SessionId"/>), and a request is served only while its session is open, within its
/// absolute lifetime, and its account enabled, not locked out and unchanged since (the security stamp). Signing out, an
/// administrator ending a user's sessions, a disabled account, a role change and a password change all end sessions here,
/// so a cookie or token copied before is refused on its next request — not when it expires.
/// </summary>
public sealed class UserSession
{
    private UserSession() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>
    /// How the session was opened: <c>password</c> (the sign-in form), <c>bearer</c> (POST /api/v1/auth/token), either with
    /// <c>+otp</c> after a second factor, or <c>smart-card</c> / <c>smart-card-bearer</c> (a CAC or PIV certificate, which is
    /// itself two factors: the card and its PIN).
    /// </summary>
    public string Method { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The absolute end: after it the holder signs in again however active they are.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The client's address as the portal saw it (after trusted proxies), for the holder and the administrators.</summary>
    public string? ClientAddress { get; private set; }

    /// <summary>The browser or client that opened the session, cut to 300 characters.</summary>
    public string? UserAgent { get; private set; }

    /// <summary>The smart card certificate a <c>smart-card</c> session was opened with: subject, issuer and serial number.</summary>
    public string? CertificateSubject { get; private set; }

    public string? CertificateIssuer { get; private set; }

    public string? CertificateSerial { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Who ended it: the holder (sign-out) or an administrator; null when the system did (expiry is not recorded).</summary>
    public Guid? EndedBy { get; private set; }

    /// <summary>Why it ended, one of <see cref="SessionEndReasons"/>.</summary>
    public string? EndReason { get; private set; }

    public bool IsOpenAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    public static UserSession Start(Guid userId, string method, DateTimeOffset now, TimeSpan lifetime, string? clientAddress, string? userAgent) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = userId,
        Method = method,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
        ClientAddress = clientAddress is { Length: > 64 } ? clientAddress[..64] : clientAddress,
        UserAgent = userAgent is { Length: > 300 } ? userAgent[..300] : userAgent,
    };

    /// <summary>Records the certificate a smart card sign-in presented (each part cut to its column).</summary>
    public UserSession WithCertificate(string subject, string issuer, string serial)
    {
        CertificateSubject = Cut(subject, 500);
        CertificateIssuer = Cut(issuer, 500);
        CertificateSerial = Cut(serial, 64);
        return this;
    }

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;

    /// <summary>Ends the session; a session already ended keeps its first end.</summary>
    public bool End(DateTimeOffset at, Guid? by, string reason)
    {
        if (EndedAt is not null)
        {
            return false;
        }
        EndedAt = at;
        EndedBy = by;
        EndReason = reason;
        return true;
    }
}

/// <summary>Why a session ended: the stored codes, and the one place they become words (<see cref="Describe"/>).</summary>
public static class SessionEndReasons
{
    public const string SignedOut = "signed-out";
    public const string TimedOut = "timed-out";
    public const string EndedByHolder = "ended-by-holder";
    public const string EndedByAdministrator = "ended-by-administrator";
    public const string AccountDisabled = "account-disabled";
    public const string RoleChanged = "role-changed";
    public const string PasswordChanged = "password-changed";
    public const string PasswordReset = "password-reset";
    public const string PasswordChangeRequired = "password-change-required";
    public const string SecondFactorReset = "second-factor-reset";
    public const string SecondFactorRequired = "second-factor-required";
    public const string SmartCardChanged = "smart-card-changed";
    public const string TooManySessions = "too-many-sessions";

    /// <summary>The reason in words, for the sessions lists and the audit trail's readers.</summary>
    public static string Describe(string? reason) => reason switch
    {
        SignedOut => "Signed out",
        TimedOut => "Timed out after inactivity",
        EndedByHolder => "Ended by the account holder",
        EndedByAdministrator => "Ended by an administrator",
        AccountDisabled => "Account disabled",
        RoleChanged => "Role or vendor changed",
        PasswordChanged => "Password changed",
        PasswordReset => "Password reset by an administrator",
        PasswordChangeRequired => "Refused: the temporary password must be changed first",
        SecondFactorReset => "Second factor reset by an administrator",
        SecondFactorRequired => "Refused: a second factor must be set up first",
        SmartCardChanged => "Smart card binding changed or removed",
        TooManySessions => "Ended: the account signed in again while it held the most sessions allowed",
        null => "Open",
        _ => reason,
    };
}
