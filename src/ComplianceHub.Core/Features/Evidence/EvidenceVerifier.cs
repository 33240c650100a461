using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Features.Evidence;

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

/// <summary>What a package's signature shows.</summary>
public enum EvidenceSignature
{
    /// <summary>Not signed (a package built before packages were signed), or the signature could not be checked.</summary>
    Unsigned,

    /// <summary>The manifest's signature verifies with the key the package itself carries: unchanged since signed, signer unknown.</summary>
    IntegrityOnly,

    /// <summary>The manifest's signature verifies with a public key given out of band, whose id the manifest names.</summary>
    Verified,
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
    /// <summary>True when the file is a zip and nothing is wrong with it (warnings do not count: read <see cref="Warnings"/>).</summary>
    public bool Valid => IsZip && Problems.Count == 0;

    /// <summary>What was not wrong but limits what the verification shows (an unsigned package, no public key given).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The manifest's format id.</summary>
    public string? Format { get; init; }

    /// <summary>What the signature shows (<see cref="EvidenceSignature.Verified"/> only with a public key given and nothing wrong with it).</summary>
    public EvidenceSignature Signature { get; init; }

    /// <summary>The id of the key the manifest says signed it.</summary>
    public string? SignerKeyId { get; init; }

    /// <summary>Checkpoints whose sequence is among the package's events and whose hash is that event's.</summary>
    public int CheckpointsAgreeing { get; init; }

    /// <summary>
    /// The first sequence number at which the events go wrong — by the position of the first bad line from the package's first
    /// sequence (an altered, unreadable, missing, added or misplaced event), or the first event missing from the end — null when
    /// the events are intact.
    /// </summary>
    public long? FirstBadSequence { get; init; }

    /// <summary>
    /// When a checkpoint disagrees with the package's events: the events from after the last checkpoint that agrees up to and
    /// including the first one that does not — where the history was rewritten.
    /// </summary>
    public (long From, long To)? FirstForgedRange { get; init; }

    /// <summary>One line saying what was verified.</summary>
    public string Summary
    {
        get
        {
            var text = Events == 0
                ? $"{Files} files match the manifest; no audit events in the range {From} to {To}"
                : $"{Files} files match the manifest; {Events} audit events, sequences {FirstSequence}–{LastSequence}, chain intact; " +
                  $"range {From} to {To}; head hash {HeadHash}";
            return Signature switch
            {
                EvidenceSignature.Verified => $"{text}; {CheckpointsAgreeing} checkpoint(s) agree; signed by key {SignerKeyId} (the key you gave)",
                EvidenceSignature.IntegrityOnly => $"{text}; {CheckpointsAgreeing} checkpoint(s) agree; signed by key {SignerKeyId}, which the package itself names (no key given)",
                _ => $"{text}; not signed",
            };
        }
    }
}

/// <summary>
/// Verifies an evidence package with nothing but the zip (no database): the manifest against every file; its signature against
/// the public keys given out of band (or, without one, against the key the package carries: integrity, not origin); the audit
/// events' hash chain against itself, their canonical lines and <c>chain-head.json</c>; and each chain checkpoint's signature
/// and hash against the events. Reports every problem, not only the first. Memory stays bounded: files are hashed as streams
/// and the events are read line by line.
/// </summary>
public static class EvidenceVerifier
{
    private static readonly string[] EventFields =
    [
        "sequence", "occurredAt", "actorUserId", "actorName", "actorRole", "actorVendorId", "authenticationMethod", "eventType", "operation",
        "subjectType", "subjectId", "changes", "ruleOutcomes", "correlationId", "previousHash", "hash",
    ];

    /// <summary>Verifies the package in <paramref name="zip"/> against the public key given out of band.</summary>
    public static EvidenceVerification Verify(Stream zip, AuditSigningKey publicKey) => Verify(zip, [publicKey]);

