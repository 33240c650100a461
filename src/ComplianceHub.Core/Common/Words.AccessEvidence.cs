using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Common;

// Access-log evidence (issue 25): how the countries a person's access came from stand against what they attested.
public static partial class Words
{
    public static string Of(EvidenceAgreement value) => value switch
    {
        EvidenceAgreement.Agrees => "Agrees with the attested location",
        EvidenceAgreement.Differs => "Differs from the attested location",
        EvidenceAgreement.Covered => "A covered nation",
        EvidenceAgreement.Unknown => "Location unknown",
        EvidenceAgreement.Egress => "Known egress (VPN or cloud network)",
        _ => Unknown(value),
    };

    /// <summary>What an agreement means, in a sentence (the person page's legend and tooltips).</summary>
    public static string Explain(EvidenceAgreement value) => value switch
    {
        EvidenceAgreement.Agrees => "The sign-ins came from the country the vendor attested as the work location (the US and its outlying areas count as one).",
        EvidenceAgreement.Differs => "The sign-ins came from another country than the attested work location: ask the vendor why.",
        EvidenceAgreement.Covered => "The sign-ins came from an address registered in a covered nation: nobody located there may have access.",
        EvidenceAgreement.Unknown => "The address is private, reserved or not in the geolocation database, so no country can be named.",
        EvidenceAgreement.Egress => "The address is a known egress range (a VPN or cloud network an officer recorded): the country is where the network leaves, not where the person sits.",
        _ => Unknown(value),
    };
}
