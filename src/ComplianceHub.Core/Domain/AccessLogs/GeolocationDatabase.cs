namespace ComplianceHub.Core.Domain.AccessLogs;

/// <summary>
/// A country-level MaxMind-format geolocation database an administrator loaded (newer than the one the scripts install). The
/// newest one loaded is in force on every instance; its bytes are in <see cref="GeolocationDatabaseFile"/>, kept out of the trail.
/// </summary>
public sealed class GeolocationDatabase
{
    private GeolocationDatabase() { }

    public GeolocationDatabase(Guid id, string name, string version, DateTimeOffset builtAt, string sha256, long sizeBytes, string licence,
        Guid loadedBy, string loadedByName, DateTimeOffset loadedAt)
    {
        Id = id;
        Name = name;
        Version = version;
        BuiltAt = builtAt;
        Sha256 = sha256;
        SizeBytes = sizeBytes;
        Licence = licence;
        LoadedBy = loadedBy;
        LoadedByName = loadedByName;
        LoadedAt = loadedAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The database's own type name (its metadata's database type, e.g. "geo-whois-asn-country").</summary>
    public string Name { get; private set; } = "";

    /// <summary>A version the administrator gave (a package version), or the build date.</summary>
    public string Version { get; private set; } = "";

    /// <summary>When the database was built (its metadata's build epoch).</summary>
    public DateTimeOffset BuiltAt { get; private set; }

    public string Sha256 { get; private set; } = "";
    public long SizeBytes { get; private set; }

    /// <summary>The licence and attribution the data comes under.</summary>
    public string Licence { get; private set; } = "";

    public Guid LoadedBy { get; private set; }
    public string LoadedByName { get; private set; } = "";
    public DateTimeOffset LoadedAt { get; private set; }
}

/// <summary>The bytes of a loaded geolocation database, by SHA-256 (not audited: the database's event carries the hash).</summary>
public sealed class GeolocationDatabaseFile
{
    private GeolocationDatabaseFile() { }

    public GeolocationDatabaseFile(string sha256, byte[] content)
    {
        Sha256 = sha256;
        Content = content;
    }

    public string Sha256 { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
}
