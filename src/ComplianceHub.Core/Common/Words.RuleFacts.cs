using System.Collections.Frozen;
using System.Globalization;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Common;

/// <summary>
/// The words of the facts the rules record with each outcome (<c>coveredNations</c>, <c>escortInvestigationTier</c>, …): their
/// labels and how their values read. The facts keep the codes the rules compared (findings and audit events store them as
/// evidence); people read them through <see cref="Field"/> and <see cref="FactValue(string, string?)"/>.
/// </summary>
public static partial class Words
{
    private static readonly FrozenDictionary<string, string> RuleFactLabels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["coveredNations"] = "Covered nations",
        ["countriesOfConcern"] = "Countries of concern",
        ["adversaryNations"] = "Foreign adversaries",
        ["usAreas"] = "US and outlying areas",
        ["escortWorkCountry"] = "Escort's work location",
        ["supervisedWorkCountry"] = "Supervised person's work location",
        ["escortCitizenships"] = "Escort's citizenships",
        ["escortInvestigationTier"] = "Escort's investigation",
        ["requiredInvestigationTier"] = "Investigation required",
        ["required"] = "Investigation required",
        ["requiredQualification"] = "Escort qualification required",
        ["grantPeriod"] = "Grant period",
        ["coveringAssignment"] = "Escort assignment covering the grant",
        ["concurrentlySupervised"] = "People supervised at once",
        ["escortMaxSupervised"] = "Most people one escort may supervise",
        ["endedAt"] = "Session ended (UTC)",
        ["signedOffAt"] = "Signed off (UTC)",
        ["signOffHours"] = "Hours allowed for sign-off",
        ["intervalDays"] = "Attestation interval (days)",
        ["grantStatus"] = "Grant status",
        ["maxGrantDays"] = "Longest grant allowed (days)",
        ["maxAgeYears"] = "Oldest investigation accepted (years)",
        ["listedParty"] = "Listed party",
        // The rules on access-log evidence (issue 25).
        ["evidenceCountries"] = "Countries in the access logs",
        ["signIns"] = "Successful sign-ins counted",
        ["latestSignIn"] = "Latest sign-in (log line)",
        ["windowDays"] = "Days of evidence counted",
        ["minSignIns"] = "Sign-ins that make a finding",
        ["accessWithoutSession"] = "Access without a session record",
        ["latestAccess"] = "Latest such access (log line)",
        ["activityDays"] = "Days of access checked",
        ["evidenceSettings.windowDays"] = "Days of access-log evidence counted",
        ["evidenceSettings.coveredMinSignIns"] = "Sign-ins from a covered nation that make a finding",
        ["evidenceSettings.mismatchMinSignIns"] = "Sign-ins from another country that make a finding",
        ["evidenceSettings.sessionActivityDays"] = "Days of access checked for session records",
        // The policy parameters, as the policy form's checks name them.
        ["attestationDays.privileged"] = "Attestation interval for privileged access (days)",
        ["attestationDays.other"] = "Attestation interval for other access (days)",
        ["attestationDays.warnBefore"] = "Warning before an attestation is due (days)",
        ["vettingMaxAgeYears"] = "Oldest investigation accepted (years)",
        ["findingDueDays.block"] = "Days to answer a blocking finding",
        ["findingDueDays.suspend"] = "Days to answer a suspending finding",
        ["findingDueDays.warn"] = "Days to answer a warning",
        ["sessionSignOffHours"] = "Hours allowed for sign-off",
        ["screeningSettings.threshold"] = "Screening match threshold",
        ["screeningSettings.countryMismatchPenalty"] = "Screening country mismatch penalty",
        ["countrySets"] = "Country sets",
        ["workCity"] = "Work city",
        ["ownerUserId"] = "Owner",
        ["hitId"] = "Screening hit",
        ["findingId"] = "Finding",
        ["requestId"] = "Escort request",
        ["assignmentId"] = "Escort assignment",
        ["contributionId"] = "Code contribution",
        ["policyVersionId"] = "Policy version",
        ["fileName"] = "File",
        ["repository"] = "Repository",
        ["notes"] = "Notes",
        ["kind"] = "Kind",
        ["facts"] = "Facts",
        ["number"] = "Contract number",
        ["title"] = "Title",
        ["scope"] = "Scope",
        ["decision"] = "Decision",
        ["items"] = "People attested",
        ["parameters"] = "Parameters",
        ["role"] = "Role",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fact keys whose value is a country or a comma-separated list of countries.</summary>
    private static readonly FrozenSet<string> RuleCountryKeys = new[]
    {
        "coveredNations", "countriesOfConcern", "adversaryNations", "usAreas", "escortWorkCountry", "supervisedWorkCountry", "escortCitizenships",
        "evidenceCountries",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, Type> RuleFactEnums = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["escortInvestigationTier"] = typeof(InvestigationTier),
        ["requiredInvestigationTier"] = typeof(InvestigationTier),
        ["required"] = typeof(InvestigationTier),
        ["requiredQualification"] = typeof(EscortQualification),
        ["grantStatus"] = typeof(GrantStatus),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The words of a rule fact's value that the general cases do not cover: a comma-separated list of countries, the rules'
    /// "yes"/"no"/"none"/"never", and an instant written as <c>2026-12-06T14:00Z</c> (read as "2026-12-06 14:00 UTC"). Null when
    /// the value is none of these.
    /// </summary>
    private static string? RuleFactValue(string key, string value)
    {
        if (IsCountryKey(key) && value.Contains(',', StringComparison.Ordinal))
        {
            return Countries(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        switch (value)
        {
            case "yes" or "true" or "True":
                return "Yes";
            case "no" or "false" or "False":
                return "No";
            case "none":
                return "None";
            case "never":
                return "Never";
            case "open":
                return "No end date";
            case "given":
                return "Given";
            case "unknown":
                return "Unknown";
        }
        return value.Length is >= 17 and <= 20 && value.EndsWith('Z')
            && DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
            : null;
    }

    // ---- Phrases the rules' sentences are built from ----------------------------------------------------------------

    /// <summary>What an escort is qualified as, inside a sentence: "an operator", "an engineer", "not qualified to escort".</summary>
    public static string QualifiedAs(EscortQualification value) => value switch
    {
        EscortQualification.None => "not qualified to escort",
        EscortQualification.Operator => "an operator",
        EscortQualification.Engineer => "an engineer",
        _ => Unknown(value),
    };

    /// <summary>An investigation inside a sentence: "Tier 3", or "no investigation".</summary>
    public static string Investigation(InvestigationTier value) => value == InvestigationTier.None ? "no investigation" : Of(value);

    /// <summary>A clearance inside a sentence: "a Secret clearance", or "no clearance".</summary>
    public static string ClearancePhrase(Clearance value) => value == Clearance.None ? "no clearance" : $"a {Of(value)} clearance";

    /// <summary>Items joined as a sentence says them: "a", "a and b", "a, b and c".</summary>
    public static string Sequence(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
