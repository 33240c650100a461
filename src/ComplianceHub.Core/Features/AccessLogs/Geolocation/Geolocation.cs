using System.Globalization;
using System.Net;
using ComplianceHub.Core.Domain.AccessLogs;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// The geolocation database in force (ADR 0047): its name and version, when it was built, its SHA-256, the licence and attribution
/// its data comes under, and where it came from (installed with the portal, or loaded by an administrator).
/// </summary>
public sealed record GeolocationInfo(string Name, string Version, DateTimeOffset BuiltAt, string Sha256, string Licence, string Origin)
{
    /// <summary>What every import records of the database its addresses were looked up in, e.g. "geo-whois-asn-country 2.3.2026061719, built 17 Jun 2026".</summary>
    public string Label => $"{Name} {Version}, built {BuiltAt.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>The origin of the database installed with the portal.</summary>
    public const string Installed = "installed with the portal";

    /// <summary>The origin of a database an administrator loaded.</summary>
    public static string LoadedBy(string name, DateTimeOffset at) =>
        $"loaded by {name} on {at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
}

/// <summary>Where an address is: an ISO 3166 country code, or null and why not (never a country by default).</summary>
public readonly record struct GeoLocation(string? Country, LocationUnknown Unknown)
{
    public static GeoLocation In(string country) => new(country, LocationUnknown.None);

    public static GeoLocation Because(LocationUnknown why) => new(null, why);
}

/// <summary>
/// Maps a source address to the country of a country-level MaxMind-format database read offline with MaxMind.Db (ADR 0047).
/// Private, loopback, link-local and reserved addresses are classified before the database and never get a country.
/// One per process, safe to call from any thread; <see cref="RefreshAsync"/> picks up a database an administrator loaded.
/// </summary>
public interface IGeolocator
{
    /// <summary>The database in force, or null when there is none (every public address is then <see cref="LocationUnknown.NoDatabase"/>).</summary>
    GeolocationInfo? Database { get; }

    /// <summary>The country of <paramref name="address"/>: null → <see cref="LocationUnknown.NotAnAddress"/>; no database → <see cref="LocationUnknown.NoDatabase"/>.</summary>
    GeoLocation Locate(IPAddress? address);

    /// <summary>Reads the newest database loaded into PostgreSQL and puts it in force when it is newer than the installed one.</summary>
    Task RefreshAsync(CancellationToken ct);
}

/// <summary>Configuration section <c>Geolocation</c>.</summary>
public sealed class GeolocationOptions
{
    public const string Section = "Geolocation";

    /// <summary>The database installed with the portal (scripts/lib/geolocation.sh sets <c>Geolocation__DatabasePath</c>); none when empty.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>How often each instance looks for a database an administrator loaded (default 1 minute).</summary>
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromMinutes(1);
}
