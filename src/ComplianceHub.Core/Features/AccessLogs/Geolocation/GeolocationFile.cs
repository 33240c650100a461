using System.Net;
using System.Text.Json;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Domain.Reference;
using MaxMind.Db;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// One opened MaxMind-format database and what it answers. Two record shapes are read: ip-location-db's
/// <c>{ "country_code": "US" }</c> and MaxMind GeoLite2/GeoIP2's <c>{ "country": { "iso_code": "US" } }</c>, whose
/// <c>registered_country</c> (where the network is registered) is used only when the record has no <c>country</c>.
/// A code that is not a real ISO 3166 country (ZZ, EU, AP, A1, A2, O1, XK…) is "not in the database".
/// </summary>
internal sealed class GeolocationFile : IDisposable
{
    private readonly Reader reader;

    private GeolocationFile(Reader reader) => this.reader = reader;

    public Metadata Metadata => reader.Metadata;

    public DateTimeOffset BuiltAt => new(DateTime.SpecifyKind(reader.Metadata.BuildDate, DateTimeKind.Utc));

    /// <summary>Opens a file into memory (so the file may be replaced while the portal runs). Throws <see cref="InvalidDatabaseException"/> on a bad file.</summary>
    public static GeolocationFile Open(string path) => new(new Reader(path, FileAccessMode.Memory));

    /// <summary>Reads a database from a stream into memory. Throws <see cref="InvalidDatabaseException"/> on a bad file.</summary>
    public static GeolocationFile Open(Stream content) => new(new Reader(content));

    /// <summary>The country of a public address (not classified by <see cref="SpecialAddresses"/>).</summary>
    public GeoLocation Find(IPAddress address)
    {
        CountryRecord? record;
        try
        {
            record = reader.Find<CountryRecord>(address);
        }
        catch (Exception ex) when (ex is DeserializationException or InvalidDatabaseException or InvalidCastException or ArgumentException)
        {
            return GeoLocation.Because(LocationUnknown.NotInDatabase); // an IPv6 address in an IPv4-only file, or a record of another shape
        }
        var code = record?.Code?.Trim().ToUpperInvariant();
        return code is not null && Iso3166.IsKnown(code) ? GeoLocation.In(code) : GeoLocation.Because(LocationUnknown.NotInDatabase);
    }

    /// <summary>
    /// Public addresses whose country every country database knows (Google's and Quad9's resolvers, the RIPE NCC's web site): a
    /// file must give each a country to be loaded.
    /// </summary>
    public static readonly IPAddress[] Probes = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("9.9.9.9"), IPAddress.Parse("193.0.6.139")];

    /// <summary>True when the file answers countries: every probe address gets one.</summary>
    public bool AnswersCountries() => Probes.All(p => Find(p).Country is not null);

    /// <summary>
    /// What to call a database: the file's name (without .mmdb) when it names the database's own type (ip-location-db's files say
    /// only "country"; "GeoLite2-Country.mmdb" says "GeoLite2-Country"), else the type, else the file's name.
    /// </summary>
    public string NameFor(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName.Trim());
        var type = Metadata.DatabaseType?.Trim() ?? "";
        if (type.Length == 0 || stem.Contains(type, StringComparison.OrdinalIgnoreCase))
        {
            return stem.Length > 0 ? stem : "unnamed database";
        }
        return type;
    }

    /// <summary>
    /// The licence and attribution of a database known by its name (ip-location-db's NRO, DB-IP and IPtoASN data, MaxMind's
    /// GeoLite2), else the file's own description, else null.
    /// </summary>
    public string? KnownLicence(string name)
    {
        var known = Licences.FirstOrDefault(l => name.StartsWith(l.Prefix, StringComparison.OrdinalIgnoreCase) || name.Contains("-" + l.Prefix, StringComparison.OrdinalIgnoreCase));
        if (known.Licence is not null)
        {
            return known.Licence;
        }
        var description = Metadata.Description.TryGetValue("en", out var en) ? en : Metadata.Description.Values.FirstOrDefault();
        return string.IsNullOrWhiteSpace(description) ? null : $"as the file describes itself: {description.Trim()}";
    }

    /// <summary>The licence of the NRO's registry data (ip-location-db's geo-whois-asn-country and asn-country).</summary>
    public const string NroLicence = "CC BY 4.0, data of the five regional internet registries by the Number Resource Organization (nro.net)";

    private static readonly (string Prefix, string Licence)[] Licences =
    [
        ("geo-whois-asn-country", NroLicence),
        ("asn-country", NroLicence),
        ("geolite2", "MaxMind GeoLite2 End User License Agreement; data © MaxMind, Inc. under CC BY-SA 4.0 (maxmind.com)"),
        ("dbip", "CC BY 4.0, IP geolocation by DB-IP (db-ip.com)"),
        ("iptoasn", "PDDL 1.0, data of iptoasn.com"),
    ];

    /// <summary>What an npm package's package.json beside an installed file says: its name (scope and "-mmdb" dropped) and version.</summary>
    public static (string? Name, string? Version) Package(string path)
    {
        var package = Path.Combine(Path.GetDirectoryName(path) ?? ".", "package.json");
        if (!File.Exists(package))
        {
            return (null, null);
        }
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(package));
            string? Read(string key) => json.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var name = Read("name");
            if (name is not null)
            {
                name = name[(name.LastIndexOf('/') + 1)..];
                name = name.EndsWith("-mmdb", StringComparison.Ordinal) ? name[..^5] : name;
            }
            return (name, Read("version"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public void Dispose() => reader.Dispose();

    /// <summary>The country of either record shape.</summary>
    internal sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord([MapKey("country_code")] string? countryCode, [MapKey("country")] IsoCode? country,
            [MapKey("registered_country")] IsoCode? registeredCountry)
        {
            Code = countryCode ?? country?.Code ?? registeredCountry?.Code;
        }

        public string? Code { get; }
    }

    /// <summary>GeoLite2's <c>{ "iso_code": "US", … }</c>.</summary>
    internal sealed class IsoCode
    {
        [Constructor]
        public IsoCode([MapKey("iso_code")] string? isoCode) => Code = isoCode;

        public string? Code { get; }
    }
}
