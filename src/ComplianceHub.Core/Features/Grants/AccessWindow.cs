using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// The span a point-in-time answer covers: a whole UTC day (<c>[00:00, 24:00)</c>), or one instant. An instant is the span
/// of one microsecond starting there — PostgreSQL's resolution — so "held at T" reads the state after every change
/// recorded at or before T, by the same code as a day.
/// </summary>
/// <param name="Day">The UTC day the span lies in: effective-dated facts (citizenships, location, vetting) are those of this day.</param>
/// <param name="From">The first instant of the span.</param>
/// <param name="To">The instant after the span (exclusive).</param>
/// <param name="At">The instant asked about, or null for a whole day.</param>
public sealed record AccessWindow(DateOnly Day, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? At)
{
    /// <summary>A whole UTC day.</summary>
    public static AccessWindow OfDay(DateOnly day) => new(day, StartOf(day), StartOf(day.AddDays(1)), null);

    /// <summary>One instant (any offset; read as UTC, truncated to the microsecond PostgreSQL keeps).</summary>
    public static AccessWindow AtInstant(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMicrosecond, TimeSpan.Zero);
        return new(DateOnly.FromDateTime(utc.UtcDateTime), utc, utc.AddTicks(TimeSpan.TicksPerMicrosecond), utc);
    }

    /// <summary>00:00 UTC of a day: where an effective date (a grant's, an escort assignment's, a waiver's) starts or ends.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>True for a whole day, false for an instant.</summary>
    public bool IsDay => At is null;
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
public sealed record AccessInterval(DateTimeOffset From, DateTimeOffset To, int? PolicyVersion, ImpactLevel ImpactLevel,
    IReadOnlyList<Guid> EscortAssignmentIds, AccessVerdict? Verdict);

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
