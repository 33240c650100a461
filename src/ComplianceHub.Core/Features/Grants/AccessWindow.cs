using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// The span a point-in-time answer covers: a whole UTC day (<c>[00:00, 24:00)</c>), a run of whole UTC days (an evidence
/// package's range), or one instant. An instant is the span of one microsecond starting there — PostgreSQL's resolution — so
/// "held at T" reads the state after every change recorded at or before T, by the same code as a day.
/// </summary>
/// <param name="Day">The UTC day the span starts in: effective-dated facts (citizenships, location, vetting) are those of this
/// day, and for a run of days those of each day in turn.</param>
/// <param name="From">The first instant of the span.</param>
/// <param name="To">The instant after the span (exclusive).</param>
/// <param name="At">The instant asked about, or null for whole days.</param>
/// <param name="Through">The last UTC day of a run of days; null for one day or an instant.</param>
public sealed record AccessWindow(DateOnly Day, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? At, DateOnly? Through = null)
{
    /// <summary>A whole UTC day.</summary>
    public static AccessWindow OfDay(DateOnly day) => new(day, StartOf(day), StartOf(day.AddDays(1)), null);

    /// <summary>Whole UTC days, <paramref name="first"/> to <paramref name="last"/> inclusive (one day when they are equal).</summary>
    public static AccessWindow OfDays(DateOnly first, DateOnly last)
    {
        if (last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(last), "The last day is before the first.");
        }
        return last == first ? OfDay(first) : new(first, StartOf(first), StartOf(last.AddDays(1)), null, last);
    }

    /// <summary>One instant (any offset; read as UTC, truncated to the microsecond PostgreSQL keeps).</summary>
    public static AccessWindow AtInstant(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
        return new(DateOnly.FromDateTime(utc.UtcDateTime), utc, utc.AddTicks(TimeSpan.TicksPerMicrosecond), utc);
    }

    /// <summary>00:00 UTC of a day: where an effective date (a grant's, an escort assignment's, a waiver's) starts or ends.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The UTC day an instant lies in.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>The last UTC day of the span (<see cref="Day"/> unless it is a run of days).</summary>
    public DateOnly LastDay => Through ?? Day;

    /// <summary>True for whole days, false for an instant.</summary>
    public bool IsDay => At is null;

    /// <summary>True for a run of more than one day: facts, and verdicts that read the date, change from day to day within it.</summary>
    public bool IsRange => Through is { } last && last > Day;
}

/// <summary>A policy version in force over part of the span (clipped to it).</summary>
public sealed record PolicyInForce(int Number, string Name, DateTimeOffset From, DateTimeOffset To);

/// <summary>The system's impact level over part of the span (clipped to it), replayed from the system's audit events.</summary>
public sealed record ImpactLevelInForce(ImpactLevel ImpactLevel, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Part of the span in which the holder's grant was active and nothing the rules read changed: one policy version, one impact
/// level, one set of covering escort assignments and waivers. Its verdict is the rules engine's under that version.
/// </summary>
/// <param name="From">When the interval starts (the span's start, the grant's activation, or a change of what the rules read).</param>
/// <param name="To">When it ends (exclusive).</param>
/// <param name="PolicyVersion">The policy version in force, or null when none was.</param>
/// <param name="ImpactLevel">The system's impact level then.</param>
/// <param name="EscortAssignmentIds">The escort assignments covering the holder then.</param>
/// <param name="Verdict">The verdict under that version with the facts of the day, or null when no version was in force.</param>
/// <param name="Facts">Over a run of days only: the holder's facts in this interval (an interval is also cut where they change
/// or where a verdict that reads the date changes, e.g. an attestation falling due). Null for one day or an instant, whose
/// facts are the holder's <see cref="AccessHolder.FactsThatDay"/>.</param>
public sealed record AccessInterval(DateTimeOffset From, DateTimeOffset To, int? PolicyVersion, ImpactLevel ImpactLevel,
    IReadOnlyList<Guid> EscortAssignmentIds, AccessVerdict? Verdict,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, System.Text.Json.JsonElement?>? Facts = null);

/// <summary>What a point-in-time answer is about: the system, the span, and the policy versions and impact levels over it.</summary>
public sealed record SystemAccessHeader(Guid SystemId, string SystemName, AccessWindow Window, IReadOnlyList<PolicyInForce> Policies,
    IReadOnlyList<ImpactLevelInForce> ImpactLevels)
{
    /// <summary>The version in force at the end of the span (the one a reader of "that day" expects named first).</summary>
    public PolicyInForce? LastPolicy => Policies.Count == 0 ? null : Policies[^1];
}

/// <summary>A page of holders with the span's totals, as the Access page shows it.</summary>
/// <param name="Header">The system and the span.</param>
/// <param name="Held">Everyone who held access at some moment of the span.</param>
/// <param name="Failing">How many of them failed the policy in force during at least one interval.</param>
/// <param name="Holders">The page asked for (of every holder, or of the failing ones only).</param>
public sealed record SystemAccessPage(SystemAccessHeader Header, int Held, int Failing, Common.PagedResult<AccessHolder> Holders);
