using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>
/// The evidence package format (docs/audit/evidence-package.md): the file names, the format id, and how instants and
/// dates are written in it. Shared by the builder, the verifier and the tests.
/// </summary>
public static class EvidencePackage
{
    /// <summary>
    /// The format id written to the manifest; a new layout gets a new number. Version 3 signs the manifest
    /// (<see cref="ManifestSignature"/>), carries the chain checkpoints of the range and each event's canonical line
    /// (<see cref="AuditEventsCanonical"/>), and ships what an outsider needs to verify with standard tools
    /// (<see cref="VerifyScript"/>, <see cref="Checksums"/>, the <see cref="CheckpointFolder"/> files) and <see cref="ReadmeHtml"/>.
    /// </summary>
    public const string Format = "compliancehub-evidence/3";

    /// <summary>The second format: <see cref="Access"/> added, not signed. Such packages still verify, reported as unsigned.</summary>
    public const string FormatUnsigned = "compliancehub-evidence/2";

    /// <summary>The first format, without <see cref="Access"/> (and unsigned): packages built before it still verify.</summary>
    public const string FormatWithoutAccess = "compliancehub-evidence/1";

    /// <summary>How <see cref="ManifestSignature"/> is made, as the manifest names it.</summary>
    public const string SignatureAlgorithm = "ECDSA P-256 SHA-256";

    public const string Findings = "findings.json";
    public const string Roster = "roster.json";
    public const string Grants = "grants.json";
    public const string EscortAssignments = "escort-assignments.json";
    public const string Attestations = "attestations.json";
    public const string PolicyVersions = "policy-versions.json";
    public const string Access = "access.jsonl";

    /// <summary>The access review campaigns that ran during the range (ADR 0040): settings as started, counts, how they closed.</summary>
    public const string AccessReviewCampaigns = "access-reviews/campaigns.json";

    /// <summary>Every item of those campaigns with its stage-one answer, decision, reviewer, time, comment and decision snapshot.</summary>
    public const string AccessReviewItems = "access-reviews/items.jsonl";

    /// <summary>The access-log lines whose time falls in the range (issue 25), one per line in time order: who, when, from where, which file and line.</summary>
    public const string AccessLogEvents = "access-logs/events.jsonl";

    /// <summary>The access-log imports made in the range or bringing lines of it, with the SHA-256 of each file and of its entries.</summary>
    public const string AccessLogImports = "access-logs/imports.json";

    /// <summary>Files of the current format that packages built before they were added lack: listed and checked when present, not required.</summary>
    public static IReadOnlyList<string> OptionalFiles { get; } = [AccessReviewCampaigns, AccessReviewItems, AccessLogImports, AccessLogEvents];
    public const string AuditEvents = "audit-events.jsonl";

    /// <summary>One line per event: exactly the UTF-8 bytes its hash is computed over (<see cref="AuditChain.Canonical"/>).</summary>
    public const string AuditEventsCanonical = "audit-events.canonical";

    public const string ChainHead = "chain-head.json";

    /// <summary>The Python 3 script (standard library only) that verifies the package without .NET.</summary>
    public const string VerifyScript = "verify.py";

    public const string Readme = "README.txt";

    /// <summary>The human-readable summary: scope, counts, chain head, checkpoints, signer, how to verify.</summary>
    public const string ReadmeHtml = "README.html";

    /// <summary>Every other listed file's SHA-256 in the form <c>sha256sum -c</c> reads.</summary>
    public const string Checksums = "SHA256SUMS";

    public const string Manifest = "manifest.json";

    /// <summary>The DER ECDSA signature of the exact bytes of <see cref="Manifest"/>; the only file the manifest does not list.</summary>
    public const string ManifestSignature = "manifest.sig";

    /// <summary>The folder of each checkpoint's signed text and signature, for <c>openssl dgst -verify</c>.</summary>
    public const string CheckpointFolder = "checkpoints/";

    /// <summary>The signed text of the checkpoint at <paramref name="sequence"/> (<see cref="ChainCheckpoint.Text"/>).</summary>
    public static string CheckpointText(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{CheckpointFolder}{sequence}.txt");

    /// <summary>The DER signature of <see cref="CheckpointText"/>.</summary>
    public static string CheckpointSignature(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{CheckpointFolder}{sequence}.sig");

    /// <summary>The files of the unsigned formats (1 and 2) besides the manifest, in the order they were written.</summary>
    private static readonly string[] UnsignedFiles =
        [Findings, Roster, Grants, EscortAssignments, Attestations, PolicyVersions, Access, AuditEvents, ChainHead, Readme];

    /// <summary>
    /// The files every package of the current format holds besides the manifest and its signature, in the order they are
    /// written; the checkpoints' files (as many as the range has checkpoints) come after <see cref="ChainHead"/>.
    /// </summary>
    public static IReadOnlyList<string> ContentFiles { get; } =
        [Findings, Roster, Grants, EscortAssignments, Attestations, PolicyVersions, Access, AccessReviewCampaigns, AccessReviewItems, AccessLogImports,
         AccessLogEvents, AuditEvents,
         AuditEventsCanonical, ChainHead, VerifyScript, Readme, ReadmeHtml, Checksums];

    /// <summary>The files a package of a format must hold besides the manifest (the current format's when it is unknown).</summary>
    public static IEnumerable<string> RequiredFiles(string? format) => format switch
    {
        FormatWithoutAccess => UnsignedFiles.Where(f => f != Access),
        FormatUnsigned => UnsignedFiles,
        _ => ContentFiles.Where(f => !OptionalFiles.Contains(f)),
    };

    /// <summary>True for the formats built before packages were signed.</summary>
    public static bool IsUnsignedFormat(string? format) => format is FormatUnsigned or FormatWithoutAccess;

    /// <summary>
    /// One audit event as a line of <see cref="AuditEvents"/>: every field of the canonical form (<see cref="AuditChain.Canonical"/>),
    /// in its order, with <c>changes</c> and <c>ruleOutcomes</c> as JSON values exactly as stored, then <c>hash</c>. The verifier
    /// writes each line it reads again with this and requires the same bytes.
    /// </summary>
    public static void WriteEvent(Utf8JsonWriter w, AuditEvent e)
    {
        w.WriteStartObject();
        AuditChain.WriteFields(w, e, json => w.WriteRawValue(json));
        w.WriteString("hash", e.Hash);
        w.WriteEndObject();
    }

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
