namespace ComplianceHub.Core.Authorization;

/// <summary>Session limits of the DoD baseline (DESIGN.md section 8): sign in again after this long without activity.</summary>
public static class SessionPolicy
{
    /// <summary>Idle limit for every role but administrators.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Administrators hold the keys to every account, so their sessions end sooner.</summary>
    public static readonly TimeSpan AdministratorIdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The absolute lifetime of a session, however active (NIST SP 800-63B AAL2: authenticate again at least every 12 hours).
    /// </summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>How often an open circuit re-checks its session, account and security stamp.</summary>
    public static readonly TimeSpan CircuitRecheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long before the end a warning is shown.</summary>
    public static readonly TimeSpan WarningBefore = TimeSpan.FromMinutes(1);

    /// <summary>The idle limit of a role (unknown roles get the default).</summary>
    public static TimeSpan IdleTimeoutFor(string? role) =>
        role == Roles.Administrator ? AdministratorIdleTimeout : DefaultIdleTimeout;
}
