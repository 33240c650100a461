using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using System.Globalization;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>ATTEST-FRESH: location and citizenship re-attested within 30 days for privileged access, 180 otherwise;
/// a warning shortly before, the policy's severity (suspend) once overdue.</summary>
public sealed class AttestFresh : RuleBase, IGrantRule
{
    public override string Id => "ATTEST-FRESH";
    public override string Title => "Location and citizenship attestation overdue";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "NIST SP 800-53 AC-2(j) FedRAMP/DoD cadence (privileged monthly, others every six months)",
        "policy choice, no statutory interval",
    ];
    public override Severity DefaultSeverity => Severity.Suspend;

    public override string Guidance =>
        "Attest the person's current work location and citizenships on the Attestations page. The finding closes when the attestation is signed; correct anything that changed in the same form.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Grant.Status is GrantStatus.Revoked or GrantStatus.Expired)
        {
            return null;
        }
        var days = s.Grant.AccessType == AccessType.Privileged ? c.Policy.AttestationDays.Privileged : c.Policy.AttestationDays.Other;
        if (s.Person.LocationAttestedOn is { } fresh && c.Today <= fresh.AddDays(days).AddDays(-c.Policy.AttestationDays.WarnBefore))
        {
            return null; // neither due nor due soon: the facts below are only for an outcome
        }
        var facts = new List<(string, string)>
        {
            ("accessType", s.Grant.AccessType.ToString()),
            ("locationAttestedOn", s.Person.LocationAttestedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never"),
            ("intervalDays", days.ToString(CultureInfo.InvariantCulture)),
        };
        if (s.Person.LocationAttestedOn is not { } attested)
        {
            return Fail(s, severity, c, "The person's location and citizenships have never been attested.", [.. facts]);
        }
        var due = attested.AddDays(days);
        if (c.Today > due)
        {
            return Fail(s, severity, c, $"The person's location and citizenships, attested on {attested:yyyy-MM-dd}, were due to be attested again on {due:yyyy-MM-dd} (every {days} days for {Words.Of(s.Grant.AccessType).ToLowerInvariant()} access).", [.. facts, ("dueOn", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        }
        if (c.Today > due.AddDays(-c.Policy.AttestationDays.WarnBefore))
        {
            return Fail(s, Severity.Warn, c, $"The person's location and citizenships must be attested again by {due:yyyy-MM-dd}; access is suspended if they are not.", [.. facts, ("dueOn", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        }
        return null;
    }
}

/// <summary>TERMINATION: a person whose employment ended keeps no grant (revoked at once).</summary>
public sealed class Termination : RuleBase, IGrantRule
{
    public override string Id => "TERMINATION";
    public override string Title => "Employment ended and a grant is not revoked";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DoD PS-4(a) parameter (disable access within 1 hour of termination)",
        "PS-7(d)",
        "AC-2(h)",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "The person left but still holds a grant: the grants are revoked when the offboarding is recorded. Offboard the person from their page with their last day.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        s.Person.EmploymentStatus == EmploymentStatus.Terminated && s.Grant.Status is not (GrantStatus.Revoked or GrantStatus.Expired)
            ? Fail(s, severity, c, "The person's employment has ended, so every grant must be revoked.",
                ("employmentStatus", "Terminated"), ("grantStatus", s.Grant.Status.ToString()))
            : null;
}

/// <summary>GRANT-TERMS: a grant has a justification, an end date, and lasts at most the policy's maximum.</summary>
public sealed class GrantTerms : RuleBase, IGrantRule
{
    public override string Id => "GRANT-TERMS";
    public override string Title => "Grant without justification or end date, or too long";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "NIST SP 800-53 AC-2(c), AC-2(d) (authorized access with intended usage)",
        "AC-6 least privilege",
        "policy maximum duration",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Give the grant a justification and an end date within the policy's maximum: ask the officer to end this grant and request a new one with proper terms.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        var g = s.Grant;
        string? problem =
            string.IsNullOrWhiteSpace(g.Justification) ? "it has no justification"
            : g.EndsOn is not { } ends ? "it has no end date"
            : ends < g.StartsOn ? "it ends before it starts"
            : ends.DayNumber - g.StartsOn.DayNumber > c.Policy.MaxGrantDays ? $"it lasts {ends.DayNumber - g.StartsOn.DayNumber} days, more than {c.Policy.MaxGrantDays}"
            : null;
        return problem is null
            ? null
            : Fail(s, severity, c, $"The grant's terms are incomplete: {problem}.",
                ("startsOn", g.StartsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ("endsOn", g.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none"),
                ("justification", string.IsNullOrWhiteSpace(g.Justification) ? "none" : "given"),
                ("maxGrantDays", c.Policy.MaxGrantDays.ToString(CultureInfo.InvariantCulture)));
    }
}
