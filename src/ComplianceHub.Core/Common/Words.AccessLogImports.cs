using ComplianceHub.Core.Domain.AccessLogs;

namespace ComplianceHub.Core.Common;

// Access-log imports (issue 25): the words of an import's source (the formats: Words.AccessLogs.cs); why an address has no country is in Words.Geolocation.cs.
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

    /// <summary>
    /// Where an access event came from, as people read it: the country's name and code, or "Unknown" with the reason
    /// ("Unknown: private network address"); never a bare code.
    /// </summary>
    public static string EventCountry(string? country, LocationUnknown unknown) =>
        Location(new Features.AccessLogs.GeoLocation(country, country is null && unknown == LocationUnknown.None ? LocationUnknown.NotInDatabase : unknown));
}
