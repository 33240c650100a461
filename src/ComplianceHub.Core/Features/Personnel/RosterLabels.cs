using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>How the roster names its groups and states, on the screen and in every export alike (the words are <see cref="Words"/>'s).</summary>
public static class RosterLabels
{
    public static string Group(CitizenshipGroup group) => Words.Of(group);

    public static string Attestation(AttestationState state) => Words.Of(state);

    public static string Employer(EmployerType type) => Words.Of(type);
}
