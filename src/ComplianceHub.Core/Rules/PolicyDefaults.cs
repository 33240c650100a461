namespace ComplianceHub.Core.Rules;

/// <summary>Policy version 1, "DoD baseline 2026" (DESIGN.md section 5).</summary>
public static class PolicyDefaults
{
    public const string Baseline2026Name = "DoD baseline 2026";

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
