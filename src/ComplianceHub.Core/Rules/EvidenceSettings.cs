namespace ComplianceHub.Core.Rules;

/// <summary>
/// The thresholds of the rules on access-log evidence (issue 25, ADR 0048): how far back the evidence counts, how many sign-ins
/// from a covered nation (LOC-EVIDENCE-COVERED) or from another country (LOC-EVIDENCE-MISMATCH) make a finding, and how many days
/// of access-log activity an escorted grant must show session records for (ESCORT-SESSION-LOG; 0 leaves that half off).
/// </summary>
public sealed record EvidenceSettings(int WindowDays, int CoveredMinSignIns, int MismatchMinSignIns, int SessionActivityDays)
{
    /// <summary>
    /// What a policy version that predates the evidence rules reads: 90 days, one sign-in, one sign-in, and the session half off
    /// (a version that turns it on sets the 30 days of DESIGN.md section 5).
    /// </summary>
    public static EvidenceSettings Default { get; } = new(90, 1, 1, 0);

    /// <summary>The settings a new draft offers when an officer turns the evidence checks on.</summary>
    public static EvidenceSettings Recommended { get; } = new(90, 1, 1, 30);
}
