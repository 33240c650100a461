using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Tests.Shared;

/// <summary>Takes an evidence package apart and puts it back together, in memory, as someone tampering with a copy would.</summary>
public static class EvidenceZip
{
    public static List<(string Name, byte[] Bytes)> Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return (e.FullName, buffer.ToArray());
        }).ToList();
    }

    /// <summary>A zip of the entries, stored uncompressed (a tampered copy need not be small, and a thousand of them must be quick).</summary>
    public static byte[] Write(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }

    public static byte[] File(byte[] zip, string name) => Read(zip).Single(e => e.Name == name).Bytes;

    public static string Text(byte[] zip, string name) => Encoding.UTF8.GetString(File(zip, name));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The package with one file replaced; with <paramref name="fixManifest"/>, SHA256SUMS and the manifest are rewritten to
    /// match (and the manifest re-signed by <paramref name="resignWith"/> when given), so that only the other checks can tell.
    /// </summary>
    public static byte[] Replace(byte[] zip, string name, Func<byte[], byte[]> change, bool fixManifest = false, AuditSigningKey? resignWith = null)
    {
        var entries = Read(zip).Select(e => e.Name == name ? (e.Name, change(e.Bytes)) : e).ToList();
        return Write(fixManifest ? FixManifest(entries, resignWith) : entries);
    }

    /// <summary>
    /// The lines of <c>audit-events.jsonl</c> and, line for line, of <c>audit-events.canonical</c> changed the same way (a
    /// line's JSON edited through <see cref="JsonNode"/> keeps its other bytes), with SHA256SUMS and the manifest fixed to match
    /// and re-signed by <paramref name="resignWith"/> when given.
    /// </summary>
    public static byte[] ChangeEvents(byte[] zip, Func<List<string>, List<string>> change, AuditSigningKey? resignWith = null, bool canonicalToo = true)
    {
        static byte[] Lines(byte[] bytes, Func<List<string>, List<string>> change) =>
            Encoding.UTF8.GetBytes(string.Concat(change(Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()).Select(l => l + "\n")));
        var entries = Read(zip).Select(e => e.Name == EvidencePackage.AuditEvents || (canonicalToo && e.Name == EvidencePackage.AuditEventsCanonical)
            ? (e.Name, Lines(e.Bytes, change))
            : e).ToList();
        return Write(FixManifest(entries, resignWith));
    }

    /// <summary>
    /// History rewritten as a database owner would: the event on line <paramref name="index"/> (0-based) edited by
    /// <paramref name="edit"/> in both event files (a top-level field), then every hash from it on recomputed from the canonical
    /// lines, each link followed, and chain-head.json's last hash updated — a chain consistent in itself. SHA256SUMS, the manifest
    /// and its signature are left to <see cref="FixManifest"/>.
    /// </summary>
    public static List<(string Name, byte[] Bytes)> Rechain(List<(string Name, byte[] Bytes)> entries, int index, Action<JsonNode> edit)
    {
        List<string> LinesOf(string name) => Encoding.UTF8.GetString(entries.Single(e => e.Name == name).Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var events = LinesOf(EvidencePackage.AuditEvents);
        var canonical = LinesOf(EvidencePackage.AuditEventsCanonical);
        string? previous = null;
        for (var i = index; i < events.Count; i++)
        {
            var e = JsonNode.Parse(events[i])!;
            var c = JsonNode.Parse(canonical[i])!;
            if (i == index)
            {
                edit(e);
                edit(c);
            }
            else
            {
                e["previousHash"] = previous;
                c["previousHash"] = previous;
            }
            canonical[i] = c.ToJsonString();
            previous = Sha256(Encoding.UTF8.GetBytes(canonical[i]));
            e["hash"] = previous;
            events[i] = e.ToJsonString();
        }
        var head = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.ChainHead).Bytes)!;
        head["last"]!["hash"] = previous;
        if ((long?)head["liveHead"]!["sequence"] == (long?)head["last"]!["sequence"])
        {
            head["liveHead"]!["hash"] = previous;
        }
        return entries.Select(e => e.Name switch
        {
            EvidencePackage.AuditEvents => (e.Name, Encoding.UTF8.GetBytes(string.Concat(events.Select(l => l + "\n")))),
            EvidencePackage.AuditEventsCanonical => (e.Name, Encoding.UTF8.GetBytes(string.Concat(canonical.Select(l => l + "\n")))),
            EvidencePackage.ChainHead => (e.Name, Encoding.UTF8.GetBytes(head.ToJsonString())),
            _ => e,
        }).ToList();
    }

    /// <summary>
    /// SHA256SUMS and every file's size and SHA-256 in the manifest recomputed; with <paramref name="resignWith"/>, the manifest
    /// then names that key and carries its signature (a forger's own key, or — to test the other checks alone — the real one).
    /// </summary>
    public static List<(string Name, byte[] Bytes)> FixManifest(List<(string Name, byte[] Bytes)> entries, AuditSigningKey? resignWith = null)
    {
        var manifest = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        var files = manifest["files"]!.AsArray();
        byte[] BytesOf(string name) => entries.Single(e => e.Name == name).Bytes;
        if (entries.Any(e => e.Name == EvidencePackage.Checksums))
        {
            var sums = string.Concat(files.Select(f => (string)f!["name"]!).Where(n => n != EvidencePackage.Checksums)
                .Select(n => $"{Sha256(BytesOf(n))}  {n}\n"));
            entries = entries.Select(e => e.Name == EvidencePackage.Checksums ? (e.Name, Encoding.UTF8.GetBytes(sums)) : e).ToList();
        }
        foreach (var file in files)
        {
            var bytes = BytesOf((string)file!["name"]!);
            file["size"] = bytes.Length;
            file["sha256"] = Sha256(bytes);
        }
        if (resignWith is not null)
        {
            manifest["signingKey"] = new JsonObject { ["keyId"] = resignWith.KeyId, ["algorithm"] = EvidencePackage.SignatureAlgorithm, ["publicKeyPem"] = resignWith.PublicKeyPem };
        }
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        return entries.Select(e => e.Name switch
        {
            EvidencePackage.Manifest => (e.Name, manifestBytes),
            EvidencePackage.ManifestSignature when resignWith is not null => (e.Name, resignWith.Sign(manifestBytes)),
            _ => e,
        }).ToList();
    }

    public static EvidenceVerification Verify(byte[] zip, params AuditSigningKey[] keys) => EvidenceVerifier.Verify(new MemoryStream(zip), keys);
}
