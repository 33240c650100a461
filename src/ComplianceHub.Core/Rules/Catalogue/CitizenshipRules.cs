using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>
/// CIT-COVERED: any citizenship, or the country of birth, in a covered nation (dual nationals included). A policy default
/// beyond the statute: FY2026 NDAA Sec. 1692 keys on where a person is, not on their citizenship (regulatory-sources, R02),
/// so the rule can be waived, switched to Warn or off in a policy version, unlike LOC-COVERED.
/// </summary>
public sealed class CitCovered : RuleBase, IGrantRule, IEscortRule
{
    public override string Id => "CIT-COVERED";
    public override string Title => "Citizenship or birth in a covered nation";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "SecDef statements of 18 Jul and 27 Aug 2025 (no foreign engineers, an end to Chinese involvement)",
        "Sen. Cotton's letter of 8 Aug 2025",
        "covered nations as in 10 U.S.C. 4872(d)(2)",
        "ITAR practice of counting every nationality and the country of birth (22 CFR 120.62, 126.18)",
        "policy choice beyond the statute: FY2026 NDAA (P.L. 119-60) Sec. 1692 keys on location, not citizenship",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "The policy in force bars people holding a citizenship of (or born in) a covered nation from these systems, and an escort does not cure it. Check the recorded citizenships and country of birth — correct them if they are wrong — otherwise the person's access must end: the grants are already suspended. Only a waiver requested and approved by two contracting officers sets the rule aside for one person.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        Failing(s.Person, c) is { } hits
            ? Fail(s, severity, c, $"The person {Ties(s.Person, hits)}.",
                ("citizenships", s.Person.CitizenshipList), ("countryOfBirth", s.Person.CountryOfBirth), ("coveredNations", List(c.Policy.Set(PolicyParameters.Covered))))
            : null;

    public RuleOutcome? Check(EscortSubject s, RuleContext c, Severity severity)
    {
        foreach (var (role, person) in new[] { ("escort", s.Escort), ("supervised person", s.Supervised) })
        {
            if (Failing(person, c) is { } hits)
            {
                return Fail(s, severity, c, $"The {role} {Ties(person, hits)}.",
                    ("citizenships", person.CitizenshipList), ("countryOfBirth", person.CountryOfBirth));
            }
        }
        return null;
    }

    /// <summary>"holds citizenship of China (CN) and was born in China (CN), a covered nation".</summary>
    private static string Ties(PersonFacts p, IReadOnlyCollection<string> hits)
    {
        var citizenships = p.Citizenships.Where(hits.Contains).Order(StringComparer.Ordinal).ToList();
        var born = hits.Contains(p.CountryOfBirth);
        var ties = citizenships.Count > 0 && born ? $"holds citizenship of {Words.Countries(citizenships)} and was born in {Words.Country(p.CountryOfBirth)}"
            : citizenships.Count > 0 ? $"holds citizenship of {Words.Countries(citizenships)}"
            : $"was born in {Words.Country(p.CountryOfBirth)}";
        return ties + (hits.Count == 1 ? ", a covered nation" : ", covered nations");
    }

    private static IReadOnlyCollection<string>? Failing(PersonFacts p, RuleContext c)
    {
        var covered = c.Policy.Set(PolicyParameters.Covered);
        if (!covered.Contains(p.CountryOfBirth) && !p.Citizenships.Any(covered.Contains))
        {
            return null;
        }
        var hits = p.Citizenships.Append(p.CountryOfBirth).Where(covered.Contains).Distinct().ToList();
        return hits.Count > 0 ? hits : null;
    }
}

