using System.Globalization;

namespace ComplianceHub.Core.Evidence;

/// <summary>
/// The evidence package format (docs/audit/evidence-package.md): the file names, the format id, and how instants and
/// dates are written in it. Shared by the builder, the verifier and the tests.
/// </summary>
public static class EvidencePackage
{
    /// <summary>The format id written to the manifest; a new layout gets a new number. Version 2 added <see cref="Access"/>.</summary>
    public const string Format = "compliancehub-evidence/2";

    /// <summary>The first format, without <see cref="Access"/>: packages built before it still verify.</summary>
    public const string FormatWithoutAccess = "compliancehub-evidence/1";

    public const string Findings = "findings.json";
    public const string Roster = "roster.json";
    public const string Grants = "grants.json";
    public const string EscortAssignments = "escort-assignments.json";
    public const string Attestations = "attestations.json";
    public const string PolicyVersions = "policy-versions.json";
    public const string Access = "access.jsonl";
    public const string AuditEvents = "audit-events.jsonl";
    public const string ChainHead = "chain-head.json";
    public const string Readme = "README.txt";
    public const string Manifest = "manifest.json";

    /// <summary>Every file a package holds besides the manifest, in the order they are written.</summary>
    public static IReadOnlyList<string> ContentFiles { get; } =
        [Findings, Roster, Grants, EscortAssignments, Attestations, PolicyVersions, Access, AuditEvents, ChainHead, Readme];

    /// <summary>The files a package of a format must hold besides the manifest (the current format's when it is unknown).</summary>
    public static IEnumerable<string> RequiredFiles(string? format) =>
        format == FormatWithoutAccess ? ContentFiles.Where(f => f != Access) : ContentFiles;

    /// <summary>The audit event subject type of a built package (event <see cref="Auditing.AuditEventTypes.EvidencePackageBuilt"/>).</summary>
    public const string SubjectType = "evidence-package";

    /// <summary>The instant format of the audit chain's canonical form (UTC, microseconds), used for every instant in the package.</summary>
    public const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public const string DateFormat = "yyyy-MM-dd";

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseInstant(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, InstantFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}

/// <summary>
/// The days a package covers: UTC calendar days <see cref="From"/> to <see cref="To"/>, both inclusive, so the
/// instants [<see cref="Start"/>, <see cref="End"/>).
/// </summary>
public sealed record EvidenceRange(DateOnly From, DateOnly To)
{
    /// <summary>
    /// The longest range one package covers: ten years, leap days included (3,653 days), the retention period an auditor
    /// asks about in one piece. Every file is streamed, so the limit bounds the build's time, not its memory; longer
    /// periods are several packages, whose chains join.
    /// </summary>
    public const int MaxDays = 3653;

    /// <summary>Midnight UTC at the start of <see cref="From"/>.</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Midnight UTC after <see cref="To"/> (exclusive).</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Number of days covered.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The download's file name, e.g. <c>evidence-20261101-20261128.zip</c>.</summary>
    public string FileName => $"evidence-{From.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{To.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.zip";

    /// <summary>
    /// Reads a range from the request's <c>from</c> and <c>to</c> (YYYY-MM-DD). Errors per field: missing, not a date,
    /// <c>to</c> before <c>from</c>, a range longer than <see cref="MaxDays"/>, or ending after <paramref name="today"/>
    /// (a package is evidence of what happened, not of days still to come).
    /// </summary>
    public static (EvidenceRange? Range, IReadOnlyDictionary<string, string[]> Errors) Parse(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var f = Day(from, "from", "start", errors);
        var t = Day(to, "to", "end", errors);
        if (f is { } start && t is { } end)
        {
            if (end < start)
            {
                errors["to"] = [$"The end date ({EvidencePackage.Date(end)}) is before the start date ({EvidencePackage.Date(start)})."];
            }
            else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
            {
                errors["to"] = [$"A package covers at most {MaxDays} days (ten years); this range is {end.DayNumber - start.DayNumber + 1}. Build one package per ten years."];
            }
            else if (end > today)
            {
                errors["to"] = [$"The end date ({EvidencePackage.Date(end)}) is in the future; the latest possible end is today, {EvidencePackage.Date(today)} (UTC)."];
            }
        }
        return errors.Count == 0 ? (new EvidenceRange(f!.Value, t!.Value), errors) : (null, errors);
    }

    private static DateOnly? Day(string? text, string field, string word, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"Give the {word} date of the range (YYYY-MM-DD)."];
            return null;
        }
        if (!DateOnly.TryParseExact(text.Trim(), EvidencePackage.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[field] = [$"'{text}' is not a date in the form YYYY-MM-DD."];
            return null;
        }
        return day;
    }
}

/// <summary>One file of the package as the manifest lists it.</summary>
/// <param name="Name">File name inside the zip.</param>
/// <param name="Size">Uncompressed size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the uncompressed bytes.</param>
/// <param name="Records">Rows (JSON array items, JSONL lines) the file holds, when it is a table.</param>
public sealed record EvidenceFile(string Name, long Size, string Sha256, long? Records);

/// <summary>Who built a package, as the manifest names them.</summary>
public sealed record EvidenceAuthor(Guid? UserId, string Name, string Role);
