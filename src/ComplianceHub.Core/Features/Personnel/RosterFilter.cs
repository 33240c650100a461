using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>
/// The four citizenship groups of the posture dashboard, from the strictest: a citizen of a covered nation (any of the
/// policy's COVERED set, whatever else they hold), a US citizen, a US person who is not a citizen (lawful permanent
/// resident), any other foreign national. Every person is in exactly one.
/// </summary>
public enum CitizenshipGroup { CoveredNation, UsCitizen, UsPerson, OtherForeign }

/// <summary>Where a person stands on location attestation: never attested, overdue, due within the warning window, current.</summary>
public enum AttestationState { Never, Overdue, DueSoon, Current }

/// <summary>
/// The filters of the officer's roster grid across vendors. Its URL shape (<c>/roster?…</c>), which the dashboard's
/// numbers link to: <c>vendor</c> (id), <c>citizenship</c> (comma list of alpha-2, any of), <c>group</c> (comma list of
/// <see cref="CitizenshipGroup"/>), <c>country</c> (work-location alpha-2), <c>system</c> (id), <c>impact</c>
/// (<see cref="ImpactLevel"/>), <c>grantStatus</c> (<see cref="GrantStatus"/>: has a grant in it), <c>escorted</c>
/// (true: supervised today by a qualified escort, as <see cref="Escorts.EscortSupervision"/> defines it), <c>usPerson</c>
/// (false: not a US person, the people ESCORT-REQUIRED puts under an escort, <see cref="Population.NotUsPerson"/>), <c>employer</c> (<see cref="EmployerType"/>),
/// <c>attestation</c> (comma list of <see cref="AttestationState"/>), <c>status</c> (<see cref="EmploymentStatus"/>),
/// <c>q</c> (name or employee id), <c>suspendedByPolicy</c> (a policy version's number: has a grant its activation's
/// re-evaluation suspended).
/// </summary>
public sealed record RosterFilter
{
    public string? Search { get; init; }
    public Guid? VendorId { get; init; }
    public IReadOnlyList<string> Citizenships { get; init; } = [];
    public IReadOnlyList<CitizenshipGroup> Groups { get; init; } = [];
    public string? WorkCountry { get; init; }
    public Guid? SystemId { get; init; }
    public ImpactLevel? ImpactLevel { get; init; }
    public GrantStatus? GrantStatus { get; init; }
    public bool? Escorted { get; init; }
    public bool? UsPerson { get; init; }
    public EmployerType? EmployerType { get; init; }
    public IReadOnlyList<AttestationState> Attestation { get; init; } = [];
    public EmploymentStatus? Status { get; init; }

    /// <summary>
    /// Only the people with a grant that the re-evaluation started by activating this policy version (its number) suspended
    /// (<see cref="Policy.ActivationConsequences"/>): what the policy page's "see the people whose grants it suspended" links to.
    /// </summary>
    public int? SuspendedByPolicy { get; init; }
}
