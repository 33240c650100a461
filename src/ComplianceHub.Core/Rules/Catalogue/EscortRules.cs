using ComplianceHub.Core.Domain.Findings;
using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>ESCORT-REQUIRED: a person who is not a US person works only escorted, under an active escort assignment on
/// the same system that covers the grant's whole period, by an escort whose standing (<see cref="EscortEligibility.Standing"/>) holds.</summary>
public sealed class EscortRequired : RuleBase, IGrantRule
{
    public override string Id => "ESCORT-REQUIRED";
    public override string Title => "Non-US person without an escort covering the grant";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "NIST SP 800-53 Rev. 5 MA-5(1)",
        "DoD PS-3(4) parameter (foreign personnel only with AO approval)",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Every grant of a person who is not a US person needs a qualified escort assigned on that system for the whole grant period. Request an escort from the person's page; an officer approves it.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Person.IsUsPerson)
        {
            return null;
        }
        var inPeriod = s.Grant.EndsOn is { } ends
            ? s.Escorts.Where(e => e.Active && e.SystemId == s.System.Id && e.StartsOn <= s.Grant.StartsOn && e.EndsOn >= ends).ToList()
            : [];
        // The escort's facts may have changed since the assignment was approved (ESCORT-QUALIFIED checked them in full then).
        var usAreas = c.Policy.Set(PolicyParameters.UsAreas);
        var covering = inPeriod.FirstOrDefault(e => EscortEligibility.Standing(e.Escort, usAreas).Count == 0);
        if (s.Grant.Escorted && covering is not null)
        {
            return null;
        }
        var why = !s.Grant.Escorted
            ? "the grant is for direct (unescorted) access"
            : inPeriod.Count > 0
                ? $"the escort assigned no longer qualifies ({EscortEligibility.Standing(inPeriod[0].Escort, usAreas)[0].Message})"
                : "no active escort assignment on this system covers the grant's whole period";
        return Fail(s, severity, c, $"The person is not a US person (citizenships: {CitizenshipsOf(s.Person)}) and {why}.",
            ("citizenships", s.Person.CitizenshipList), ("escorted", s.Grant.Escorted ? "yes" : "no"),
            ("grantPeriod", $"{s.Grant.StartsOn:yyyy-MM-dd} to {s.Grant.EndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no end date"}"),
            ("coveringAssignment", inPeriod.Count > 0 ? "one, but its escort no longer qualifies" : "none"));
    }
}

/// <summary>ESCORT-QUALIFIED: an escort is an active US citizen working in US areas, vetted for the system, technically
/// qualified for the access supervised (<see cref="EscortEligibility.ForWork"/>), and not the supervised person.</summary>
public sealed class EscortQualified : RuleBase, IEscortRule
{
    public override string Id => "ESCORT-QUALIFIED";
    public override string Title => "Escort not qualified";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "NIST SP 800-53 Rev. 5 MA-5(c) and MA-5(1) (cleared, authorized and technically qualified supervisors)",
        "ProPublica findings on unqualified escorts (2025)",
    ];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Choose another escort who is a US citizen working in the US, with the investigation the system needs and a technical qualification at least the level of the access (request a new escort from the person's page), or record the escort's missing training or vetting on their record if it is only missing from the roster.";

    public RuleOutcome? Check(EscortSubject s, RuleContext c, Severity severity)
    {
        var e = s.Escort;
        var requiredTier = EscortEligibility.RequiredTier(s.System.ImpactLevel, s.RequiredAccessType);
        var requiredQualification = EscortEligibility.RequiredQualification(s.RequiredAccessType);
        var problems = EscortEligibility.ForWork(e, s.System, s.RequiredAccessType, c.Policy.Set(PolicyParameters.UsAreas)).Select(p => p.Message).ToList();
        if (e.Id == s.Supervised.Id) { problems.Insert(0, "the escort is the supervised person"); }
        return problems.Count == 0
            ? null
            : Fail(s, severity, c, $"The escort may not supervise this work: {string.Join("; ", problems)}.",
                ("escortCitizenships", e.CitizenshipList), ("escortWorkCountry", e.WorkCountry),
                ("escortInvestigationTier", e.InvestigationTier.ToString()), ("escortQualification", e.EscortQualification.ToString()),
                ("requiredInvestigationTier", requiredTier.ToString()), ("requiredQualification", requiredQualification.ToString()));
    }
}

