using ComplianceHub.Core.Domain.AccessLogs;

namespace ComplianceHub.Core.Common;

// Access-log imports (issue 25): the words of an import's source (the formats: Words.AccessLogs.cs) and why an event has no country.
public static partial class Words
{
    public static string Of(AccessLogSource value) => value switch
    {
        AccessLogSource.EntraIdJson => "Microsoft Entra ID sign-in log (JSON)",
        AccessLogSource.EntraIdCsv => "Microsoft Entra ID sign-in log (CSV)",
        AccessLogSource.CloudTrailJson => "AWS CloudTrail log (JSON)",
        AccessLogSource.SshdAuthLog => "Linux sshd log (auth.log or secure)",
        AccessLogSource.PlainCsv => "CSV of user, time, address and system",
        _ => Unknown(value),
    };

    public static string Of(LocationUnknown value) => value switch
    {
        LocationUnknown.None => "Located",
        LocationUnknown.NotAnAddress => "Not an internet address",
        LocationUnknown.Private => "Private network address",
        LocationUnknown.Loopback => "The machine itself (loopback)",
        LocationUnknown.LinkLocal => "Link-local address",
        LocationUnknown.Reserved => "Reserved or documentation address",
        LocationUnknown.NotInDatabase => "Not in the geolocation database",
        LocationUnknown.NoDatabase => "No geolocation database was installed",
        _ => Unknown(value),
    };

    /// <summary>
    /// Where an access event came from, as people read it: the country's name and code, or "Unknown" with the reason
    /// ("Unknown: private network address"); never a bare code.
    /// </summary>
    public static string EventCountry(string? country, LocationUnknown unknown) =>
        country is not null ? Country(country) : $"Unknown: {Of(unknown == LocationUnknown.None ? LocationUnknown.NotInDatabase : unknown).ToLowerInvariant()}";
}
