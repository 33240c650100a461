using System.Globalization;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>ESCORT-REQUIRED: a person who is not a US person works only escorted, under an active escort assignment on
/// the same system that covers the grant's whole period.</summary>
public sealed class EscortRequired : RuleBase, IGrantRule
{
    public override string Id => "ESCORT-REQUIRED";
    public override string Title => "Non-US person without an escort covering the grant";
    public override string Citation => "NIST SP 800-53 Rev. 5 MA-5(1); DoD PS-3(4) parameter (foreign personnel only with AO approval)";
    public override Severity DefaultSeverity => Severity.Block;

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Person.IsUsPerson)
        {
            return null;
        }
        var inPeriod = s.Grant.EndsOn is { } ends
            ? s.Escorts.Where(e => e.Active && e.SystemId == s.System.Id && e.StartsOn <= s.Grant.StartsOn && e.EndsOn >= ends).ToList()
            : [];
        var covering = inPeriod.FirstOrDefault(e => Disqualification(e.Escort, c) is null);
        if (s.Grant.Escorted && covering is not null)
        {
            return null;
        }
        var why = !s.Grant.Escorted
            ? "the grant is for direct (unescorted) access"
            : inPeriod.Count > 0
                ? $"the escort assigned no longer qualifies ({Disqualification(inPeriod[0].Escort, c)})"
                : "no active escort assignment on this system covers the grant's whole period";
        return Fail(s, severity, c, $"The person is not a US person (citizenships {s.Person.CitizenshipList}) and {why}.",
            ("citizenships", s.Person.CitizenshipList), ("escorted", s.Grant.Escorted ? "yes" : "no"),
            ("grantPeriod", $"{s.Grant.StartsOn:yyyy-MM-dd} to {s.Grant.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "open"}"),
            ("coveringAssignment", inPeriod.Count > 0 ? $"{inPeriod[0].AssignmentId} (escort no longer qualifies)" : "none"));
    }

    /// <summary>
    /// Why an assigned escort can no longer cover anyone, whatever the system: not employed, not a US citizen, or
    /// working outside the US areas (the escort's facts changed after the assignment was approved).
    /// </summary>
    private static string? Disqualification(PersonFacts escort, RuleContext c) =>
        escort.EmploymentStatus != EmploymentStatus.Active ? "the escort is no longer employed"
        : !escort.IsUsCitizen ? $"the escort is not a US citizen (citizenships {escort.CitizenshipList})"
        : !c.Policy.Set(PolicyParameters.UsAreas).Contains(escort.WorkCountry) ? $"the escort works in {escort.WorkCountry}, outside the US areas"
        : null;
}

/// <summary>ATTEST-FRESH: location and citizenship re-attested within 30 days for privileged access, 180 otherwise;
/// a warning shortly before, the policy's severity (suspend) once overdue.</summary>
public sealed class AttestFresh : RuleBase, IGrantRule
{
    public override string Id => "ATTEST-FRESH";
    public override string Title => "Location and citizenship attestation overdue";
    public override string Citation => "NIST SP 800-53 AC-2(j) FedRAMP/DoD cadence (privileged monthly, others every six months); policy choice, no statutory interval";
    public override Severity DefaultSeverity => Severity.Suspend;

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
            return Fail(s, severity, c, $"The attestation of {attested:yyyy-MM-dd} was due again on {due:yyyy-MM-dd} ({days}-day interval).", [.. facts, ("dueOn", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        }
        if (c.Today > due.AddDays(-c.Policy.AttestationDays.WarnBefore))
        {
            return Fail(s, Severity.Warn, c, $"The attestation is due on {due:yyyy-MM-dd}; access is suspended if it is not renewed by then.", [.. facts, ("dueOn", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        }
        return null;
    }
}

/// <summary>TERMINATION: a person whose employment ended keeps no grant (revoked at once).</summary>
public sealed class Termination : RuleBase, IGrantRule
{
    public override string Id => "TERMINATION";
    public override string Title => "Employment ended and a grant is not revoked";
    public override string Citation => "DoD PS-4(a) parameter (disable access within 1 hour of termination); PS-7(d); AC-2(h)";
    public override Severity DefaultSeverity => Severity.Block;

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        s.Person.EmploymentStatus == EmploymentStatus.Terminated && s.Grant.Status is not (GrantStatus.Revoked or GrantStatus.Expired)
            ? Fail(s, severity, c, "The person's employment has ended; every grant is revoked.",
                ("employmentStatus", "Terminated"), ("grantStatus", s.Grant.Status.ToString()))
            : null;
}

/// <summary>GRANT-TERMS: a grant has a justification, an end date, and lasts at most the policy's maximum.</summary>
public sealed class GrantTerms : RuleBase, IGrantRule
{
    public override string Id => "GRANT-TERMS";
    public override string Title => "Grant without justification or end date, or too long";
    public override string Citation => "NIST SP 800-53 AC-2(c), AC-2(d) (authorized access with intended usage); AC-6 least privilege; policy maximum duration";
    public override Severity DefaultSeverity => Severity.Block;

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
