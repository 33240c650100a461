using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Cli.Scale;

/// <summary>What kind of person a roster row is, as far as the rules care: it decides citizenships, location and grants.</summary>
internal enum PersonKind : byte { Escort, UsCitizen, UsDual, UsDualCovered, Lpr, Foreign, InCoveredCountry }

/// <summary>A cloud system of the scale population, with its share of the current grants.</summary>
internal sealed record ScaleSystem(Guid Id, string Name, string Provider, string Environment, ImpactLevel ImpactLevel, double Weight)
{
    public SystemFacts Facts { get; } = new(Id, Name, ImpactLevel);
}

/// <summary>One person of the scale population: the row as stored today, and what changed since it was created.</summary>
internal sealed class PersonPlan
{
    public required Guid Id { get; init; }
    public required int Index { get; init; }
    public required PersonKind Kind { get; init; }
    public required Guid VendorId { get; init; }
    public required string EmployeeId { get; init; }
    public required string FullName { get; init; }
    public required string Email { get; init; }
    public required EmployerType Employer { get; init; }
    public required string[] Citizenships { get; init; }
    public required string Birth { get; init; }
    public required bool Lpr { get; init; }
    public required string WorkCountry { get; set; }
    public required string WorkCity { get; set; }
    public required InvestigationTier Tier { get; init; }
    public required DateOnly? AdjudicatedOn { get; init; }
    public required bool ContinuousVetting { get; init; }
    public required Clearance Clearance { get; init; }
    public required DateOnly? NdaSignedOn { get; init; }
    public required EscortQualification EscortQualification { get; init; }
    public required DateOnly? EscortTrainingOn { get; init; }
    public required DateOnly AttestedOn { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where the person worked when added, when they have since moved (a fact change that suspends their grants).</summary>
    public (string Country, string City, DateTimeOffset At)? Moved { get; set; }

    /// <summary>When employment ended (every grant revoked then), when it has.</summary>
    public DateTimeOffset? TerminatedAt { get; set; }

    public DateOnly? TerminatedOn => TerminatedAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : null;
    public DateOnly CreatedOn => DateOnly.FromDateTime(CreatedAt.UtcDateTime);
    public bool IsUsPerson => Citizenships.Contains("US") || Lpr;

    /// <summary>The facts the rules see today.</summary>
    public PersonFacts FactsNow() => new(Id, Citizenships.ToHashSet(StringComparer.Ordinal), Birth, Lpr, WorkCountry, Tier, AdjudicatedOn,
        ContinuousVetting, Clearance, NdaSignedOn, EscortQualification, TerminatedAt is null ? EmploymentStatus.Active : EmploymentStatus.Terminated,
        AttestedOn);

    /// <summary>The facts as they stood on a past day (before a move; employed; attested <paramref name="attested"/>).</summary>
    public PersonFacts FactsThen(DateOnly attested) => FactsNow() with
    {
        WorkCountry = Moved?.Country ?? WorkCountry,
        EmploymentStatus = EmploymentStatus.Active,
        LocationAttestedOn = attested,
    };
}

/// <summary>An escort assignment covering one escorted grant.</summary>
internal sealed record EscortPlan(Guid Id, PersonPlan Escort, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, DateTimeOffset CreatedAt,
    IReadOnlyList<RuleOutcome> Outcomes);

/// <summary>One grant of the scale population and its life: requested, maybe approved by a second officer, maybe suspended or revoked.</summary>
internal sealed class GrantPlan
{
    public required Guid Id { get; init; }
    public required PersonPlan Person { get; init; }
    public required ScaleSystem System { get; init; }
    public required AccessType AccessType { get; init; }
    public required bool Escorted { get; init; }
    public required DateOnly StartsOn { get; init; }
    public required DateOnly EndsOn { get; init; }
    public required string Justification { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public required bool TwoPerson { get; init; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public GrantStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public string StatusOperation { get; set; } = "";
    public IReadOnlyList<RuleOutcome> RequestOutcomes { get; set; } = [];
    public IReadOnlyList<RuleOutcome> NowOutcomes { get; set; } = [];
    public EscortPlan? Escort { get; set; }
    public bool Current { get; init; }
}
