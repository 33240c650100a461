using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Core.Evidence;

/// <summary>One thing wrong with a package: the file, where in it (line and sequence for an audit event), and what.</summary>
public sealed record EvidenceProblem(string File, string Message, int? Line = null, long? Sequence = null)
{
    public override string ToString()
    {
        var where = new StringBuilder(File);
        if (Line is { } line)
        {
            where.Append(CultureInfo.InvariantCulture, $" line {line}");
        }
        if (Sequence is { } sequence)
        {
            where.Append(CultureInfo.InvariantCulture, $" (sequence {sequence})");
        }
        return $"{where}: {Message}";
    }
}

/// <summary>The outcome of verifying a package offline.</summary>
/// <param name="IsZip">False when the file could not be read as a zip at all (nothing else was checked).</param>
/// <param name="Problems">Every problem found, in the order checked (empty when the package is intact).</param>
/// <param name="Files">Files checked against the manifest.</param>
/// <param name="Events">Audit event lines read.</param>
/// <param name="FirstSequence">The first event's sequence number.</param>
/// <param name="LastSequence">The last event's sequence number.</param>
/// <param name="HeadHash">The last event's hash (the package's chain head).</param>
/// <param name="From">The range's first day, from the manifest.</param>
/// <param name="To">The range's last day, from the manifest.</param>
public sealed record EvidenceVerification(bool IsZip, IReadOnlyList<EvidenceProblem> Problems, int Files, long Events, long? FirstSequence,
    long? LastSequence, string? HeadHash, string? From, string? To)
{
    /// <summary>True when the file is a zip and nothing is wrong with it.</summary>
    public bool Valid => IsZip && Problems.Count == 0;

    /// <summary>One line saying what was verified.</summary>
    public string Summary => Events == 0
        ? $"{Files} files match the manifest; no audit events in the range {From} to {To}"
        : $"{Files} files match the manifest; {Events} audit events, sequences {FirstSequence}–{LastSequence}, chain intact; " +
          $"range {From} to {To}; head hash {HeadHash}";
}

/// <summary>
/// Verifies an evidence package with nothing but the zip (no database): the manifest against every file, and the audit
/// events' hash chain against itself and <c>chain-head.json</c>. Reports every problem, not only the first. Memory stays
/// bounded: files are hashed as streams and the events are read line by line.
/// </summary>
public static class EvidenceVerifier
{
    private static readonly string[] EventFields =
    [
        "sequence", "occurredAt", "actorUserId", "actorName", "actorRole", "actorVendorId", "authenticationMethod", "eventType", "operation",
        "subjectType", "subjectId", "changes", "ruleOutcomes", "correlationId", "previousHash", "hash",
    ];

