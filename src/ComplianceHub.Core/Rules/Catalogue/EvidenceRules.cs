using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>
/// LOC-EVIDENCE-COVERED: the access logs show successful sign-ins from a covered nation, whatever the person attested. The
/// statute keys on where a person is; a sign-in from a covered nation is the evidence that the attestation may be wrong.
/// Off until a policy version that enables it is activated (<see cref="OnByDefault"/>).
/// </summary>
public sealed class LocEvidenceCovered : RuleBase, IGrantRule
{
    public const string RuleId = "LOC-EVIDENCE-COVERED";
    public override string Id => RuleId;
    public override string Title => "Access logs show sign-ins from a covered nation";

    /// <summary>The statute bars access from a covered nation: no waiver. A range that only looks foreign is marked a known egress instead.</summary>
    public override bool Waivable => false;
    public override bool OnByDefault => false;
    public override IReadOnlyList<string> Citations { get; } =
    [
        "FY2026 NDAA (P.L. 119-60) Sec. 1692",
        "10 U.S.C. 4872(d)(2)",
        "NIST SP 800-53 AC-2(12), SI-4 (atypical use, location of access)",
        "policy choice: sign-in evidence checked against the attested location",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "The access logs show sign-ins from a covered nation: the grants are suspended. Find out who signed in from there. If the address is a known " +
        "VPN or cloud egress, an officer marks its range as a known egress (with the reason) and the finding closes; if the person works from there, the access must end.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Evidence is not { Countries.Count: > 0 } evidence)
        {
            return null;
        }
        var settings = c.Policy.EvidenceSettings;
        var from = c.Today.AddDays(-settings.WindowDays);
        var covered = c.Policy.Set(PolicyParameters.Covered);
        var seen = evidence.Countries.Where(e => covered.Contains(e.Country)).Select(e => (e, n: e.SignInsSince(from))).Where(x => x.n > 0).ToList();
        var total = seen.Sum(x => x.n);
        if (total < settings.CoveredMinSignIns)
        {
            return null;
        }
        var latest = seen.Select(x => x.e.Latest).MaxBy(l => l.At)!;
        return Fail(s, severity, c,
            $"The access logs show {Count(total)} from {InWords(seen.Select(x => x.e.Country))} in the last {settings.WindowDays} days, " +
            $"a covered nation (the person attested {Words.Country(s.Person.WorkCountry)}). The latest: {latest.Describe()}.",
            ("evidenceCountries", List(seen.Select(x => x.e.Country))),
            ("signIns", total.ToString(CultureInfo.InvariantCulture)),
            ("latestSignIn", latest.Describe()),
            ("workCountry", s.Person.WorkCountry),
            ("windowDays", settings.WindowDays.ToString(CultureInfo.InvariantCulture)),
            ("minSignIns", settings.CoveredMinSignIns.ToString(CultureInfo.InvariantCulture)));
    }

    internal static string Count(int n) => n == 1 ? "1 successful sign-in" : $"{n:N0} successful sign-ins";
}

/// <summary>
/// LOC-EVIDENCE-MISMATCH: the access logs show sign-ins from a country other than the attested work location — or, for a
/// system at IL4 or above, from outside the US areas. A warning: a finding for an officer to review.
/// </summary>
public sealed class LocEvidenceMismatch : RuleBase, IGrantRule
{
    public const string RuleId = "LOC-EVIDENCE-MISMATCH";
    public override string Id => RuleId;
    public override string Title => "Access logs disagree with the attested location";
    public override bool OnByDefault => false;
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DISA CC SRG update of Sep 2025",
        "NIST SP 800-53 AC-2(12), AU-6 (review of atypical use)",
        "policy choice: sign-in evidence checked against the attested location",
    ];
    public override Severity DefaultSeverity => Severity.Warn;

    public override string Guidance =>
        "Compare the countries in the access logs with the attested work location. Correct the attestation if the person moved; mark a VPN or cloud egress " +
        "range as a known egress if that explains it; otherwise acknowledge the finding with what you found.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Evidence is not { Countries.Count: > 0 } evidence)
        {
            return null;
        }
        var settings = c.Policy.EvidenceSettings;
        var from = c.Today.AddDays(-settings.WindowDays);
        var usAreas = c.Policy.Set(PolicyParameters.UsAreas);
        var attested = s.Person.WorkCountry;
        var attestedUs = usAreas.Contains(attested);
        var elsewhere = new List<(CountryEvidence Evidence, int SignIns, bool OutsideUs)>();
        foreach (var e in evidence.Countries)
        {
            var n = e.SignInsSince(from);
            if (n < settings.MismatchMinSignIns)
            {
                continue;
            }
            var inUs = usAreas.Contains(e.Country);
            var other = e.Country != attested && !(attestedUs && inUs);
            var outsideUsForIl4 = s.System.IsIl4OrAbove && !inUs;
            if (other || outsideUsForIl4)
            {
                elsewhere.Add((e, n, outsideUsForIl4));
            }
        }
        if (elsewhere.Count == 0)
        {
            return null;
        }
        var total = elsewhere.Sum(x => x.SignIns);
        var latest = elsewhere.Select(x => x.Evidence.Latest).MaxBy(l => l.At)!;
        var why = elsewhere.Any(x => x.Evidence.Country != attested && !(attestedUs && usAreas.Contains(x.Evidence.Country)))
            ? $"the person attested {Words.Country(attested)}"
            : $"{s.System.Name} is {s.System.ImpactLevel}, which allows access from the US areas only";
        return Fail(s, severity, c,
            $"The access logs show {LocEvidenceCovered.Count(total)} from {InWords(elsewhere.Select(x => x.Evidence.Country))} in the last {settings.WindowDays} days, " +
            $"but {why}. The latest: {latest.Describe()}.",
            ("evidenceCountries", List(elsewhere.Select(x => x.Evidence.Country))),
            ("signIns", total.ToString(CultureInfo.InvariantCulture)),
            ("latestSignIn", latest.Describe()),
            ("workCountry", attested),
            ("impactLevel", s.System.ImpactLevel.ToString()),
            ("windowDays", settings.WindowDays.ToString(CultureInfo.InvariantCulture)),
            ("minSignIns", settings.MismatchMinSignIns.ToString(CultureInfo.InvariantCulture)));
    }
}
