using ComplianceHub.Core.Domain.AccessLogs;

namespace ComplianceHub.Core.Common;

// Geolocation of access-log addresses (ADR 0047): why an address has no country, and where it is.
public static partial class Words
{
    public static string Of(LocationUnknown value) => value switch
    {
        LocationUnknown.None => "Located",
        LocationUnknown.NotAnAddress => "Not an IP address",
        LocationUnknown.Private => "Private network address: where it is depends on the network",
        LocationUnknown.Loopback => "The machine itself (loopback)",
        LocationUnknown.LinkLocal => "Link-local address: the local network segment only",
        LocationUnknown.Reserved => "Reserved address (documentation, multicast or not assigned): not on the public internet",
        LocationUnknown.NotInDatabase => "Not in the geolocation database",
        LocationUnknown.NoDatabase => "No geolocation database was installed",
        _ => Unknown(value),
    };
}
