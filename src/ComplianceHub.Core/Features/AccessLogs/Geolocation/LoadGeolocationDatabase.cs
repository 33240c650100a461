using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessLogs;
using FluentValidation;
using MaxMind.Db;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>A geolocation database an administrator loaded, as the page and the API show it.</summary>
public sealed record GeolocationDatabaseView(Guid Id, string Name, string Version, DateTimeOffset BuiltAt, string Sha256, long SizeBytes, string Licence,
    string LoadedBy, DateTimeOffset LoadedAt)
{
    /// <summary>Its label, as imports record it.</summary>
    public string Label => new GeolocationInfo(Name, Version, BuiltAt, Sha256, Licence, "").Label;
}

/// <summary>
/// Loads a newer country-level MaxMind-format database (ADR 0047): checked with MaxMind.Db (a MaxMind DB file that gives a
/// country for well-known public addresses, built after the database in force), kept in PostgreSQL with its SHA-256, and in
/// force on every instance at their next refresh (the instance that loads it refreshes at once). <see cref="Version"/> is the
/// package version when the file came from one (else the build date); <see cref="Licence"/> is needed only when the file is not
/// one the portal knows (ip-location-db's NRO, DB-IP or IPtoASN data, MaxMind's GeoLite2).
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record LoadGeolocationDatabase(string FileName, FileUpload Content, string? Version, string? Licence = null) : ICommand<GeolocationDatabaseView>;

public sealed class LoadGeolocationDatabaseValidator : AbstractValidator<LoadGeolocationDatabase>
{
    /// <summary>The largest database accepted (a country database is under 20 MB; a city database under 100 MB).</summary>
    public const long MaxBytes = 200L * 1024 * 1024;

    public LoadGeolocationDatabaseValidator()
    {
        RuleFor(c => c.FileName).NotEmpty().WithMessage("Choose the .mmdb file to load.").MaximumLength(260)
            .Must(n => n is null || n.Trim().EndsWith(".mmdb", StringComparison.OrdinalIgnoreCase))
            .WithMessage("Load a database in the MMDB format: a file whose name ends in .mmdb.");
        RuleFor(c => c.Content).Must(c => c is { Length: > 0 }).WithMessage("The file is empty.")
            .Must(c => c is null || c.Length <= MaxBytes).WithMessage($"The file is larger than {MaxBytes / 1024 / 1024} MB: load a country-level database.");
        RuleFor(c => c.Version).MaximumLength(100).WithMessage("Keep the version under 100 characters.");
        RuleFor(c => c.Licence).MaximumLength(500).WithMessage("Keep the licence under 500 characters.");
    }
}

internal sealed class LoadGeolocationDatabaseHandler(IGeolocator geolocator) : ICommandHandler<LoadGeolocationDatabase, GeolocationDatabaseView>
{
    public async Task<Outcome<GeolocationDatabaseView>> HandleAsync(LoadGeolocationDatabase command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var sha256 = await command.Content.Sha256Async(ct);
        var earlier = await db.GeolocationDatabases.AsNoTracking().Where(d => d.Sha256 == sha256).OrderBy(d => d.LoadedAt).FirstOrDefaultAsync(ct);
        if (earlier is not null)
        {
            return Invalid(nameof(command.Content), $"This file was loaded before, by {earlier.LoadedByName} on {Day(earlier.LoadedAt)} " +
                                                    $"({earlier.Name} {earlier.Version}): nothing to load.");
        }
        if (geolocator.Database is { Origin: GeolocationInfo.Installed } installed && installed.Sha256 == sha256)
        {
            return Invalid(nameof(command.Content), $"This is the database installed with the portal ({installed.Label}): nothing to load.");
        }

        var content = new byte[command.Content.Length];
        await using (var stream = command.Content.Open())
        {
            await stream.ReadExactlyAsync(content, ct);
        }
        GeolocationFile file;
        try
        {
            file = GeolocationFile.Open(new MemoryStream(content, writable: false));
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return Invalid(nameof(command.Content), "This file is not a MaxMind-format (.mmdb) database, or it is damaged: load the .mmdb file of a " +
                                                    "country-level database (for example geo-whois-asn-country.mmdb from ip-location-db).");
        }
        using (file)
        {
            if (!file.AnswersCountries())
            {
                return Invalid(nameof(command.Content), "This database gives no country for well-known public addresses (8.8.8.8, 9.9.9.9, " +
                                                        "193.0.6.139): load a database that maps addresses to countries.");
            }
            var name = file.NameFor(command.FileName);
            var builtAt = file.BuiltAt;
            if (geolocator.Database is { } inForce && builtAt <= inForce.BuiltAt)
            {
                return Invalid(nameof(command.Content), $"This database was built on {Day(builtAt)}, not after the one in force ({inForce.Label}): " +
                                                        "load a newer one.");
            }
            var licence = command.Licence?.Trim() is { Length: > 0 } given ? given : file.KnownLicence(name);
            if (licence is null)
            {
                return Invalid(nameof(command.Licence), "The file does not say which licence its data comes under: enter the licence and the " +
                                                        "attribution it requires (for example \"CC BY 4.0, data by …\").");
            }
            var version = command.Version?.Trim() is { Length: > 0 } v ? v : builtAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!await db.GeolocationDatabaseFiles.AnyAsync(f => f.Sha256 == sha256, ct))
            {
                db.GeolocationDatabaseFiles.Add(new GeolocationDatabaseFile(sha256, content));
            }
            var database = new GeolocationDatabase(Guid.CreateVersion7(), Cut(name, 200), version, builtAt, sha256, content.LongLength, Cut(licence, 500),
                context.Actor.UserId, context.Actor.DisplayName, context.Now);
            db.GeolocationDatabases.Add(database);
            return Outcome<GeolocationDatabaseView>.Ok(GeolocationQuery.View(database));
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static Outcome<GeolocationDatabaseView> Invalid(string field, string message) =>
        Outcome<GeolocationDatabaseView>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