    /// <summary>Verifies the package in <paramref name="zip"/> (a readable, seekable stream, left open).</summary>
    public static EvidenceVerification Verify(Stream zip)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return new EvidenceVerification(false, [new EvidenceProblem("(package)", $"not a zip file: {ex.Message}")], 0, 0, null, null, null, null, null);
        }
        using (archive)
        {
            var problems = new List<EvidenceProblem>();
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entries.TryAdd(entry.FullName, entry))
                {
                    problems.Add(new EvidenceProblem(entry.FullName, "appears more than once in the zip"));
                }
            }
            var manifest = ReadManifest(entries, problems);
            var checkedFiles = CheckFiles(entries, manifest, problems);
            var head = ReadChainHead(entries, problems);
            var chain = CheckEvents(entries, head, problems);
            return new EvidenceVerification(true, problems, checkedFiles, chain.Count, chain.First, chain.Last, chain.HeadHash, manifest?.From, manifest?.To);
        }
    }

    private sealed record Manifest(string? From, string? To, IReadOnlyList<EvidenceFile> Files, string? Format);

    private static Manifest? ReadManifest(Dictionary<string, ZipArchiveEntry> entries, List<EvidenceProblem> problems)
    {
        if (!entries.TryGetValue(EvidencePackage.Manifest, out var entry))
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "missing: the package has no manifest, so no file can be checked against it"));
            return null;
        }
        try
        {
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            var format = root.TryGetProperty("format", out var f) ? f.GetString() : null;
            if (format is not (EvidencePackage.Format or EvidencePackage.FormatWithoutAccess))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest,
                    $"format is '{format}', expected '{EvidencePackage.Format}' (or '{EvidencePackage.FormatWithoutAccess}' for a package built before access intervals were added)"));
            }
            var range = root.TryGetProperty("range", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            string? Range(string name) => range.ValueKind == JsonValueKind.Object && range.TryGetProperty(name, out var v) ? v.GetString() : null;
            if (!root.TryGetProperty("files", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "has no \"files\" list"));
                return new Manifest(Range("from"), Range("to"), [], format);
            }
            var files = new List<EvidenceFile>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("size", out var size) || !size.TryGetInt64(out var bytes)
                    || !item.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"file entry {index} lacks a name, size or sha256"));
                    continue;
                }
                files.Add(new EvidenceFile(name.GetString()!, bytes, sha.GetString()!, null));
            }
            return new Manifest(Range("from"), Range("to"), files, format);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException)
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"cannot be read as JSON: {ex.Message}"));
            return null;
        }
    }

    /// <summary>Every listed file present with its size and SHA-256; no file unlisted; every required file there.</summary>
    private static int CheckFiles(Dictionary<string, ZipArchiveEntry> entries, Manifest? manifest, List<EvidenceProblem> problems)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var checkedFiles = 0;
        foreach (var file in manifest?.Files ?? [])
        {
            if (!listed.Add(file.Name))
            {
                problems.Add(new EvidenceProblem(file.Name, "is listed more than once in the manifest"));
                continue;
            }
            if (file.Name == EvidencePackage.Manifest)
            {
                problems.Add(new EvidenceProblem(file.Name, "the manifest lists itself"));
                continue;
            }
            if (!entries.TryGetValue(file.Name, out var entry))
            {
                problems.Add(new EvidenceProblem(file.Name, "is listed in the manifest but missing from the package"));
                continue;
            }
            var (size, sha256) = Hash(entry);
            checkedFiles++;
            if (size != file.Size)
            {
                problems.Add(new EvidenceProblem(file.Name, $"size does not match the manifest: manifest {file.Size} bytes, file {size} bytes"));
            }
            if (!string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new EvidenceProblem(file.Name, $"SHA-256 does not match the manifest: manifest {file.Sha256}, file {sha256}"));
            }
        }
        if (manifest is not null)
        {
            foreach (var name in entries.Keys.Where(n => n != EvidencePackage.Manifest && !listed.Contains(n)).Order(StringComparer.Ordinal))
            {
                problems.Add(new EvidenceProblem(name, "is in the package but not listed in the manifest"));
            }
        }
        foreach (var name in EvidencePackage.RequiredFiles(manifest?.Format).Where(n => !listed.Contains(n) && (manifest is not null || !entries.ContainsKey(n))))
        {
            problems.Add(new EvidenceProblem(name, entries.ContainsKey(name)
                ? "is a required file of the package but the manifest does not list it"
                : "is a required file of the package but is missing"));
        }
        return checkedFiles;
    }

    private static (long Size, string Sha256) Hash(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private sealed record Link(long Sequence, string Hash);

    private sealed record ChainHead(long? EventCount, long? FirstSequence, Link? Anchor, Link? Last, Link? Live, bool? LiveVerified, string? LiveProblem);

    private static ChainHead? ReadChainHead(Dictionary<string, ZipArchiveEntry> entries, List<EvidenceProblem> problems)
    {
        if (!entries.TryGetValue(EvidencePackage.ChainHead, out var entry))
        {
            return null; // reported by the file checks
        }
        try
        {
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            long? Number(JsonElement parent, string name) =>
                parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
            Link? LinkOf(string name) =>
                root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object && Number(v, "sequence") is { } s
                && v.TryGetProperty("hash", out var h) && h.ValueKind == JsonValueKind.String
                    ? new Link(s, h.GetString()!)
                    : null;
            var live = root.TryGetProperty("liveHead", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            var head = new ChainHead(Number(root, "eventCount"), Number(root, "firstSequence"), LinkOf("anchor"), LinkOf("last"), LinkOf("liveHead"),
                live.ValueKind == JsonValueKind.Object && live.TryGetProperty("verified", out var verified) && verified.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? verified.GetBoolean() : null,
                live.ValueKind == JsonValueKind.Object && live.TryGetProperty("problem", out var problem) && problem.ValueKind == JsonValueKind.String
                    ? problem.GetString() : null);
            if (head.EventCount is null)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, "has no eventCount"));
            }
            if (head.EventCount > 0 && (head.Anchor is null || head.Last is null))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, "has events but lacks the anchor or the last event"));
            }
            if (head.Live is null || head.LiveVerified is null)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, "lacks the live chain head or whether it verified"));
            }
            else if (head.LiveVerified == false)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead,
                    $"records that the live audit chain did NOT verify when the package was built: {head.LiveProblem ?? "no reason given"}"));
            }
            return head;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException or FormatException)
        {
            problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"cannot be read as JSON: {ex.Message}"));
            return null;
        }
    }

    private sealed record ChainResult(long Count, long? First, long? Last, string? HeadHash);

    private static ChainResult CheckEvents(Dictionary<string, ZipArchiveEntry> entries, ChainHead? head, List<EvidenceProblem> problems)
    {
        if (!entries.TryGetValue(EvidencePackage.AuditEvents, out var entry))
        {
            return new ChainResult(0, null, null, null); // reported by the file checks
        }
        const string file = EvidencePackage.AuditEvents;
        long count = 0;
        long? first = null;
        long? lastSequence = null;
        string? previousHash = null; // the hash the next event must link to; null when unknown (after an unreadable line)
        long? expected = null;
        var lineNumber = 0;
        using var reader = new StreamReader(entry.Open(), new UTF8Encoding(false, true));
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                count++;
                if (!TryReadEvent(line, out var e, out var statedHash, out var error))
                {
                    problems.Add(new EvidenceProblem(file, error!, lineNumber));
                    expected = expected is { } x ? x + 1 : null;
                    previousHash = null;
                    continue;
                }
                if (first is null)
                {
                    first = e.Sequence;
                    if (head?.FirstSequence is { } start && start != e.Sequence)
                    {
                        problems.Add(new EvidenceProblem(file, $"the first event is sequence {e.Sequence}, but chain-head.json says the package starts at {start}",
                            lineNumber, e.Sequence));
                    }
                    if (head?.Anchor is { } anchor && e.PreviousHash != anchor.Hash)
                    {
                        problems.Add(new EvidenceProblem(file, $"previousHash {e.PreviousHash} does not equal chain-head.json's anchor {anchor.Hash}",
                            lineNumber, e.Sequence));
                    }
                }
                else if (expected is { } want && e.Sequence != want)
                {
                    problems.Add(new EvidenceProblem(file, e.Sequence > want
                        ? $"sequence jumps from {want - 1} to {e.Sequence}: {(e.Sequence - want == 1 ? $"event {want} is" : $"events {want}–{e.Sequence - 1} are")} missing (or out of place)"
                        : $"out of order: sequence {e.Sequence} follows sequence {lastSequence}", lineNumber, e.Sequence));
                }
                else if (previousHash is not null && e.PreviousHash != previousHash)
                {
                    problems.Add(new EvidenceProblem(file,
                        $"previousHash {e.PreviousHash} does not equal the hash of the line before (sequence {lastSequence}: {previousHash})", lineNumber, e.Sequence));
                }
                var recomputed = AuditChain.ComputeHash(e);
                if (recomputed != statedHash)
                {
                    problems.Add(new EvidenceProblem(file, $"hash does not match the event's content: stated {statedHash}, recomputed {recomputed} (the event was altered)",
                        lineNumber, e.Sequence));
                }
                previousHash = statedHash;
                lastSequence = e.Sequence;
                expected = e.Sequence + 1;
            }
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new EvidenceProblem(file, "is not valid UTF-8", lineNumber + 1));
        }

        if (head is not null)
        {
            if (head.EventCount is { } stated && stated != count)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"says the package holds {stated} events, but {file} has {count} lines"));
            }
            if (head.Last is { } last && (last.Sequence != lastSequence || last.Hash != previousHash))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, lastSequence is null
                    ? $"names sequence {last.Sequence} (hash {last.Hash}) as the last event, but {file} has no readable event"
                    : $"names sequence {last.Sequence} (hash {last.Hash}) as the last event, but {file} ends with sequence {lastSequence} (hash {previousHash ?? "unreadable"})"));
            }
            if (head.Last is null && count > 0)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"names no last event, but {file} has {count} lines"));
            }
            if (head.Live is { } live && lastSequence is { } end)
            {
                if (live.Sequence < end)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"the live head (sequence {live.Sequence}) is before the package's last event ({end})"));
                }
                else if (live.Sequence == end && previousHash is not null && live.Hash != previousHash)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"the live head is sequence {end} with hash {live.Hash}, but the package's event {end} has hash {previousHash}"));
                }
            }
        }
        return new ChainResult(count, first, lastSequence, previousHash);
    }

    /// <summary>Rebuilds the audit event of one line exactly as it was hashed, or says what is wrong with the line.</summary>
    private static bool TryReadEvent(string line, out AuditEvent e, out string hash, out string? error)
    {
        e = null!;
        hash = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "is not a JSON object";
                return false;
            }
            // The fields of where a change came from are in the canonical form when the event has them, and absent otherwise.
            var unknown = root.EnumerateObject().Select(p => p.Name).Where(n => !EventFields.Contains(n) && !AuditChain.OriginFieldNames.Contains(n)).ToList();
            var missing = EventFields.Where(n => !root.TryGetProperty(n, out _)).ToList();
            if (missing.Count > 0 || unknown.Count > 0)
            {
                error = string.Join("; ", new[]
                {
                    missing.Count > 0 ? $"missing field(s) {string.Join(", ", missing)}" : null,
                    unknown.Count > 0 ? $"unexpected field(s) {string.Join(", ", unknown)} (not covered by the hash)" : null,
                }.Where(s => s is not null));
                return false;
            }
            var problems = new List<string>();
            long Long(string name)
            {
                var v = root.GetProperty(name);
                if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
                {
                    return n;
                }
                problems.Add($"{name} is not an integer");
                return 0;
            }
            string? Text(string name, bool nullable = false)
            {
                var v = root.GetProperty(name);
                if (v.ValueKind == JsonValueKind.String || (nullable && v.ValueKind == JsonValueKind.Null))
                {
                    return v.GetString();
                }
                problems.Add($"{name} is not a string");
                return "";
            }
            Guid? Id(string name) => AsId(name, Text(name, nullable: true));
            Guid? AsId(string name, string? text)
            {
                if (string.IsNullOrEmpty(text))
                {
                    return null;
                }
                if (Guid.TryParse(text, out var id))
                {
                    return id;
                }
                problems.Add($"{name} '{text}' is not a GUID");
                return null;
            }
            string Json(string name, JsonValueKind kind)
            {
                var v = root.GetProperty(name);
                if (v.ValueKind != kind)
                {
                    problems.Add($"{name} is not a JSON {(kind == JsonValueKind.Object ? "object" : "array")}");
                }
                return v.GetRawText();
            }

            string? Optional(string name)
            {
                if (!root.TryGetProperty(name, out var v))
                {
                    return null;
                }
                if (v.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.GetString()))
                {
                    problems.Add($"{name} is present but not a non-empty string (an event without it leaves it out)");
                    return null;
                }
                return v.GetString();
            }
            Guid? OptionalId(string name) => AsId(name, Optional(name));

            var sequence = Long("sequence");
            var occurredText = Text("occurredAt");
            if (!EvidencePackage.TryParseInstant(occurredText, out var occurredAt))
            {
                problems.Add($"occurredAt '{occurredText}' is not a UTC instant like 2026-11-28T09:30:00.123456Z");
            }
            var eventType = Long("eventType");
            e = new AuditEvent
            {
                Sequence = sequence,
                OccurredAt = occurredAt,
                ActorUserId = Id("actorUserId"),
                ActorName = Text("actorName")!,
                ActorRole = Text("actorRole")!,
                ActorVendorId = Id("actorVendorId"),
                AuthenticationMethod = Text("authenticationMethod")!,
                EventType = eventType is >= int.MinValue and <= int.MaxValue ? (int)eventType : 0,
                Operation = Text("operation")!,
                SubjectType = Text("subjectType")!,
                SubjectId = Text("subjectId")!,
                Changes = Json("changes", JsonValueKind.Object),
                RuleOutcomes = Json("ruleOutcomes", JsonValueKind.Array),
                CorrelationId = Text("correlationId")!,
                SessionId = OptionalId("sessionId"),
                ApiTokenId = OptionalId("apiTokenId"),
                ClientAddress = Optional("clientAddress"),
                UserAgent = Optional("userAgent"),
                PreviousHash = Text("previousHash")!,
            };
            hash = Text("hash")!;
            if (problems.Count > 0)
            {
                error = string.Join("; ", problems);
                return false;
            }
            error = null;
            return true;
        }
    }
}