    /// <summary>
    /// Verifies the package in <paramref name="zip"/> (a readable, seekable stream, left open). With <paramref name="publicKeys"/>
    /// (the current audit signing key and, for checkpoints signed before a rotation, earlier ones), the manifest must be signed by
    /// one of them and named by id, and every checkpoint must verify with one of them; without, the signatures are checked against
    /// the key inside the package and a warning says that this shows integrity, not origin.
    /// </summary>
    public static EvidenceVerification Verify(Stream zip, IReadOnlyCollection<AuditSigningKey>? publicKeys = null)
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
            var warnings = new List<string>();
            Signer? signer = null;
            try
            {
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
                signer = CheckSignature(entries, manifest, publicKeys ?? [], problems, warnings);
                var head = ReadChainHead(entries, problems);
                var chain = CheckEvents(entries, head, manifest, problems);
                var checkpoints = CheckCheckpoints(entries, manifest, chain, signer, publicKeys is { Count: > 0 }, problems, warnings);
                return new EvidenceVerification(true, problems, checkedFiles, chain.Count, chain.First, chain.Last, chain.HeadHash, manifest?.From, manifest?.To)
                {
                    Warnings = warnings,
                    Format = manifest?.Format,
                    Signature = problems.Count == 0 ? signer.Status : EvidenceSignature.Unsigned,
                    SignerKeyId = manifest?.SigningKey?.KeyId,
                    CheckpointsAgreeing = checkpoints.Agreeing,
                    FirstBadSequence = chain.FirstBadSequence,
                    FirstForgedRange = checkpoints.ForgedRange,
                };
            }
            catch (InvalidDataException ex)
            {
                // A damaged entry (its compressed data or CRC): whatever was found so far, and that.
                problems.Add(new EvidenceProblem("(package)", $"a file cannot be read from the zip, which is damaged: {ex.Message}"));
                return new EvidenceVerification(true, problems, 0, 0, null, null, null, null, null) { Warnings = warnings };
            }
            finally
            {
                signer?.Embedded?.Dispose();
            }
        }
    }

    private sealed record SigningKeyClaim(string? KeyId, string? Algorithm, string? PublicKeyPem);

    private sealed record Manifest(string? From, string? To, IReadOnlyList<EvidenceFile> Files, string? Format, byte[] Bytes,
        SigningKeyClaim? SigningKey, IReadOnlyList<ChainCheckpoint>? Checkpoints);

    private static Manifest? ReadManifest(Dictionary<string, ZipArchiveEntry> entries, List<EvidenceProblem> problems)
    {
        if (!entries.TryGetValue(EvidencePackage.Manifest, out var entry))
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "missing: the package has no manifest, so no file can be checked against it"));
            return null;
        }
        try
        {
            var bytes = Bytes(entry);
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            string? Text(JsonElement parent, string name) =>
                parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var format = Text(root, "format");
            if (format is not (EvidencePackage.Format or EvidencePackage.FormatUnsigned or EvidencePackage.FormatWithoutAccess))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest,
                    $"format is '{format}', expected '{EvidencePackage.Format}' (or '{EvidencePackage.FormatUnsigned}' or '{EvidencePackage.FormatWithoutAccess}' " +
                    "for a package built before packages were signed)"));
            }
            var range = root.TryGetProperty("range", out var r) ? r : default;
            var signingKey = root.TryGetProperty("signingKey", out var k) && k.ValueKind == JsonValueKind.Object
                ? new SigningKeyClaim(Text(k, "keyId"), Text(k, "algorithm"), Text(k, "publicKeyPem"))
                : null;
            List<ChainCheckpoint>? checkpoints = null;
            if (root.TryGetProperty("checkpoints", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                checkpoints = [];
                foreach (var item in list.EnumerateArray())
                {
                    if (ChainCheckpoint.FromJsonLine(item.GetRawText()) is { } checkpoint)
                    {
                        checkpoints.Add(checkpoint);
                    }
                    else
                    {
                        problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"checkpoint {checkpoints.Count + 1} is not a checkpoint (sequence, hash, signedAt, keyId, signature)"));
                    }
                }
            }
            if (!root.TryGetProperty("files", out var fileList) || fileList.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "has no \"files\" list"));
                return new Manifest(Text(range, "from"), Text(range, "to"), [], format, bytes, signingKey, checkpoints);
            }
            var files = new List<EvidenceFile>();
            var index = 0;
            foreach (var item in fileList.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("size", out var size) || !size.TryGetInt64(out var length)
                    || !item.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"file entry {index} lacks a name, size or sha256"));
                    continue;
                }
                files.Add(new EvidenceFile(name.GetString()!, length, sha.GetString()!, null));
            }
            return new Manifest(Text(range, "from"), Text(range, "to"), files, format, bytes, signingKey, checkpoints);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or InvalidDataException)
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"cannot be read as JSON: {ex.Message}"));
            return null;
        }
    }

    /// <summary>True for the files the manifest cannot list: itself and, in a signed format, its signature.</summary>
    private static bool Unlistable(string name, Manifest? manifest) =>
        name == EvidencePackage.Manifest || (name == EvidencePackage.ManifestSignature && !EvidencePackage.IsUnsignedFormat(manifest?.Format));

    /// <summary>Every listed file present with its size and SHA-256; no file unlisted; every required file there; SHA256SUMS agreeing.</summary>
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
            if (Unlistable(file.Name, manifest))
            {
                problems.Add(new EvidenceProblem(file.Name, "the manifest lists itself or its signature"));
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
            foreach (var name in entries.Keys.Where(n => !Unlistable(n, manifest) && !listed.Contains(n)).Order(StringComparer.Ordinal))
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
        if (manifest?.Format == EvidencePackage.Format && entries.TryGetValue(EvidencePackage.Checksums, out var sums))
        {
            CheckChecksums(sums, manifest, problems);
        }
        return checkedFiles;
    }

    /// <summary>SHA256SUMS lists exactly the manifest's other files with the manifest's hashes, in sha256sum's form.</summary>
    private static void CheckChecksums(ZipArchiveEntry entry, Manifest manifest, List<EvidenceProblem> problems)
    {
        var expected = string.Concat(manifest.Files.Where(f => f.Name != EvidencePackage.Checksums).Select(f => $"{f.Sha256}  {f.Name}\n"));
        if (!Bytes(entry).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected)))
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Checksums, "does not list exactly the manifest's files, in its order, with its SHA-256 hashes"));
        }
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
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

    /// <summary>What the manifest's signature showed, and the keys that check the checkpoints (the given ones, or the embedded one).</summary>
    private sealed record Signer(EvidenceSignature Status, IReadOnlyCollection<AuditSigningKey> CheckpointKeys, AuditSigningKey? Embedded);

    private static Signer CheckSignature(Dictionary<string, ZipArchiveEntry> entries, Manifest? manifest, IReadOnlyCollection<AuditSigningKey> given,
        List<EvidenceProblem> problems, List<string> warnings)
    {
        if (manifest is null)
        {
            return new Signer(EvidenceSignature.Unsigned, [], null);
        }
        if (EvidencePackage.IsUnsignedFormat(manifest.Format))
        {
            if (given.Count > 0)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest,
                    $"unsigned (format {manifest.Format}, built before packages were signed), but a public key was given: a signature is required"));
            }
            else
            {
                warnings.Add($"unsigned (built before packages were signed; format {manifest.Format}): its files match its manifest, but nothing shows who built it");
            }
            return new Signer(EvidenceSignature.Unsigned, [], null);
        }
        if (manifest.Format != EvidencePackage.Format)
        {
            return new Signer(EvidenceSignature.Unsigned, [], null); // reported by the manifest check
        }

        var claim = manifest.SigningKey;
        AuditSigningKey? embedded = null;
        if (claim?.KeyId is null || claim.PublicKeyPem is null)
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "names no signing key (signingKey: keyId, algorithm, publicKeyPem)"));
        }
        else
        {
            try
            {
                embedded = AuditSigningKey.FromPem(claim.PublicKeyPem, "signingKey.publicKeyPem");
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, ex.Message));
            }
            if (embedded is not null && embedded.KeyId != claim.KeyId)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest,
                    $"signingKey: the public key it carries has id {embedded.KeyId}, not the keyId it states ({claim.KeyId})"));
            }
            if (claim.Algorithm != EvidencePackage.SignatureAlgorithm)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"signingKey: algorithm '{claim.Algorithm}', expected '{EvidencePackage.SignatureAlgorithm}'"));
            }
        }
        byte[]? signature = null;
        if (entries.TryGetValue(EvidencePackage.ManifestSignature, out var entry))
        {
            signature = Bytes(entry);
        }
        else
        {
            problems.Add(new EvidenceProblem(EvidencePackage.ManifestSignature, "missing: the manifest is not signed"));
        }

        var before = problems.Count;
        if (given.Count > 0)
        {
            var key = given.FirstOrDefault(k => k.KeyId == claim?.KeyId);
            if (key is null)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ManifestSignature,
                    $"signed with key {claim?.KeyId ?? "(none named)"}, not with the key you gave ({string.Join(", ", given.Select(k => k.KeyId))})"));
            }
            else if (signature is not null && !key.Verify(manifest.Bytes, signature))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ManifestSignature,
                    $"is not the signature of manifest.json by the key you gave ({key.KeyId}): the manifest was changed after it was signed, or signed by another key"));
            }
            return new Signer(problems.Count == before && signature is not null ? EvidenceSignature.Verified : EvidenceSignature.Unsigned, given, embedded);
        }
        if (embedded is not null && signature is not null && !embedded.Verify(manifest.Bytes, signature))
        {
            problems.Add(new EvidenceProblem(EvidencePackage.ManifestSignature,
                $"is not the signature of manifest.json by the key the manifest names ({embedded.KeyId}): the manifest was changed after it was signed"));
        }
        warnings.Add($"no public key given: the signature was checked against the key inside the package ({claim?.KeyId}), which shows the package is " +
                     "unchanged since it was signed, not who signed it; give the key you received out of band (--public-key)");
        return new Signer(problems.Count == before && signature is not null && embedded is not null ? EvidenceSignature.IntegrityOnly : EvidenceSignature.Unsigned,
            embedded is null ? [] : [embedded], embedded);
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

    /// <summary>What the events showed: how many, their first and last sequences, the last hash, where they first go wrong, and
    /// the hash of each event a checkpoint names.</summary>
    private sealed record ChainResult(long Count, long? First, long? Last, string? HeadHash, long? FirstBadSequence, IReadOnlyDictionary<long, string> Hashes);

    private static ChainResult CheckEvents(Dictionary<string, ZipArchiveEntry> entries, ChainHead? head, Manifest? manifest, List<EvidenceProblem> problems)
    {
        var empty = new Dictionary<long, string>();
        if (!entries.TryGetValue(EvidencePackage.AuditEvents, out var entry))
        {
            return new ChainResult(0, null, null, null, null, empty); // reported by the file checks
        }
        const string file = EvidencePackage.AuditEvents;
        const string canonicalFile = EvidencePackage.AuditEventsCanonical;
        // The current format is byte-exact: each line is what the portal writes for its event, and beside it the canonical line.
        var strict = manifest?.Format == EvidencePackage.Format;
        var wanted = manifest?.Checkpoints?.Select(c => c.Sequence).ToHashSet() ?? [];
        var hashes = new Dictionary<long, string>();
        long count = 0;
        long? first = null;
        long? lastSequence = null;
        string? previousHash = null; // the hash the next event must link to; null when unknown (after an unreadable line)
        long? expected = null;
        long? firstBadLine = null;
        var lineNumber = 0;
        var strictUtf8 = new UTF8Encoding(false, true);
        var written = new ArrayBufferWriter<byte>(4096);
        using var lines = Lines(entry, strict ? file : null, problems).GetEnumerator();
        using var canonical = (strict && entries.TryGetValue(canonicalFile, out var c) ? Lines(c, canonicalFile, problems) : []).GetEnumerator();
        var canonicalLines = 0;
        while (lines.MoveNext())
        {
            lineNumber++;
            count++;
            var problemsBefore = problems.Count;
            var canonicalLine = strict && canonical.MoveNext() ? canonical.Current : null;
            canonicalLines += canonicalLine is null ? 0 : 1;
            string text;
            try
            {
                text = strictUtf8.GetString(lines.Current);
            }
            catch (DecoderFallbackException)
            {
                text = "";
                problems.Add(new EvidenceProblem(file, "is not valid UTF-8", lineNumber));
            }
            AuditEvent e = null!;
            var statedHash = "";
            if (problems.Count == problemsBefore && !TryReadEvent(text, out e, out statedHash, out var error))
            {
                problems.Add(new EvidenceProblem(file, error!, lineNumber));
            }
            if (problems.Count > problemsBefore)
            {
                firstBadLine ??= lineNumber;
                expected = expected is { } x ? x + 1 : null;
                previousHash = null;
                continue;
            }
            if (strict)
            {
                written.ResetWrittenCount();
                using (var w = new Utf8JsonWriter(written))
                {
                    EvidencePackage.WriteEvent(w, e);
                }
                if (!written.WrittenSpan.SequenceEqual(lines.Current))
                {
                    problems.Add(new EvidenceProblem(file, "is not the line the portal writes for the event it holds (same values, other bytes)", lineNumber, e.Sequence));
                }
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
            var canonicalForm = AuditChain.CanonicalBytes(e);
            var recomputed = Convert.ToHexStringLower(SHA256.HashData(canonicalForm));
            if (recomputed != statedHash)
            {
                problems.Add(new EvidenceProblem(file, $"hash does not match the event's content: stated {statedHash}, recomputed {recomputed} (the event was altered)",
                    lineNumber, e.Sequence));
            }
            if (strict)
            {
                if (canonicalLine is null)
                {
                    problems.Add(new EvidenceProblem(canonicalFile, "has no line for this event", lineNumber, e.Sequence));
                }
                else
                {
                    var lineHash = Convert.ToHexStringLower(SHA256.HashData(canonicalLine));
                    if (lineHash != statedHash)
                    {
                        problems.Add(new EvidenceProblem(canonicalFile, $"SHA-256 of the line is {lineHash}, but the event's hash is {statedHash}", lineNumber, e.Sequence));
                    }
                    if (!canonicalLine.AsSpan().SequenceEqual(canonicalForm))
                    {
                        problems.Add(new EvidenceProblem(canonicalFile,
                            $"is not the canonical form of the event on line {lineNumber} of {file}: the two files disagree", lineNumber, e.Sequence));
                    }
                }
            }
            if (problems.Count > problemsBefore)
            {
                firstBadLine ??= lineNumber;
            }
            if (wanted.Contains(e.Sequence))
            {
                hashes.TryAdd(e.Sequence, statedHash);
            }
            previousHash = statedHash;
            lastSequence = e.Sequence;
            expected = e.Sequence + 1;
        }
        if (strict)
        {
            var extra = 0;
            while (canonical.MoveNext())
            {
                extra++;
            }
            if (extra > 0 || (canonicalLines < count && entries.ContainsKey(canonicalFile)))
            {
                problems.Add(new EvidenceProblem(canonicalFile, $"has {canonicalLines + extra} lines, but {file} has {count}: one line per event in each"));
                if (extra > 0)
                {
                    firstBadLine ??= lineNumber + 1;
                }
            }
        }

        var startsAt = head?.FirstSequence ?? first;
        long? firstBad = firstBadLine is { } bad && startsAt is { } origin ? origin + bad - 1 : null;
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
                if (lastSequence is { } end && last.Sequence > end)
                {
                    firstBad ??= end + 1; // events cut from the end
                }
            }
            if (head.Last is null && count > 0)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"names no last event, but {file} has {count} lines"));
            }
            if (head.Live is { } live && lastSequence is { } final)
            {
                if (live.Sequence < final)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"the live head (sequence {live.Sequence}) is before the package's last event ({final})"));
                }
                else if (live.Sequence == final && previousHash is not null && live.Hash != previousHash)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.ChainHead, $"the live head is sequence {final} with hash {live.Hash}, but the package's event {final} has hash {previousHash}"));
                }
            }
        }
        return new ChainResult(count, first, lastSequence, previousHash, firstBad, hashes);
    }

    /// <summary>
    /// The lines of a file, split at line feeds only (a carriage return stays in its line, where it is wrong), as bytes, read in
    /// pieces. With <paramref name="strictFile"/>, a last line without its line feed is reported.
    /// </summary>
    private static IEnumerable<byte[]> Lines(ZipArchiveEntry entry, string? strictFile, List<EvidenceProblem> problems)
    {
        using var stream = entry.Open();
        var buffer = new byte[65536];
        var line = new MemoryStream();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    line.Write(buffer, start, i - start);
                    yield return line.ToArray();
                    line.SetLength(0);
                    start = i + 1;
                }
            }
            line.Write(buffer, start, read - start);
        }
        if (line.Length > 0)
        {
            if (strictFile is not null)
            {
                problems.Add(new EvidenceProblem(strictFile, "the last line does not end with a line feed"));
            }
            yield return line.ToArray();
        }
    }

    /// <summary>What the checkpoints showed: how many agree with the events, and the first forged range when one does not.</summary>
    private sealed record CheckpointResult(int Agreeing, (long From, long To)? ForgedRange);

    /// <summary>
    /// Each checkpoint of the manifest: its files are its signed text and signature, its signature verifies with a key given (or,
    /// with none given, the package's own), and — for one whose sequence is among the package's events — its hash is that event's.
    /// Only the first checkpoint after the package's last event may lie outside them.
    /// </summary>
    private static CheckpointResult CheckCheckpoints(Dictionary<string, ZipArchiveEntry> entries, Manifest? manifest, ChainResult chain, Signer signer,
        bool keysGiven, List<EvidenceProblem> problems, List<string> warnings)
    {
        if (manifest?.Format != EvidencePackage.Format)
        {
            return new CheckpointResult(0, null);
        }
        if (manifest.Checkpoints is null)
        {
            problems.Add(new EvidenceProblem(EvidencePackage.Manifest, "has no \"checkpoints\" list"));
            return new CheckpointResult(0, null);
        }
        var files = new HashSet<string>(StringComparer.Ordinal);
        var agreeing = 0;
        var after = 0;
        long? previous = null;
        var lastGood = chain.First is { } start ? start - 1 : 0;
        (long From, long To)? forged = null;
        foreach (var c in manifest.Checkpoints)
        {
            var where = $"checkpoint {c.Sequence}";
            if (previous is { } p && c.Sequence <= p)
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"{where} follows checkpoint {p}: the checkpoints are not in increasing sequence order"));
            }
            previous = c.Sequence;
            CheckpointFile(EvidencePackage.CheckpointText(c.Sequence), Encoding.UTF8.GetBytes(c.Text), "signed text");
            CheckpointFile(EvidencePackage.CheckpointSignature(c.Sequence), c.Signature, "signature");

            if (signer.CheckpointKeys.FirstOrDefault(k => k.KeyId == c.KeyId) is not { } key)
            {
                if (keysGiven)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.Manifest,
                        $"{where} is signed with key {c.KeyId}, which you did not give: give the public key of a rotated key with another --public-key"));
                }
                else
                {
                    warnings.Add($"{where} is signed with key {c.KeyId}, not the package's: give its public key to check it");
                }
            }
            else if (!c.IsSignedBy(key))
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"{where}: the signature does not verify with key {key.KeyId}: the checkpoint was forged or altered"));
            }

            if (chain.First is { } first && chain.Last is { } last && c.Sequence >= first && c.Sequence <= last)
            {
                if (!chain.Hashes.TryGetValue(c.Sequence, out var actual))
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.AuditEvents, $"{where}: the package's event {c.Sequence} cannot be read", Sequence: c.Sequence));
                }
                else if (actual != c.Hash)
                {
                    var range = (From: lastGood + 1, To: c.Sequence);
                    problems.Add(new EvidenceProblem(EvidencePackage.AuditEvents,
                        $"{where} signed hash {c.Hash}, but the package's event {c.Sequence} has hash {actual}: the events were rewritten after the checkpoint " +
                        (forged is null
                            ? $"was signed; the first forged range is sequences {range.From}–{range.To} (after the last checkpoint that agrees, up to this one)"
                            : "was signed"),
                        Sequence: c.Sequence));
                    forged ??= range;
                }
                else
                {
                    agreeing++;
                    lastGood = c.Sequence;
                }
            }
            else if (chain.Last is { } end && c.Sequence > end)
            {
                // The first checkpoint after the range ties the package to the later trail; offline only its signature can be checked.
                if (++after > 1)
                {
                    problems.Add(new EvidenceProblem(EvidencePackage.Manifest, $"{where} is the {after}th checkpoint after the package's events: a package carries only the first"));
                }
            }
            else
            {
                problems.Add(new EvidenceProblem(EvidencePackage.Manifest, chain.First is null
                    ? $"{where}: the package has no readable event, so it carries no checkpoint"
                    : $"{where} lies before the package's events (from sequence {chain.First})"));
            }
        }
        foreach (var name in entries.Keys.Where(n => n.StartsWith(EvidencePackage.CheckpointFolder, StringComparison.Ordinal) && !files.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add(new EvidenceProblem(name, "is not the signed text or signature of a checkpoint the manifest carries"));
        }
        return new CheckpointResult(agreeing, forged);

        void CheckpointFile(string name, byte[] expected, string what)
        {
            files.Add(name);
            if (!entries.TryGetValue(name, out var entry))
            {
                problems.Add(new EvidenceProblem(name, $"is missing: the {what} of the manifest's checkpoint"));
            }
            else if (!Bytes(entry).AsSpan().SequenceEqual(expected))
            {
                problems.Add(new EvidenceProblem(name, $"is not the {what} of the manifest's checkpoint"));
            }
        }
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
            e.Hash = hash;
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
