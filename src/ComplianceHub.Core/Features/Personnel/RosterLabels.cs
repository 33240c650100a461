using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>How the roster names its groups and states, on the screen and in every export alike.</summary>
public static class RosterLabels
{
    public static string Group(CitizenshipGroup group) => group switch
    {
        CitizenshipGroup.CoveredNation => "Covered nation",
        CitizenshipGroup.UsCitizen => "US citizen",
        CitizenshipGroup.UsPerson => "US person (permanent resident)",
        _ => "Other foreign national",
    };

    public static string Attestation(AttestationState state) => state switch
    {
        AttestationState.Never => "Never attested",
        AttestationState.Overdue => "Overdue",
        AttestationState.DueSoon => "Due soon",
        _ => "Current",
    };

    public static string Employer(EmployerType type) => type switch
    {
        EmployerType.VendorEmployee => "Vendor employee",
        EmployerType.StaffingAgency => "Staffing agency",
        _ => "Subcontractor",
    };
}