/// <summary>CIT-CONCERN: a citizenship in a foreign adversary that is not covered, or in a country of concern; needs export review.</summary>
public sealed class CitConcern : RuleBase, IGrantRule
{
    public override string Id => "CIT-CONCERN";
    public override string Title => "Citizenship in a foreign adversary or country of concern";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "15 CFR 791.4",
        "22 CFR 126.1(d)(1)",
        "15 CFR 734.13(b) (deemed export)",
        "State Sponsors of Terrorism list",
    ];
    public override Severity DefaultSeverity => Severity.Warn;

    public override string Guidance =>
        "A citizenship of a foreign adversary or country of concern needs the contracting officer's decision. Confirm the citizenships are right (correct them on the person's page if not), then acknowledge the finding with the facts the officer needs; do not request new access for the person meanwhile.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        var concern = c.Policy.CountriesOfConcern();
        if (!s.Person.Citizenships.Any(concern.Contains))
        {
            return null;
        }
        var hits = s.Person.Citizenships.Where(concern.Contains).ToList();
        return hits.Count > 0
            ? Fail(s, severity, c, $"The person holds citizenship of {InWords(hits)}, {(hits.Count == 1 ? "a country" : "countries")} of concern: the export-control office and the authorizing official must review the access.",
                ("citizenships", s.Person.CitizenshipList), ("countriesOfConcern", List(concern)))
            : null;
    }
}

/// <summary>IL45-US-PERSON: IL4 and IL5 need US persons (citizens or lawful permanent residents); escorting does not cure it.</summary>
public sealed class Il45UsPerson : RuleBase, IGrantRule
{
    public override string Id => "IL45-US-PERSON";
    public override string Title => "IL4/IL5 access by a person who is not a US person";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DISA CC SRG IL4/IL5 personnel requirement (US persons)",
        "DoD PS-3(4) parameter",
        "22 CFR 120.62",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "IL4/IL5 access is for US persons only, and an escort does not cure it. If the person is a US citizen or permanent resident, correct their record; otherwise the access must end.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        s.System.ImpactLevel is Domain.ImpactLevel.IL4 or Domain.ImpactLevel.IL5 && !s.Person.IsUsPerson
            ? Fail(s, severity, c, $"{s.System.Name} is {Words.Of(s.System.ImpactLevel)} and the person is not a US person (citizenships: {CitizenshipsOf(s.Person)}; no US permanent residence); an escort does not change that.",
                ("impactLevel", s.System.ImpactLevel.ToString()), ("citizenships", s.Person.CitizenshipList),
                ("usLawfulPermanentResident", s.Person.UsLawfulPermanentResident ? "yes" : "no"))
            : null;
}

/// <summary>IL6-CITIZEN: IL6 needs US citizens with a T5 investigation and a SECRET or higher clearance.</summary>
public sealed class Il6Citizen : RuleBase, IGrantRule
{
    public override string Id => "IL6-CITIZEN";
    public override string Title => "IL6 access without US citizenship, T5 and SECRET";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DISA CC SRG IL6 personnel requirement (US citizens, favorably adjudicated T5, SECRET clearance)",
        "an LAA does not qualify (NISPOM)",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "IL6 needs a US citizen with a T5 investigation and a SECRET clearance. Correct the record if it is incomplete; otherwise the access must end.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.System.ImpactLevel != Domain.ImpactLevel.IL6)
        {
            return null;
        }
        var missing = new List<string>();
        if (!s.Person.IsUsCitizen) { missing.Add("US citizenship"); }
        if (s.Person.InvestigationTier != Domain.InvestigationTier.T5) { missing.Add($"a {Words.Of(Domain.InvestigationTier.T5)} investigation"); }
        if (s.Person.Clearance < Domain.Clearance.Secret) { missing.Add($"a {Words.Of(Domain.Clearance.Secret)} or higher clearance"); }
        return missing.Count == 0
            ? null
            : Fail(s, severity, c, $"{s.System.Name} is {Words.Of(Domain.ImpactLevel.IL6)} and the person lacks {Words.Sequence(missing)}.",
                ("citizenships", s.Person.CitizenshipList), ("investigationTier", s.Person.InvestigationTier.ToString()),
                ("clearance", s.Person.Clearance.ToString()));
    }
}
