namespace ComplianceHub.Core.Rules;

/// <summary>Policy version 1, "DoD baseline 2026" (DESIGN.md section 5).</summary>
public static class PolicyDefaults
{
    public const string Baseline2026Name = "DoD baseline 2026";

    /// <summary>
    /// Version 1 as the schema seeded it, and as every database holds it: an activated version never changes, so rules and
    /// parameters added later (the access-log evidence of issue 25) are not written into it. Read back, it is
    /// <see cref="Baseline2026"/>: a rule it does not name runs with its default (off for the evidence rules), and missing
    /// settings read their defaults (<see cref="PolicyParameters.EvidenceSettings"/>). A test holds the two equal in effect.
    /// </summary>
    public const string Baseline2026SeededJson =
        """
        {"countrySets":{"ADVERSARY":["CN","CU","HK","IR","KP","MO","RU","VE"],"CONCERN":["BY","MM","SY"],"COVERED":["CN","HK","IR","KP","MO","RU"],"US_AREAS":["AS","GU","MP","PR","UM","US","VI"]},"attestationDays":{"privileged":30,"other":180,"warnBefore":7},"escortMaxSupervised":2,"maxGrantDays":365,"vettingMaxAgeYears":5,"findingDueDays":{"block":7,"suspend":7,"warn":30},"sessionSignOffHours":24,"rules":{"ATTEST-FRESH":{"enabled":true,"severity":"Suspend"},"CIT-CONCERN":{"enabled":true,"severity":"Warn"},"CIT-COVERED":{"enabled":true,"severity":"Block"},"ESCORT-QUALIFIED":{"enabled":true,"severity":"Block"},"ESCORT-RATIO":{"enabled":true,"severity":"Block"},"ESCORT-REQUIRED":{"enabled":true,"severity":"Block"},"ESCORT-SESSION-LOG":{"enabled":true,"severity":"Warn"},"GRANT-TERMS":{"enabled":true,"severity":"Block"},"IL2-INVESTIGATION":{"enabled":true,"severity":"Warn"},"IL45-INVESTIGATION":{"enabled":true,"severity":"Block"},"IL45-US-PERSON":{"enabled":true,"severity":"Block"},"IL6-CITIZEN":{"enabled":true,"severity":"Block"},"LOC-ADVERSARY":{"enabled":true,"severity":"Block"},"LOC-COVERED":{"enabled":true,"severity":"Block"},"LOC-US-AREAS":{"enabled":true,"severity":"Block"},"NDA":{"enabled":true,"severity":"Block"},"SCREENING-MATCH":{"enabled":true,"severity":"Suspend"},"TERMINATION":{"enabled":true,"severity":"Block"},"VETTING-CURRENT":{"enabled":true,"severity":"Warn"}},"screening":{"threshold":0.92,"countryMismatchPenalty":0.05}}
        """;

    public static PolicyParameters Baseline2026 { get; } = new(
        CountrySets: new Dictionary<string, IReadOnlySet<string>>
        {
            // 10 U.S.C. 4872 covered nations (FY2026 NDAA Sec. 1692); HK and MO count as China (15 CFR 791.4).
            [PolicyParameters.Covered] = new HashSet<string> { "CN", "HK", "MO", "RU", "IR", "KP" },
            // 15 CFR 791.4 foreign adversaries.
            [PolicyParameters.Adversary] = new HashSet<string> { "CN", "HK", "MO", "RU", "IR", "KP", "CU", "VE" },
            // ITAR 126.1(d)(1) and state sponsors of terrorism not already listed.
            [PolicyParameters.Concern] = new HashSet<string> { "BY", "MM", "SY" },
            [PolicyParameters.UsAreas] = new HashSet<string> { "US", "PR", "GU", "VI", "AS", "MP", "UM" },
        },
        AttestationDays: new AttestationDays(Privileged: 30, Other: 180, WarnBefore: 7),
        EscortMaxSupervised: 2,
        MaxGrantDays: 365,
        VettingMaxAgeYears: 5,
        // Blocking findings are worked within a week (DoD PS-4(a) and PS-7(d) ask for hours on terminations; the gate
        // revokes at once, the finding is the follow-up), warnings within a month.
        FindingDueDays: new FindingDueDays(Block: 7, Suspend: 7, Warn: 30),
        SessionSignOffHours: 24,
        Rules: RuleCatalogue.All.ToDictionary(r => r.Id, r => new RuleSetting(r.OnByDefault, r.DefaultSeverity)),
        // Jaro-Winkler / token-set similarity at or above 0.92 is a hit; an entry whose countries are none of the
        // person's loses 0.05 (DESIGN.md section 5: "a differing country lowers the score").
        Screening: ScreeningSettings.Default);
}
