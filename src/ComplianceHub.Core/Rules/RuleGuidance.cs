namespace ComplianceHub.Core.Rules;

/// <summary>
/// How to respond to a finding of each rule, in the words a vendor representative needs: what to change (and where in the
/// portal), or why nothing but ending the access will do. Shown on the findings page beside the rule's citation; a test
/// keeps one entry per rule of the catalogue.
/// </summary>
public static class RuleGuidance
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["ATTEST-FRESH"] = "Attest the person's current work location and citizenships on the Attestations page. The finding closes when the attestation is signed; correct anything that changed in the same form.",
        ["CIT-CONCERN"] = "A citizenship of a foreign adversary or country of concern needs the contracting officer's decision. Confirm the citizenships are right (correct them on the person's page if not), then acknowledge the finding with the facts the officer needs; do not request new access for the person meanwhile.",
        ["CIT-COVERED"] = "Statute bars people holding a citizenship of (or born in) a covered nation from these systems; no waiver or escort cures it. Check the recorded citizenships and country of birth — correct them if they are wrong — otherwise the person's access must end: the grants are already suspended.",
        ["ESCORT-QUALIFIED"] = "Choose another escort who is a US citizen working in the US, with the investigation the system needs and a technical qualification at least the level of the access (request a new escort from the person's page), or record the escort's missing training or vetting on their record if it is only missing from the roster.",
        ["ESCORT-RATIO"] = "An escort may supervise only a few people at once. Request another qualified escort for one of the people, or shorten one of the overlapping assignments.",
        ["ESCORT-REQUIRED"] = "Every grant of a person who is not a US person needs a qualified escort assigned on that system for the whole grant period. Request an escort from the person's page; an officer approves it.",
        ["ESCORT-SESSION-LOG"] = "Have the escort sign off the session on the Escorted sessions page (or record the missing session if work was done without one). Unsigned sessions older than 24 hours stay findings until signed off.",
        ["GRANT-TERMS"] = "Give the grant a justification and an end date within the policy's maximum: ask the officer to end this grant and request a new one with proper terms.",
        ["IL2-INVESTIGATION"] = "Record the person's favourably adjudicated T1 (or higher) investigation on their record; until then the grant stays refused or suspended.",
        ["IL45-INVESTIGATION"] = "Record the investigation the impact level requires (T3 for non-privileged, T5 for privileged access) and its adjudication date on the person's record, or request a lower-level access.",
        ["IL45-US-PERSON"] = "IL4/IL5 access is for US persons only, and an escort does not cure it. If the person is a US citizen or permanent resident, correct their record; otherwise the access must end.",
        ["IL6-CITIZEN"] = "IL6 needs a US citizen with a T5 investigation and a SECRET clearance. Correct the record if it is incomplete; otherwise the access must end.",
        ["LOC-ADVERSARY"] = "The person works from a foreign adversary: no access is allowed from there. If the location is wrong, correct it (the Attestations page or the person's page); otherwise end the access or move the work.",
        ["LOC-COVERED"] = "Statute bars any access from a covered nation. If the recorded work location is wrong, correct it; otherwise the person's access must end — the grants are already suspended.",
        ["LOC-US-AREAS"] = "IL4 and above may only be reached from the US and its outlying areas. Correct the work location if it is wrong, or request access to a lower impact level.",
        ["NDA"] = "Record the date the person signed the non-disclosure agreement on their record (Edit on the person's page).",
        ["SCREENING-MATCH"] = "The name matches a restricted-party list entry. The contracting officer adjudicates it on the Screening page; send them the identity documents that tell the person apart from the listed party.",
        ["TERMINATION"] = "The person left but still holds a grant: the grants are revoked when the offboarding is recorded. Offboard the person from their page with their last day.",
        ["VETTING-CURRENT"] = "Record a current investigation (adjudicated within the policy's period) or the person's enrolment in continuous vetting on their record.",
    };

    /// <summary>What to do about a finding of <paramref name="ruleId"/>; a general answer for an unknown id.</summary>
    public static string For(string ruleId) => Texts.TryGetValue(ruleId, out var text)
        ? text
        : "Correct the facts if they are wrong, or acknowledge the finding with your answer; the contracting officer decides what else is needed.";

    /// <summary>The rules that have guidance (for the test that keeps it complete).</summary>
    public static IReadOnlyCollection<string> RuleIds => Texts.Keys;
}