/// <summary>ESCORT-RATIO: an escort supervises at most the policy's number of people at once.</summary>
public sealed class EscortRatio : RuleBase, IEscortRule
{
    public override string Id => "ESCORT-RATIO";
    public override string Title => "Escort supervising too many people at once";
    public override IReadOnlyList<string> Citations { get; } = ["NIST SP 800-53 Rev. 5 MA-5(1) (effective supervision)", "policy ratio"];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "An escort may supervise only a few people at once. Request another qualified escort for one of the people, or shorten one of the overlapping assignments.";

    public RuleOutcome? Check(EscortSubject s, RuleContext c, Severity severity) =>
        s.ConcurrentlySupervised > c.Policy.EscortMaxSupervised
            ? Fail(s, severity, c, $"The escort would supervise {s.ConcurrentlySupervised} people at once; the policy allows at most {c.Policy.EscortMaxSupervised}.",
                ("concurrentlySupervised", s.ConcurrentlySupervised.ToString(CultureInfo.InvariantCulture)),
                ("escortMaxSupervised", c.Policy.EscortMaxSupervised.ToString(CultureInfo.InvariantCulture)))
            : null;
}

/// <summary>
/// ESCORT-SESSION-LOG: every escorted session is signed off by its escort within the policy's hours after it ends — and (when a
/// policy sets <see cref="EvidenceSettings.SessionActivityDays"/>) an escorted grant whose system's access logs show the person's
/// access in those days has a session record covering each access.
/// </summary>
public sealed class EscortSessionLog : RuleBase, ISessionRule, IGrantRule
{
    public override string Id => "ESCORT-SESSION-LOG";
    public override string Title => "Escorted session not signed off in time";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "DISA CC SRG update of Sep 2025 (digital record of maintenance by foreign engineers)",
        "NIST SP 800-53 MA-5(1), AU-3(1)",
    ];
    public override Severity DefaultSeverity => Severity.Warn;

    public override string Guidance =>
        "Have the escort sign off the session on the Escorted sessions page (or record the missing session if work was done without one). Unsigned sessions older than 24 hours stay findings until signed off.";

    public RuleOutcome? Check(SessionSubject s, RuleContext c, Severity severity)
    {
        var deadline = s.EndedAt.AddHours(c.Policy.SessionSignOffHours);
        var late = s.SignedOffAt is { } signed ? signed > deadline : c.Now > deadline;
        return late
            ? Fail("escorted-session", s.SessionId, severity, c,
                s.SignedOffAt is null
                    ? $"The session that ended {s.EndedAt:yyyy-MM-dd HH:mm} UTC has no escort sign-off after {c.Policy.SessionSignOffHours} hours."
                    : $"The session that ended {s.EndedAt:yyyy-MM-dd HH:mm} UTC was signed off late, at {s.SignedOffAt:yyyy-MM-dd HH:mm} UTC.",
                ("endedAt", s.EndedAt.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)),
                ("signedOffAt", s.SignedOffAt?.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture) ?? "none"),
                ("signOffHours", c.Policy.SessionSignOffHours.ToString(CultureInfo.InvariantCulture)))
            : null;
    }

    /// <summary>The missing half (DESIGN.md section 5): access-log activity on an escorted grant that no session record covers.</summary>
    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        var days = c.Policy.EvidenceSettings.SessionActivityDays;
        if (days <= 0 || !s.Grant.Escorted || s.Grant.Status != Domain.GrantStatus.Active || s.Evidence is null)
        {
            return null;
        }
        var uncovered = s.Evidence.WithoutSession.FirstOrDefault(u => u.SystemId == s.System.Id);
        var n = uncovered?.Since(c.Today.AddDays(-days)) ?? 0;
        return n == 0
            ? null
            : Fail(s, severity, c,
                $"The access logs of {s.System.Name} show {(n == 1 ? "1 access" : $"{n:N0} accesses")} by the person in the last {days} days that no escorted session " +
                $"record covers. The latest: {uncovered!.Latest.Describe()}.",
                ("accessWithoutSession", n.ToString(CultureInfo.InvariantCulture)),
                ("latestAccess", uncovered.Latest.Describe()),
                ("activityDays", days.ToString(CultureInfo.InvariantCulture)));
    }
}
