namespace ComplianceHub.Core.Authorization;

/// <summary>Sign-in settings that an installation chooses (configuration section <c>SignIn</c>).</summary>
public sealed class SignInPolicyOptions
{
    public const string Section = "SignIn";

    /// <summary>
    /// Every account must sign in with a second factor (IA-2(1), IA-2(2)): an account without an authenticator enrols one
    /// at its next sign-in before anything else opens. On by default outside Development; the demo (run.sh serves
    /// Development) stays one password unless <c>SignIn__RequireSecondFactor=true</c>.
    /// </summary>
    public bool RequireSecondFactor { get; set; } = true;

    /// <summary>
    /// The most sessions an account holds open at once (ASVS 5.0 V7.1.2): a sign-in beyond it ends the account's oldest open
    /// session ("ended: too many sessions"), so a stolen credential cannot pile up sessions unnoticed and the holder sees the
    /// newest ones. Browsers and API bearer tokens count alike; personal access tokens are not sessions. Default 10.
    /// </summary>
    public int MaxOpenSessions { get; set; } = 10;

    /// <summary>How long after a right password the one-time code may be entered.</summary>
    public TimeSpan SecondFactorWindow { get; set; } = TimeSpan.FromMinutes(5);
}
