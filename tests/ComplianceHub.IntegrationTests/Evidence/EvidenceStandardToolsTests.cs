using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Tests.Shared;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>
/// An outside auditor's verification of a real signed package, with nothing from ComplianceHub but the package: the exact
/// commands of docs/audit/evidence-package.md (python3, openssl, sha256sum) give the output the page shows, and fail on
/// tampered copies; verify.py names an altered event and a forged range, and prints the OpenSSL commands when OpenSSL is
/// missing; and the standalone verifier, published by scripts/publish-verifier.sh, verifies the package.
/// </summary>
public sealed partial class EvidenceStandardToolsTests(SignedPackageFixture package, ITestOutputHelper output) : IClassFixture<SignedPackageFixture>, IDisposable
{
    private const string Document = "docs/audit/evidence-package.md";
    private const string ZipName = "evidence-20261101-20261128.zip";
    private const string KeyName = "audit-signing.pub.pem";
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("evidence-tools-");

    public void Dispose() => work.Delete(recursive: true);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ComplianceHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("ComplianceHub.sln not found above the test binaries.");
    }

    /// <summary>The documented commands, each with the output the document shows.</summary>
    private static List<(string Command, List<string> Expected)> DocumentedSteps()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), Document));
        var block = StepsBlock().Match(text);
        Assert.True(block.Success, $"{Document} has no console block between the auditor-steps markers");
        var steps = new List<(string, List<string>)>();
        foreach (var line in block.Groups[1].Value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps.Add((line[2..], []));
            }
            else
            {
                steps[^1].Item2.Add(line);
            }
        }
        return steps;
    }

    /// <summary>Runs the commands one after the other in one shell, in a folder holding the package and the key, as the document says.</summary>
    private List<(string Command, int Code, List<string> Output)> Run(byte[] zip, IEnumerable<string> commands)
    {
        var folder = work.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(Path.Combine(folder.FullName, ZipName), zip);
        File.Copy(PortalFactory.TestKeys.PublicKeyFile, Path.Combine(folder.FullName, KeyName));
        var list = commands.ToList();
        var script = new StringBuilder("cd \"$1\"\n");
        for (var i = 0; i < list.Count; i++)
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo '@@@ {i}'\n{list[i]} 2>&1\necho \"@@@ rc $?\"\n");
        }
        var (_, stdout) = Process("bash", ["-c", script.ToString(), "steps", folder.FullName]);
        var results = new List<(string, int, List<string>)>();
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var start = lines.IndexOf($"@@@ {i}");
            var end = lines.FindIndex(start + 1, l => l.StartsWith("@@@ rc ", StringComparison.Ordinal));
            Assert.True(start >= 0 && end > start, $"step {i} did not run:\n{stdout}");
            results.Add((list[i], int.Parse(lines[end][7..], System.Globalization.CultureInfo.InvariantCulture), lines[(start + 1)..end]));
        }
        foreach (var (command, code, said) in results)
        {
            output.WriteLine($"$ {command}   (exit {code})\n{string.Join("\n", said)}");
        }
        return results;
    }

    private static (int Code, string Output) Process(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"{file} did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// The document's expected output against what the command printed: equal line for line, where "…" in a line stands for
    /// any text and a line that is only "…" for any number of lines.
    /// </summary>
    private static bool Matches(IReadOnlyList<string> expected, IReadOnlyList<string> actual, int e = 0, int a = 0)
    {
        if (e == expected.Count)
        {
            return a == actual.Count;
        }
        if (expected[e] == "…")
        {
            return Enumerable.Range(a, actual.Count - a + 1).Any(next => Matches(expected, actual, e + 1, next));
        }
        return a < actual.Count
               && Regex.IsMatch(actual[a], "^" + Regex.Escape(expected[e]).Replace("…", ".*", StringComparison.Ordinal) + "$")
               && Matches(expected, actual, e + 1, a + 1);
    }

    [Fact]
    public void TheDocumentedCommands_GiveTheDocumentedOutput_OnABuiltPackage()
    {
        var steps = DocumentedSteps();
        Assert.Contains(steps, s => s.Command.StartsWith("openssl dgst -sha256 -verify", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.StartsWith("sha256sum -c", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Command.StartsWith("python3 verify.py", StringComparison.Ordinal));
        var results = Run(package.Zip, steps.Select(s => s.Command));
        for (var i = 0; i < steps.Count; i++)
        {
            Assert.True(results[i].Code == 0, $"`{steps[i].Command}` exited {results[i].Code}:\n{string.Join("\n", results[i].Output)}");
            Assert.True(Matches(steps[i].Expected, results[i].Output),
                $"`{steps[i].Command}` printed\n{string.Join("\n", results[i].Output)}\nbut {Document} shows\n{string.Join("\n", steps[i].Expected)}");
        }
        // The id OpenSSL computes from the key given is the manifest's signing key id, and the portal's.
        var keyId = PortalFactory.TestKeys.PublicKey.KeyId;
        Assert.Equal($"{keyId}  -", Assert.Single(results.Single(r => r.Command.StartsWith("openssl pkey", StringComparison.Ordinal)).Output));
        Assert.Equal($"\"keyId\": \"{keyId}\"", Assert.Single(results.Single(r => r.Command.StartsWith("grep", StringComparison.Ordinal)).Output));
        // Every checkpoint's signature was checked by OpenSSL.
        var python = results.Single(r => r.Command.StartsWith("python3 verify.py", StringComparison.Ordinal)).Output;
        foreach (var sequence in package.Checkpoints.Append(package.CheckpointAfterRange))
        {
            Assert.Contains($"openssl: checkpoints/{sequence}.sig: Verified OK", python);
        }
    }

    [Fact]
    public void TheDocumentedCommands_Fail_OnTamperedPackages()
    {
        var steps = DocumentedSteps().Select(s => s.Command).ToList();
        int Code(List<(string Command, int Code, List<string> Output)> results, string start) =>
            results.Single(r => r.Command.StartsWith(start, StringComparison.Ordinal)).Code;
        List<string> Said(List<(string Command, int Code, List<string> Output)> results, string start) =>
            results.Single(r => r.Command.StartsWith(start, StringComparison.Ordinal)).Output;

        // A byte of findings.json changed: the signature still holds (the manifest is untouched), the file's checksum does not.
        var file = Run(EvidenceZip.Replace(package.Zip, EvidencePackage.Findings, b => [.. b[..^1], (byte)(b[^1] ^ 1)]), steps);
        Assert.Equal(0, Code(file, "openssl dgst"));
        Assert.Equal(1, Code(file, "sha256sum -c"));
        Assert.Contains("findings.json: FAILED", Said(file, "sha256sum -c"));
        Assert.Equal(1, Code(file, "python3 verify.py"));
        Assert.Contains(Said(file, "python3 verify.py"), l => l.StartsWith("  - findings.json: SHA-256 does not match the manifest", StringComparison.Ordinal));

        // An event changed in both event files, SHA256SUMS and the manifest's hashes fixed, but not its signature.
        var k = package.Sequences.Count / 2;
        var events = Run(EvidenceZip.ChangeEvents(package.Zip, l =>
        {
            var e = JsonNode.Parse(l[k])!;
            e["actorName"] = "Mallory";
            l[k] = e.ToJsonString();
            return l;
        }), steps);
        Assert.Equal(0, Code(events, "sha256sum -c"));
        Assert.Equal(1, Code(events, "openssl dgst"));
        Assert.Equal("Verification failure", Said(events, "openssl dgst")[0]);
        Assert.Equal(1, Code(events, "python3 verify.py"));
        var said = Said(events, "python3 verify.py");
        Assert.Contains($"first bad sequence: {package.Sequences[k]}", said);
        Assert.Contains(said, l => l.StartsWith($"  - audit-events.jsonl line {k + 1} (sequence {package.Sequences[k]}): SHA-256 of the canonical line is", StringComparison.Ordinal));
        Assert.Contains(said, l => l.StartsWith("  - manifest.sig: not a valid signature of manifest.json", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyPy_NamesTheFirstForgedRange_OfAHistoryRewrittenAndResigned()
    {
        // The trail rewritten from an event on, every hash recomputed, the package signed again with the real key (as the
        // portal would sign a package built from a rewritten trail): only the checkpoints tell.
        var k = package.Sequences.Count / 3;
        var entries = EvidenceZip.Rechain(package.Entries.ToList(), k, e => e["actorName"] = "Mallory");
        var forged = EvidenceZip.Write(EvidenceZip.FixManifest(entries, PortalFactory.TestKeys.SigningKey));
        var results = Run(forged, DocumentedSteps().Select(s => s.Command));
        Assert.Equal("Verified OK", results.Single(r => r.Command.StartsWith("openssl dgst", StringComparison.Ordinal)).Output[0]);
        var python = results.Single(r => r.Command.StartsWith("python3 verify.py", StringComparison.Ordinal));
        Assert.Equal(1, python.Code);
        var lastGood = package.Checkpoints.Where(c => c < package.Sequences[k]).DefaultIfEmpty(package.Sequences[0] - 1).Max();
        var firstBad = package.Checkpoints.First(c => c >= package.Sequences[k]);
        Assert.Contains($"first forged range: sequences {lastGood + 1}-{firstBad}", python.Output);
        var verified = EvidenceZip.Verify(forged, PortalFactory.TestKeys.PublicKey);
        Assert.Equal((lastGood + 1, firstBad), verified.FirstForgedRange);
    }

    [Fact]
    public void VerifyPy_WithoutOpenSsl_PrintsTheCommandsToRun_AndWithoutAKey_SaysItShowsIntegrityOnly()
    {
        var folder = work.CreateSubdirectory("unpacked");
        foreach (var (name, bytes) in package.Entries)
        {
            var path = Path.Combine(folder.FullName, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        var (code, python) = Process("python3", ["-c", "import sys; print(sys.executable)"]);
        Assert.Equal(0, code);
        // A PATH without openssl: the interpreter itself, by its full path.
        var (withoutCode, without) = Process(python.Trim(), [Path.Combine(folder.FullName, "verify.py"), "--public-key", PortalFactory.TestKeys.PublicKeyFile],
            new Dictionary<string, string> { ["PATH"] = work.CreateSubdirectory("empty-bin").FullName });
        Assert.True(withoutCode == 3, without);
        Assert.Contains("NOT FINISHED: OpenSSL is not installed here", without, StringComparison.Ordinal);
        Assert.Contains($"  openssl dgst -sha256 -verify {PortalFactory.TestKeys.PublicKeyFile} -signature manifest.sig manifest.json", without, StringComparison.Ordinal);
        Assert.Contains($"-signature checkpoints/{package.CheckpointAfterRange}.sig checkpoints/{package.CheckpointAfterRange}.txt", without, StringComparison.Ordinal);

        var (noKeyCode, noKey) = Process("python3", [Path.Combine(folder.FullName, "verify.py")]);
        Assert.True(noKeyCode == 0, noKey);
        Assert.Contains("warning: no --public-key given: the signatures are checked against the key inside the package", noKey, StringComparison.Ordinal);
        Assert.Contains("OK: the package is intact (signed, but by a key you did not give)", noKey, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHtmlSummary_IsSelfContainedAndAccessible_AndStatesScopeCountsChainCheckpointsAndSigner()
    {
        var html = EvidenceZip.Text(package.Zip, EvidencePackage.ReadmeHtml);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(src|href)=\"https?:", html); // nothing fetched from elsewhere
        Assert.Equal(["h1", "h2", "h2", "h2", "h2", "h2", "h2"], Regex.Matches(html, "<(h[1-6])[ >]").Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("<th>", html, StringComparison.Ordinal); // every header cell says what it heads
        Assert.Equal(Regex.Matches(html, "<table>").Count, Regex.Matches(html, "<caption>").Count);

        var manifest = JsonNode.Parse(EvidenceZip.File(package.Zip, EvidencePackage.Manifest))!;
        Assert.Contains($"<h1>ComplianceHub evidence package, {package.Range.From:yyyy-MM-dd} to {package.Range.To:yyyy-MM-dd}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Built by</th><td>Jordan Auditor (Auditor)</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><th scope=\"row\">Built at</th><td>{manifest["generatedAt"]}</td></tr>", html, StringComparison.Ordinal);
        var events = manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == EvidencePackage.AuditEvents)!;
        Assert.Contains($"<th scope=\"row\"><code>audit-events.jsonl</code></th><td>", html, StringComparison.Ordinal);
        Assert.Matches($"<code>audit-events.jsonl</code></th><td>[^<]*</td><td class=\"n\">{(long)events["records"]!:N0}</td>", html);
        Assert.Contains($"<tr><th scope=\"row\">Chain head of the package (event {package.Sequences[^1]})</th><td><code>{JsonNode.Parse(EvidenceZip.File(package.Zip, EvidencePackage.ChainHead))!["last"]!["hash"]}</code></td></tr>",
            html, StringComparison.Ordinal);
        foreach (var checkpoint in manifest["checkpoints"]!.AsArray())
        {
            Assert.Contains($"<tr><th scope=\"row\">{checkpoint!["sequence"]}</th><td>{checkpoint["signedAt"]}</td><td><code>{checkpoint["keyId"]}</code></td>", html, StringComparison.Ordinal);
        }
        Assert.Contains($"after the range: ties the package to the later trail", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><th scope=\"row\">Key id (SHA-256 of the DER public key)</th><td><code>{PortalFactory.TestKeys.PublicKey.KeyId}</code></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("openssl dgst -sha256 -verify ../audit-signing.pub.pem -signature manifest.sig manifest.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScriptInThePackage_IsTheOneTheDocumentPublishes()
    {
        var script = EvidenceZip.File(package.Zip, EvidencePackage.VerifyScript);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "src/ComplianceHub.Core/Features/Evidence/verify.py")), script);
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), Document));
        Assert.Contains($"`{Convert.ToHexStringLower(SHA256.HashData(script))}`", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStandaloneVerifier_Published_VerifiesThePackage_AndFailsATamperedOne()
    {
        // scripts/test.sh publishes it once and says where; run alone, the test publishes it (about a minute the first time).
        var verifier = Environment.GetEnvironmentVariable("COMPLIANCEHUB_VERIFIER");
        if (string.IsNullOrEmpty(verifier))
        {
            var outputFolder = work.CreateSubdirectory("verifier").FullName;
            var (published, said) = Process("bash", [Path.Combine(RepositoryRoot(), "scripts/publish-verifier.sh"), outputFolder]);
            Assert.True(published == 0, said);
            verifier = Path.Combine(outputFolder, "verify-evidence");
        }
        Assert.True(File.Exists(verifier), $"{verifier} is missing");
        var good = Path.Combine(work.FullName, ZipName);
        File.WriteAllBytes(good, package.Zip);
        var (code, text) = Process(verifier, [good, "--public-key", PortalFactory.TestKeys.PublicKeyFile]);
        Assert.True(code == 0, text);
        Assert.StartsWith($"OK {ZipName}: ", text, StringComparison.Ordinal);
        Assert.Contains($"{package.Checkpoints.Count} checkpoint(s) agree; signed by key {PortalFactory.TestKeys.PublicKey.KeyId} (the key you gave)", text, StringComparison.Ordinal);

        var bad = Path.Combine(work.FullName, "tampered.zip");
        File.WriteAllBytes(bad, EvidenceZip.ChangeEvents(package.Zip, l => { l.RemoveAt(2); return l; }, PortalFactory.TestKeys.SigningKey));
        (code, text) = Process(verifier, [bad, "--public-key", PortalFactory.TestKeys.PublicKeyFile]);
        Assert.Equal(1, code);
        Assert.Contains("FAILED tampered.zip:", text, StringComparison.Ordinal);
        Assert.Contains($"  first bad sequence: {package.Sequences[2]}", text, StringComparison.Ordinal);
        Assert.Equal(2, Process(verifier, [good, "--public-key", bad]).Code);
    }

    [GeneratedRegex("<!-- auditor-steps:begin -->\\s*```console\\n(.*?)```\\s*<!-- auditor-steps:end -->", RegexOptions.Singleline)]
    private static partial Regex StepsBlock();
}
