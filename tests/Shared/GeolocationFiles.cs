namespace ComplianceHub.Tests.Shared;

/// <summary>
/// The geolocation database scripts/lib/geolocation.sh installs (ADR 0047): named by <c>Geolocation__DatabasePath</c>, else found
/// under the repository's <c>.cache/geolocation/</c>. The tests that look addresses up fail without it (they never skip).
/// </summary>
public static class GeolocationFiles
{
    public const string FileName = "geo-whois-asn-country.mmdb";

    /// <summary>The installed file, or null.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("Geolocation__DatabasePath") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var cache = Path.Combine(dir.FullName, ".cache", "geolocation");
            if (Directory.Exists(cache))
            {
                return Directory.GetFiles(cache, FileName, SearchOption.AllDirectories).OrderDescending(StringComparer.Ordinal).FirstOrDefault();
            }
        }
        return null;
    }

    /// <summary>The installed file; fails the test, saying how to install it, when it is missing.</summary>
    public static string Installed() => Find()
        ?? throw new InvalidOperationException($"The geolocation database ({FileName}) is not installed: run scripts/lib/geolocation.sh " +
                                               "(or set Geolocation__DatabasePath to a country-level .mmdb file).");
}
