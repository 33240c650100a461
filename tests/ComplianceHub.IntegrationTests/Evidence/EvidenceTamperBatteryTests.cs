using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Security;
using ComplianceHub.Tests.Shared;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>
/// The tamper battery for evidence packages (issue 19): a thousand seeded random tamperings of one real signed package, each
/// in memory — any byte of any file changed, a file removed or added, the manifest re-signed with another key (every hash
/// fixed, even the history rewritten and re-checkpointed with that key), an event changed with the manifest's hashes fixed but
/// not its signature, the history rewritten from an event on, two event lines swapped, the last events dropped — every one
/// detected by the verifier given the portal's public key, and the first bad sequence named where an event was touched.
/// Set TAMPER_SEED to replay a run; a failure prints its seed.
/// </summary>
public sealed class EvidenceTamperBatteryTests(SignedPackageFixture package, ITestOutputHelper output) : IClassFixture<SignedPackageFixture>
{
    private const int Trials = 1000;
    private static readonly string[] TextFields = ["actorName", "operation", "subjectId", "correlationId", "authenticationMethod", "actorRole"];
    /// <summary>A forger's own key (each trial reads its own instance: trials run on every core).</summary>
    private static readonly string ForgerPem = NewKeyPem();

    private static string NewKeyPem()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportPkcs8PrivateKeyPem();
    }

    private static EvidenceVerification Verify(byte[] zip) => EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);

    [Fact]
    public void ThePackage_Verifies_WithItsCheckpoints_AndTheOneAfterTheRange()
    {
        var result = Verify(package.Zip);
        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal(EvidenceSignature.Verified, result.Signature);
        Assert.Equal(package.Checkpoints.Count, result.CheckpointsAgreeing);
        var manifest = JsonNode.Parse(EvidenceZip.File(package.Zip, EvidencePackage.Manifest))!;
        Assert.Equal([.. package.Checkpoints, package.CheckpointAfterRange], manifest["checkpoints"]!.AsArray().Select(c => (long)c!["sequence"]!));
        Assert.True(package.Sequences.Count > 40, $"{package.Sequences.Count} events");
        Assert.Equal(package.Checkpoints[^1], package.Sequences[^1]);
    }

    [Fact]
    public void AThousandRandomTamperings_AreAllDetected_AndNameTheFirstBadSequence()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TAMPER_SEED"), CultureInfo.InvariantCulture, out var given) ? given : Random.Shared.Next();
        // Each trial draws from its own seed, taken in order from the run's: a trial is the same whichever core runs it.
        var random = new Random(seed);
        var trialSeeds = Enumerable.Range(0, Trials).Select(_ => random.Next()).ToArray();
        var kinds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<(int Trial, string Message)>();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Trials, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, trial =>
        {
            using var forger = AuditSigningKey.FromPem(ForgerPem);
            using var publicKey = AuditSigningKey.FromPem(PortalFactory.TestKeys.PublicKey.PublicKeyPem);
            var tampering = Tamper(new Random(trialSeeds[trial]), forger);
            kinds.AddOrUpdate(tampering.Kind, 1, (_, n) => n + 1);
            var result = EvidenceZip.Verify(tampering.Zip, publicKey);
            void Fail(string what) => failures.Enqueue((trial, $"{what} — seed {seed} (TAMPER_SEED={seed} replays it), trial {trial}, {tampering.Kind}: " +
                $"first bad sequence {result.FirstBadSequence}, forged range {result.FirstForgedRange}; problems: {string.Join(" | ", result.Problems.Take(6))}"));
            if (result.Valid)
            {
                Fail("NOT DETECTED");
            }
            if (tampering.FirstBadSequence is { } bad && result.FirstBadSequence != bad)
            {
                Fail($"expected the first bad sequence {bad}");
            }
            if (tampering.ForgedSequence is { } forged && !(result.FirstForgedRange is { } range && range.From <= forged && forged <= range.To))
            {
                Fail($"expected a forged range holding sequence {forged}");
            }
            if (tampering.OtherSigner && !result.Problems.Any(p => p.Message.StartsWith($"signed with key {forger.KeyId}, not with the key you gave", StringComparison.Ordinal)))
            {
                Fail("expected the other signer named");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f.Trial).Take(10).Select(f => f.Message)));
        output.WriteLine($"seed {seed}: {Trials} tamperings of a package of {package.Entries.Count} files and {package.Sequences.Count} events, " +
                         $"all detected in {clock.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores: " +
                         string.Join(", ", kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
    }

    [Fact]
    public void ADamagedZip_IsReportedAsAProblem_NotThrown()
    {
        // Stored uncompressed, so the findings' bytes are in the zip as they are: one flipped there fails the entry's CRC.
        var zip = EvidenceZip.Write(package.Entries);
        var findings = package.Entries.Single(e => e.Name == EvidencePackage.Findings).Bytes;
        var at = zip.AsSpan().IndexOf(findings) + findings.Length / 2;
        zip[at] ^= 0x20;
        var result = Verify(zip);
        Assert.False(result.Valid);
        Assert.Contains(result.Problems, p => p.File == "(package)" || p.File == EvidencePackage.Findings);
    }

    /// <summary>What a trial did, and what the verifier must say besides "not valid".</summary>
    private sealed record Tampering(string Kind, byte[] Zip, long? FirstBadSequence = null, long? ForgedSequence = null, bool OtherSigner = false);

    private Tampering Tamper(Random random, AuditSigningKey forger)
    {
        var entries = package.Entries.ToList();
        var n = package.Sequences.Count;
        var roll = random.Next(100);
        switch (roll)
        {
            case < 40:
            {
                // Any byte of any file (the manifest and its signature included) changed to any other value.
                int index;
                do
                {
                    index = random.Next(entries.Count);
                }
                while (entries[index].Bytes.Length == 0);
                var (name, bytes) = entries[index];
                var changed = (byte[])bytes.Clone();
                var at = random.Next(changed.Length);
                changed[at] ^= (byte)random.Next(1, 256);
                entries[index] = (name, changed);
                long? line = name is EvidencePackage.AuditEvents or EvidencePackage.AuditEventsCanonical ? package.Sequences[bytes.AsSpan(0, at).Count((byte)'\n')] : null;
                return new Tampering($"byte of {Kind(name)}", EvidenceZip.Write(entries), line);
            }
            case < 48:
            {
                var index = random.Next(entries.Count);
                var name = entries[index].Name;
                entries.RemoveAt(index);
                return new Tampering($"removed {Kind(name)}", EvidenceZip.Write(entries));
            }
            case < 56:
            {
                string[] names = ["notes.txt", "checkpoints/999999.txt", $"checkpoints/{package.Sequences[random.Next(n)]}.sig", "verify.sh",
                    entries[random.Next(entries.Count)].Name];
                var name = names[random.Next(names.Length)];
                entries.Insert(random.Next(entries.Count + 1), (name, RandomNumberGenerator.GetBytes(random.Next(1, 200))));
                return new Tampering(name.Contains('/') ? "added checkpoint file" : entries.Count(e => e.Name == name) > 1 ? "added duplicate" : "added file",
                    EvidenceZip.Write(entries));
            }
            case < 66:
            {
                // Re-signed with another key, every hash fixed; half the time the history is rewritten first and every checkpoint
                // re-signed with that key too (the forger's whole package is consistent: only the key given catches it).
                if (random.Next(2) == 0)
                {
                    return new Tampering("re-signed by another key", EvidenceZip.Write(EvidenceZip.FixManifest(entries, forger)), OtherSigner: true);
                }
                var k = random.Next(n);
                entries = ResignCheckpoints(EvidenceZip.Rechain(entries, k, Edit(random)), forger);
                return new Tampering("history rewritten, checkpoints and manifest re-signed by another key", EvidenceZip.Write(EvidenceZip.FixManifest(entries, forger)),
                    OtherSigner: true);
            }
            case < 78:
            {
                // One event changed — in both event files, or in audit-events.jsonl only — and the manifest's hashes fixed, not its signature.
                var k = random.Next(n);
                var edit = Edit(random);
                var both = random.Next(2) == 0;
                entries = Lines(entries, EvidencePackage.AuditEvents, lines => lines[k] = Edited(lines[k], edit));
                if (both)
                {
                    entries = Lines(entries, EvidencePackage.AuditEventsCanonical, lines => lines[k] = Edited(lines[k], edit));
                }
                return new Tampering(both ? "event changed, manifest fixed" : "event changed in the JSON lines only, manifest fixed",
                    EvidenceZip.Write(EvidenceZip.FixManifest(entries)), package.Sequences[k]);
            }
            case < 86:
            {
                // The history rewritten from an event on with every hash recomputed, the manifest's hashes fixed, not its signature:
                // the checkpoint at or after the event no longer agrees.
                var k = random.Next(n);
                return new Tampering("history rewritten, manifest fixed", EvidenceZip.Write(EvidenceZip.FixManifest(EvidenceZip.Rechain(entries, k, Edit(random)))),
                    ForgedSequence: package.Sequences[k]);
            }
            case < 94:
            {
                var i = random.Next(n - 1);
                var j = random.Next(i + 1, n);
                var both = random.Next(2) == 0;
                void Swap(List<string> lines) => (lines[i], lines[j]) = (lines[j], lines[i]);
                entries = Lines(entries, EvidencePackage.AuditEvents, Swap);
                if (both)
                {
                    entries = Lines(entries, EvidencePackage.AuditEventsCanonical, Swap);
                }
                var fixedManifest = random.Next(2) == 0;
                return new Tampering($"two event lines swapped{(both ? " in both files" : "")}{(fixedManifest ? ", manifest fixed" : "")}",
                    EvidenceZip.Write(fixedManifest ? EvidenceZip.FixManifest(entries) : entries), package.Sequences[i]);
            }
            default:
            {
                var dropped = random.Next(1, Math.Min(6, n));
                void Drop(List<string> lines) => lines.RemoveRange(lines.Count - dropped, dropped);
                entries = Lines(Lines(entries, EvidencePackage.AuditEvents, Drop), EvidencePackage.AuditEventsCanonical, Drop);
                return new Tampering("last events dropped, manifest fixed", EvidenceZip.Write(EvidenceZip.FixManifest(entries)), package.Sequences[n - dropped]);
            }
        }
    }

    private static string Kind(string name) => name.StartsWith(EvidencePackage.CheckpointFolder, StringComparison.Ordinal) ? "a checkpoint file" : name;

    /// <summary>A change to one top-level field of an event: a text field, the event type, or the time.</summary>
    private static Action<JsonNode> Edit(Random random)
    {
        var field = TextFields[random.Next(TextFields.Length)];
        return random.Next(3) switch
        {
            0 => e => e["eventType"] = (int)e["eventType"]! + 1,
            1 => e => e["occurredAt"] = ((string)e["occurredAt"]!)[..^2] + (((string)e["occurredAt"]!)[^2] == '0' ? "1Z" : "0Z"),
            _ => e => e[field] = (string?)e[field] + "x",
        };
    }

    private static string Edited(string line, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(line)!;
        edit(node);
        return node.ToJsonString();
    }

    private static List<(string Name, byte[] Bytes)> Lines(List<(string Name, byte[] Bytes)> entries, string file, Action<List<string>> change) =>
        entries.Select(e =>
        {
            if (e.Name != file)
            {
                return e;
            }
            var lines = Encoding.UTF8.GetString(e.Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            change(lines);
            return (e.Name, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }).ToList();

    /// <summary>Every checkpoint of the manifest signed again by <paramref name="key"/> for the hashes the package's events now have.</summary>
    private static List<(string Name, byte[] Bytes)> ResignCheckpoints(List<(string Name, byte[] Bytes)> entries, AuditSigningKey key)
    {
        var hashes = Encoding.UTF8.GetString(entries.Single(e => e.Name == EvidencePackage.AuditEvents).Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToDictionary(e => (long)e["sequence"]!, e => (string)e["hash"]!);
        var manifest = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        var resigned = manifest["checkpoints"]!.AsArray().Select(c => ChainCheckpoint.FromJsonLine(c!.ToJsonString())!)
            .Select(c => ChainCheckpoint.Sign(key, c.Sequence, hashes.GetValueOrDefault(c.Sequence, c.Hash), c.SignedAt)).ToList();
        manifest["checkpoints"] = new JsonArray([.. resigned.Select(c => JsonNode.Parse(c.ToJsonLine()))]);
        var files = resigned.SelectMany(c => new[]
        {
            (EvidencePackage.CheckpointText(c.Sequence), Encoding.UTF8.GetBytes(c.Text)),
            (EvidencePackage.CheckpointSignature(c.Sequence), c.Signature),
        }).ToDictionary(f => f.Item1, f => f.Item2);
        return entries.Select(e => e.Name == EvidencePackage.Manifest ? (e.Name, Encoding.UTF8.GetBytes(manifest.ToJsonString()))
            : files.TryGetValue(e.Name, out var bytes) ? (e.Name, bytes) : e).ToList();
    }
}
