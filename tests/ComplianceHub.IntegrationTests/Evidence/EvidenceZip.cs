using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Evidence;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>Takes a downloaded package apart and puts it back together, as someone tampering with a copy would.</summary>
internal static class EvidenceZip
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

    public static byte[] Write(IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }

    public static byte[] File(byte[] zip, string name) => Read(zip).Single(e => e.Name == name).Bytes;

    public static string Text(byte[] zip, string name) => Encoding.UTF8.GetString(File(zip, name));

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The package with one file replaced; with <paramref name="fixManifest"/>, the manifest is rewritten to match (so only the chain can tell).</summary>
    public static byte[] Replace(byte[] zip, string name, Func<byte[], byte[]> change, bool fixManifest = false)
    {
        var entries = Read(zip).Select(e => e.Name == name ? (e.Name, change(e.Bytes)) : e).ToList();
        return Write(fixManifest ? FixManifest(entries) : entries);
    }

    /// <summary>The lines of <c>audit-events.jsonl</c> changed, with the manifest fixed to match.</summary>
    public static byte[] ChangeEvents(byte[] zip, Func<List<string>, List<string>> change) =>
        Replace(zip, EvidencePackage.AuditEvents, bytes =>
        {
            var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            return Encoding.UTF8.GetBytes(string.Concat(change(lines).Select(l => l + "\n")));
        }, fixManifest: true);

    public static List<(string Name, byte[] Bytes)> FixManifest(List<(string Name, byte[] Bytes)> entries)
    {
        var manifest = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        foreach (var file in manifest["files"]!.AsArray())
        {
            var bytes = entries.Single(e => e.Name == (string)file!["name"]!).Bytes;
            file!["size"] = bytes.Length;
            file["sha256"] = Sha256(bytes);
        }
        return entries.Select(e => e.Name == EvidencePackage.Manifest ? (e.Name, Encoding.UTF8.GetBytes(manifest.ToJsonString())) : e).ToList();
    }

    public static EvidenceVerification Verify(byte[] zip) => EvidenceVerifier.Verify(new MemoryStream(zip));
}
