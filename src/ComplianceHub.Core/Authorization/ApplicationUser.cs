using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// A portal account. There is no self-registration: administrators create accounts
/// (<see cref="AccountService"/>). A vendor representative is bound to exactly one vendor.
/// </summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    /// <summary>Name shown in the portal and written as the actor of audit events.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The vendor a vendor representative acts for; null for every other role.</summary>
    public Guid? VendorId { get; set; }

    /// <summary>
    /// The contracting office a contracting officer or auditor acts for: they see the vendors whose contracts it holds. Null for
    /// an installation-wide officer or auditor (every vendor) and for every other role (ADR 0028).
    /// </summary>
    public Guid? OfficeId { get; set; }

    /// <summary>
    /// Times of the recent failed sign-ins (at most <see cref="IdentitySetup.MaxFailedSignIns"/>, none older than
    /// <see cref="IdentitySetup.LockoutWindow"/>): the DoD rule counts failures within a window, which Identity's
    /// consecutive-failure counter cannot express.
    /// </summary>
    public List<DateTimeOffset> RecentFailedSignIns { get; set; } = [];

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The latest successful sign-in.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>
    /// When an administrator disabled the account (AC-2): it cannot sign in, and its sessions, bearer tokens and personal
    /// access tokens stop working. Null while the account is enabled.
    /// </summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Why the account was disabled, in the administrator's words.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>
    /// The password was set by an administrator (a new account, or a reset) and must be changed at the next sign-in before
    /// anything else (IA-5(1)(f): a temporary password with an immediate change to a permanent one).
    /// </summary>
    public bool MustChangePassword { get; set; }

    /// <summary>
    /// The 30-second time step of the last one-time code accepted: a code is accepted once, and never one older than this
    /// (replay resistance, IA-2(8)).
    /// </summary>
    public long? LastSecondFactorStep { get; set; }

    /// <summary>
    /// A service account: a system (a vendor's HR sync, an evidence pull), not a person. It never signs in — it acts only
    /// through personal access tokens, which only service accounts get — and it is a vendor representative or an auditor,
    /// never an officer or an administrator.
    /// </summary>
    public bool IsServiceAccount { get; set; }

    /// <summary>When the account's holder last chose their password.</summary>
    public DateTimeOffset? PasswordChangedAt { get; set; }

    /// <summary>
    /// The hashes of the passwords before the current one, newest first (at most
    /// <see cref="IdentitySetup.PasswordGenerations"/> − 1): a new password may be none of them, nor the current one (the
    /// DoD SRG's five generations). Never in the audit trail.
    /// </summary>
    public List<string> PreviousPasswordHashes { get; set; } = [];

    /// <summary>
    /// The CAC or PIV identity an administrator bound the account to (<see cref="Authorization.SmartCardIdentity"/>: the
    /// certificate's UPN, <c>EDIPI@mil</c> for a CAC), lower-case; null while the account signs in only with its password.
    /// One account per identity.
    /// </summary>
    public string? SmartCardIdentity { get; set; }
}

/// <summary>One of <see cref="Roles"/>.</summary>
public sealed class ApplicationRole : IdentityRole<Guid>
{
    public ApplicationRole() { }

    public ApplicationRole(string name) : base(name)
    {
        NormalizedName = name.ToUpperInvariant();
    }
}
