using System.Collections.Frozen;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Core.Common;

/// <summary>The audit trail's operations, subject types and event codes in words ("request-grant" → "Access requested").</summary>
public static partial class Words
{
    /// <summary>What an operation did, in words; an operation not listed is split into words ("sign-in" → "Sign in").</summary>
    public static string Operation(string operation) =>
        Operations.TryGetValue(operation, out var words) ? words : SplitWords(operation);

    /// <summary>The kind of subject an event is about ("cloud-system" → "System").</summary>
    public static string SubjectType(string subjectType) =>
        SubjectTypes.TryGetValue(subjectType, out var words) ? words : SplitWords(subjectType);

    /// <summary>An event code in words with the code beside it: "Access grant changed (4001)".</summary>
    public static string EventType(int code) => $"{EventTypeWords(code)} ({code})";

    /// <summary>An event code in words alone: "Access grant changed".</summary>
    public static string EventTypeWords(int code)
    {
        if (SpecialEventTypes.TryGetValue(code, out var special))
        {
            return special;
        }
        var block = AuditEventTypes.Blocks.Values.FirstOrDefault(b => code >= b.Block && code < b.Block + 3 && b.Block % 100 == 0);
        return block.Subject is null
            ? $"Event type {code}"
            : $"{SubjectType(block.Subject)} {Of((AuditEventTypes.Change)(code - block.Block))}";
    }

    private static readonly FrozenDictionary<int, string> SpecialEventTypes = new Dictionary<int, string>
    {
        [AuditEventTypes.PeopleAdded] = "People added in bulk",
        [AuditEventTypes.AccessDecisionRefused] = "Access refused by the policy",
        [AuditEventTypes.Export] = "Export",
        [AuditEventTypes.EvidencePackageBuilt] = "Evidence package built",
        [AuditEventTypes.SignInRefused] = "Sign-in refused",
        [AuditEventTypes.StateVerified] = "Tables verified against the trail",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string> SubjectTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["grant"] = "Access grant",
        ["cloud-system"] = "System",
        ["api-token"] = "API token",
        ["saved-view"] = "Saved grid view",
        ["people"] = "People added in bulk",
        ["sign-in"] = "Sign-in",
        ["state-verification"] = "State verification",
        ["export"] = "Export",
        ["evidence-package"] = "Evidence package",
        ["access-review-campaign"] = "Access review campaign",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Operations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["request-grant"] = "Access requested",
        ["approve-grant"] = "Access approved",
        ["approve-grants"] = "Access requests approved together",
        ["reject-grants"] = "Access requests rejected together",
        ["acknowledge-findings"] = "Findings acknowledged together",
        ["adjudicate-screening-hits"] = "Screening matches adjudicated together",
        ["review-contributions"] = "Code contributions reviewed together",
        ["decide-grant"] = "Access suspended, revoked or reactivated",
        ["reevaluate-grants"] = "Grants re-evaluated",
        ["apply-reevaluation-batch"] = "Grants re-evaluated under a new policy",
        ["access-decision-refused"] = "Access refused by the policy",
        ["add-person"] = "Person added",
        ["update-person"] = "Person updated",
        ["change-person-facts"] = "Person's facts changed",
        ["terminate-person"] = "Person offboarded",
        ["import-roster"] = "Roster imported",
        ["request-escort"] = "Escort requested",
        ["decide-escort-request"] = "Escort request decided",
        ["withdraw-escort-request"] = "Escort request withdrawn",
        ["assign-escort"] = "Escort assigned",
        ["record-escorted-session"] = "Escorted session recorded",
        ["sign-off-escorted-session"] = "Escorted session signed off",
        ["submit-attestation"] = "Attestation submitted",
        ["claim-attestation-digest"] = "Attestation reminders sent",
        ["acknowledge-finding"] = "Finding acknowledged",
        ["remediate-finding"] = "Finding remediated",
        ["request-waiver"] = "Waiver requested",
        ["approve-waiver"] = "Waiver approved",
        ["raise-integrity-finding"] = "Integrity finding raised",
        ["close-integrity-finding"] = "Integrity finding closed",
        ["draft-policy-version"] = "Policy draft created",
        ["revise-policy-draft"] = "Policy draft revised",
        ["activate-policy-version"] = "Policy version activated",
        ["create-vendor"] = "Vendor created",
        ["update-vendor"] = "Vendor updated",
        ["create-system"] = "System created",
        ["update-system"] = "System updated",
        ["create-contract"] = "Contract created",
        ["change-contract"] = "Contract changed",
        ["move-contract"] = "Contract moved to another office",
        ["create-contracting-office"] = "Contracting office created",
        ["change-contracting-office"] = "Contracting office changed",
        ["import-restricted-party-list"] = "Restricted-party list imported",
        ["adjudicate-screening-hit"] = "Screening match adjudicated",
        ["import-contributions"] = "Code contributions imported",
        ["review-contribution"] = "Code contribution reviewed",
        ["add-contributor-alias"] = "Contributor alias added",
        ["import-access-log"] = "Access log imported",
        ["add-access-identity-alias"] = "Access log identity named",
        ["remove-contributor-alias"] = "Contributor alias removed",
        ["save-access-review-definition"] = "Access review defined or changed",
        ["retire-access-review-definition"] = "Access review retired",
        ["start-access-review-campaign"] = "Access review started",
        ["decide-access-review-items"] = "Access review decisions recorded",
        ["reassign-access-review-items"] = "Access review items reassigned",
        ["run-access-review-schedule"] = "Access reviews: scheduled start, reminders and deadline actions",
        ["create-api-token"] = "API token created",
        ["revoke-api-token"] = "API token revoked",
        ["save-view"] = "Grid view saved",
        ["rename-view"] = "Grid view renamed",
        ["set-default-view"] = "Default grid view chosen",
        ["delete-view"] = "Grid view deleted",
        ["sign-chain-checkpoint"] = "Chain checkpoint signed",
        ["verify-state"] = "Tables verified against the trail",
        ["verify-state-on-schedule"] = "Tables verified against the trail (scheduled)",
        ["dispose-ended-sessions"] = "Ended sessions disposed of (retention)",
        ["build-evidence-package"] = "Evidence package built",
        ["export"] = "Exported",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
