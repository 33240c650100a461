using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Stable numeric audit event codes, in blocks of 100 per kind of subject: +0 created, +1 changed, +2 deleted.
/// Never renumber: exported evidence refers to these codes (docs/audit/event-types.md).
/// </summary>
public static class AuditEventTypes
{
    /// <summary>The kind of change of one tracked entity.</summary>
    public enum Change { Created = 0, Changed = 1, Deleted = 2 }

    /// <summary>Subject type name and block base, per entity type.</summary>
    public static IReadOnlyDictionary<Type, (string Subject, int Block)> Blocks { get; } = new Dictionary<Type, (string, int)>
    {
        [typeof(ApplicationUser)] = ("account", 1000),
        [typeof(IdentityUserRole<Guid>)] = ("account-role", 1100),
        [typeof(ApplicationRole)] = ("role", 1200),
        [typeof(IdentityUserClaim<Guid>)] = ("account-claim", 1300),
        [typeof(IdentityUserLogin<Guid>)] = ("account-login", 1400),
        [typeof(IdentityUserToken<Guid>)] = ("account-token", 1500),
        [typeof(IdentityRoleClaim<Guid>)] = ("role-claim", 1600),
        [typeof(ApiToken)] = ("api-token", 1700),
        [typeof(UserSession)] = ("session", 1800),
        [typeof(Domain.Views.SavedView)] = ("saved-view", 1900),
        [typeof(Vendor)] = ("vendor", 2000),
        [typeof(CloudSystem)] = ("cloud-system", 2100),
        [typeof(Domain.Contracts.Contract)] = ("contract", 2200),
        [typeof(Domain.Contracts.ContractingOffice)] = ("contracting-office", 2300),
        [typeof(Person)] = ("person", 3000),
        [typeof(RosterImportRecord)] = ("roster-import", 3100),
        [typeof(Domain.Findings.Finding)] = ("finding", 6000),
        [typeof(Domain.Findings.Waiver)] = ("waiver", 6100),
        [typeof(Domain.Screening.RestrictedPartyList)] = ("restricted-party-list", 6200),
        [typeof(Domain.Screening.ScreeningHit)] = ("screening-hit", 6300),
        [typeof(Domain.Findings.IntegrityFinding)] = ("integrity-finding", 6400),
        [typeof(Domain.Attestations.LocationAttestation)] = ("attestation", 7000),
        [typeof(Domain.Contributions.CodeContribution)] = ("code-contribution", 7100),
        [typeof(Domain.Contributions.ContributorAlias)] = ("contributor-alias", 7200),
        [typeof(Domain.AccessLogs.AccessLogImport)] = ("access-log-import", 7300),
        [typeof(Domain.AccessLogs.AccessIdentityAlias)] = ("access-identity-alias", 7400),
        [typeof(Domain.AccessLogs.KnownEgressRange)] = ("known-egress-range", 7500),
        [typeof(Domain.AccessLogs.GeolocationDatabase)] = ("geolocation-database", 7600),
        [typeof(Domain.Access.AccessGrant)] = ("grant", 4000),
        [typeof(Domain.Access.EscortAssignment)] = ("escort-assignment", 4100),
        [typeof(Domain.Access.EscortedSession)] = ("escorted-session", 4200),
        [typeof(Domain.Access.EscortRequest)] = ("escort-request", 4300),
        [typeof(Domain.AccessReviews.AccessReviewDefinition)] = ("access-review-definition", 4400),
        [typeof(Domain.AccessReviews.AccessReviewCampaign)] = ("access-review-campaign", 4500),
        [typeof(Domain.AccessReviews.AccessReviewItem)] = ("access-review-item", 4600),
        [typeof(Domain.Policy.PolicyVersion)] = ("policy-version", 5000),
        [typeof(Domain.Policy.ReevaluationRun)] = ("reevaluation-run", 5100),
        [typeof(Country)] = ("country", 9000),
    };

    /// <summary>
    /// People added in bulk: one event for the new people of one vendor in one save of at least
    /// <see cref="AuditRecorder.BulkPeopleThreshold"/> (a saved chunk of a roster import), subject <c>people</c> with the vendor's
    /// id as subject id. Its changes are an object keyed by person id, each value the person's own <c>{"field": {"before": null,
    /// "after": …}}</c>; every person is also listed in <c>audit_event_subjects</c>, so the person's history finds it (ADR 0022).
    /// </summary>
    public const int PeopleAdded = 3005;

    /// <summary>The subject type of a <see cref="PeopleAdded"/> event.</summary>
    public const string PeopleSubject = "people";

    /// <summary>An access decision (a new grant, an approval, a reactivation, an escort assignment) refused by the policy;
    /// nothing of it was written. The event carries the request and the failing rules.</summary>
    public const int AccessDecisionRefused = 8000;

    /// <summary>An export of a screen's rows (findings, roster, grants, escorts, attestations, audit events) as a file;
    /// subject <c>export</c>. Carries the kind, format, filters, row count, byte count and SHA-256 of the file sent.</summary>
    public const int Export = 8100;

    /// <summary>An auditor or administrator built an evidence package (subject <c>evidence-package</c>, id = the package id); nothing
    /// was written but the event, which carries the range, the file and event counts and the manifest's SHA-256.</summary>
    public const int EvidencePackageBuilt = 8200;

    /// <summary>A sign-in refused without any write to record it otherwise: an unknown account (subject <c>sign-in</c>, id = the
    /// SHA-256 of the name tried, lower-cased — never the name), or a disabled or locked-out account (subject <c>account</c>).
    /// Carries the reason, the method, the client address and user agent. (A wrong password or code is recorded by the
    /// account's own change, its failure count.)</summary>
    public const int SignInRefused = 8300;

    /// <summary>An auditor, an administrator or the scheduler compared the audited tables with the trail (state verification, ADR
    /// 0031); nothing was written but the event. Subject <c>state-verification</c>, id = the run id. Changes (<c>after</c>):
    /// <c>trailHead</c>, <c>rows</c> per table, <c>discrepancies</c>, <c>discrepanciesByTable</c>, <c>fingerprint</c>,
    /// <c>vendorScope</c> (the number of vendors an office-scoped reader sees; null for all), <c>seconds</c>.</summary>
    public const int StateVerified = 8400;

    /// <summary>The subject type of a <see cref="StateVerified"/> event.</summary>
    public const string StateVerificationSubject = "state-verification";

    /// <summary>The code of a change to an entity of <paramref name="entityType"/>; throws for an unmapped type (fail closed).</summary>
    public static (string Subject, int Code) For(Type entityType, Change change) =>
        Blocks.TryGetValue(entityType, out var block)
            ? (block.Subject, block.Block + (int)change)
            : throw new InvalidOperationException(
                $"{entityType.Name} has no audit event type: add it to AuditEventTypes before it can be written.");
}
