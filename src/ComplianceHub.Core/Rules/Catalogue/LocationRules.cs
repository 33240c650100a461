using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>LOC-COVERED: nobody physically located in a covered nation may hold any access or take any escort role.</summary>
public sealed class LocCovered : RuleBase, IGrantRule, IEscortRule
{
    public override string Id => "LOC-COVERED";
    public override string Title => "Work location in a covered nation";

    /// <summary>FY2026 NDAA Sec. 1692 is statute: no waiver.</summary>
    public override bool Waivable => false;
    public override IReadOnlyList<string> Citations { get; } =
    [
        "FY2026 NDAA (P.L. 119-60) Sec. 1692",
        "10 U.S.C. 4872(d)(2)",
        "15 CFR 791.4 (HK, MO as China)",
        "DISA CC SRG update of Sep 2025",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Statute bars any access from a covered nation. If the recorded work location is wrong, correct it; otherwise the person's access must end — the grants are already suspended.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        c.Policy.Set(PolicyParameters.Covered).Contains(s.Person.WorkCountry)
            ? Fail(s, severity, c, $"The person works in {Words.Country(s.Person.WorkCountry)}, a covered nation: no access of any kind is allowed from there, escorted or not.",
                ("workCountry", s.Person.WorkCountry), ("coveredNations", List(c.Policy.Set(PolicyParameters.Covered))))
            : null;

    public RuleOutcome? Check(EscortSubject s, RuleContext c, Severity severity)
    {
        var covered = c.Policy.Set(PolicyParameters.Covered);
        foreach (var (role, person) in new[] { ("escort", s.Escort), ("supervised person", s.Supervised) })
        {
            if (covered.Contains(person.WorkCountry))
            {
                return Fail(s, severity, c, $"The {role} works in {Words.Country(person.WorkCountry)}, a covered nation: no escort role of any kind is allowed from there.",
                    ($"{role.Split(' ')[0]}WorkCountry", person.WorkCountry), ("coveredNations", List(covered)));
            }
        }
        return null;
    }
}

/// <summary>LOC-ADVERSARY: work location in a foreign adversary that is not a covered nation (Cuba, Venezuela).</summary>
public sealed class LocAdversary : RuleBase, IGrantRule, IEscortRule
{
    public override string Id => "LOC-ADVERSARY";
    public override string Title => "Work location in a foreign adversary";
    public override IReadOnlyList<string> Citations { get; } = ["15 CFR 791.4 (foreign adversaries)", "22 CFR 126.1(d)(1)", "policy default, not a statutory requirement"];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "The person works from a foreign adversary: no access is allowed from there. If the location is wrong, correct it (the Attestations page or the person's page); otherwise end the access or move the work.";

    private static IReadOnlySet<string> Countries(RuleContext c) => c.Policy.UncoveredAdversaries();

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        Countries(c).Contains(s.Person.WorkCountry)
            ? Fail(s, severity, c, $"The person works in {Words.Country(s.Person.WorkCountry)}, a foreign adversary.",
                ("workCountry", s.Person.WorkCountry), ("adversaryNations", List(Countries(c))))
            : null;

    public RuleOutcome? Check(EscortSubject s, RuleContext c, Severity severity)
    {
        var countries = Countries(c);
        var person = countries.Contains(s.Escort.WorkCountry) ? s.Escort : countries.Contains(s.Supervised.WorkCountry) ? s.Supervised : null;
        return person is null
            ? null
            : Fail(s, severity, c, $"{(person == s.Escort ? "The escort" : "The supervised person")} works in {Words.Country(person.WorkCountry)}, a foreign adversary.",
                ("workCountry", person.WorkCountry), ("adversaryNations", List(countries)));
    }
}

/// <summary>LOC-US-AREAS: IL4 and above are worked on only from the United States and its outlying areas.</summary>
public sealed class LocUsAreas : RuleBase, IGrantRule
{
    public override string Id => "LOC-US-AREAS";
    public override string Title => "IL4+ work location outside the US and its outlying areas";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DISA CC SRG impact-level table (location: US / US outlying areas)",
        "DoD SA-9(5) parameter",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "IL4 and above may only be reached from the US and its outlying areas. Correct the work location if it is wrong, or request access to a lower impact level.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        var areas = c.Policy.Set(PolicyParameters.UsAreas);
        return s.System.IsIl4OrAbove && !areas.Contains(s.Person.WorkCountry)
            ? Fail(s, severity, c, $"{s.System.Name} is {Words.Of(s.System.ImpactLevel)}; the person works in {Words.Country(s.Person.WorkCountry)}, outside the US and its outlying areas.",
                ("impactLevel", s.System.ImpactLevel.ToString()), ("workCountry", s.Person.WorkCountry), ("usAreas", List(areas)))
            : null;
    }
}
