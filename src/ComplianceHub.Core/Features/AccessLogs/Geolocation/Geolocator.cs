using System.Net;
using System.Security.Cryptography;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessLogs;
using MaxMind.Db;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// The portal's <see cref="IGeolocator"/>: the database installed with the portal (<c>Geolocation:DatabasePath</c>, read into
/// memory at start), replaced by the newest one an administrator loaded (<c>geolocation_databases</c>) when that one was built
/// later. The database in force is one immutable object swapped atomically, so a lookup never sees half a refresh; a refresh
/// reads the bytes only when the database in force changes.
/// </summary>
public sealed class Geolocator : IGeolocator, IDisposable
{
    private readonly IDbContextFactory<ComplianceDbContext> contexts;
    private readonly ILogger<Geolocator> log;
    private readonly Loaded? installed;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly List<GeolocationFile> replaced = [];
    private volatile Loaded? current;

    /// <summary>A database in force: its reader and what it is.</summary>
    private sealed record Loaded(GeolocationFile File, GeolocationInfo Info, Guid? LoadedId);

    public Geolocator(IOptions<GeolocationOptions> options, IDbContextFactory<ComplianceDbContext> contexts, ILogger<Geolocator> log)
    {
        this.contexts = contexts;
        this.log = log;
        installed = OpenInstalled(options.Value.DatabasePath, log);
        current = installed;
    }

    public GeolocationInfo? Database => current?.Info;

    public GeoLocation Locate(IPAddress? address)
    {
        if (address is null)
        {
            return GeoLocation.Because(LocationUnknown.NotAnAddress);
        }
        var special = SpecialAddresses.Classify(address);
        if (special != LocationUnknown.None)
        {
            return GeoLocation.Because(special);
        }
        return current is { } loaded ? loaded.File.Find(SpecialAddresses.Normalize(address)) : GeoLocation.Because(LocationUnknown.NoDatabase);
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await refreshing.WaitAsync(ct);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var newest = await db.GeolocationDatabases.AsNoTracking()
                .OrderByDescending(d => d.BuiltAt).ThenByDescending(d => d.LoadedAt)
                .FirstOrDefaultAsync(ct);
            Loaded? next = installed;
            if (newest is not null && (installed is null || newest.BuiltAt > installed.Info.BuiltAt))
            {
                if (current?.LoadedId == newest.Id)
                {
                    return;
                }
                var content = await db.GeolocationDatabaseFiles.AsNoTracking().Where(f => f.Sha256 == newest.Sha256)
                    .Select(f => f.Content).SingleAsync(ct);
                using var stream = new MemoryStream(content, writable: false);
                var file = GeolocationFile.Open(stream);
                next = new Loaded(file, new GeolocationInfo(newest.Name, newest.Version, newest.BuiltAt, newest.Sha256, newest.Licence,
                    GeolocationInfo.LoadedBy(newest.LoadedByName, newest.LoadedAt)), newest.Id);
            }
            if (ReferenceEquals(next, current))
            {
                return;
            }
            var previous = current;
            current = next;
            // A lookup may still be reading the one replaced: it is kept (its memory is the GC's) rather than disposed under it.
            if (previous is not null && !ReferenceEquals(previous, installed))
            {
                lock (replaced)
                {
                    replaced.Add(previous.File);
                }
            }
            log.LogInformation("Geolocation database in force: {Database} ({Origin})", next?.Info.Label ?? "none", next?.Info.Origin ?? "");
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>The installed database and what it is, or null (with a warning) when none is configured or it cannot be read.</summary>
    private static Loaded? OpenInstalled(string? path, ILogger log)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            log.LogWarning("No geolocation database is configured (Geolocation:DatabasePath): access-log addresses get no country until an administrator loads one");
            return null;
        }
        if (!File.Exists(path))
        {
            log.LogWarning("The geolocation database {Path} does not exist (run scripts/lib/geolocation.sh): access-log addresses get no country until an administrator loads one", path);
            return null;
        }
        try
        {
            var file = GeolocationFile.Open(path);
            string sha256;
            using (var stream = File.OpenRead(path))
            {
                sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            var package = GeolocationFile.Package(path);
            var name = package.Name ?? file.NameFor(Path.GetFileName(path));
            var version = package.Version ?? file.BuiltAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            // The npm package says CC0-1.0 for its packaging; the data's licence is the NRO's, in the NRO_LICENSE beside it.
            var licence = File.Exists(Path.Combine(Path.GetDirectoryName(path) ?? ".", "NRO_LICENSE"))
                ? GeolocationFile.NroLicence
                : file.KnownLicence(name) ?? "not stated in the file";
            var info = new GeolocationInfo(name, version, file.BuiltAt, sha256, licence, GeolocationInfo.Installed);
            log.LogInformation("Geolocation database installed: {Database} ({Path})", info.Label, path);
            return new Loaded(file, info, null);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or IOException or UnauthorizedAccessException)
        {
            log.LogError(ex, "The geolocation database {Path} cannot be read: access-log addresses get no country until it is installed again or an administrator loads one", path);
            return null;
        }
    }

    public void Dispose()
    {
        installed?.File.Dispose();
        if (current is { } c && !ReferenceEquals(c, installed))
        {
            c.File.Dispose();
        }
        lock (replaced)
        {
            replaced.ForEach(f => f.Dispose());
            replaced.Clear();
        }
        refreshing.Dispose();
    }
}
