using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Security;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.Core.Tests.Evidence;

/// <summary>The offline verifier on small packages written by the production writer from hand-made events.</summary>
public sealed class EvidenceVerifierTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A chain of <paramref name="count"/> events after <paramref name="anchor"/>, with values that stress the round trip.</summary>
    private static List<AuditEvent> Chain(int count, long first = 41, string? anchor = null)
    {
        var events = new List<AuditEvent>();
        var previous = anchor ?? new string('a', 64);
        for (var i = 0; i < count; i++)
        {
            var e = new AuditEvent
            {
                Sequence = first + i,
                OccurredAt = At.AddTicks(1234560 + i * 10), // microseconds
                ActorUserId = i % 2 == 0 ? Guid.Parse("0199a000-0000-7000-8000-000000000001") : null,
                ActorName = "Zoë O'Brien <ops> & \"co\"",
                ActorRole = "ContractingOfficer",
                ActorVendorId = i == 1 ? Guid.Parse("0199a000-0000-7000-8000-00000000ac01") : null,
                AuthenticationMethod = "cookie",
                EventType = 3001,
                Operation = "change-person-facts",
                SubjectType = "person",
                SubjectId = $"p-{i}",
                // As jsonb gives it back: its own key order and spacing, numbers with decimals, nested arrays, escapes.
                Changes = """{"workCity": {"after": "Zürich\nnord", "before": "Reston"}, "score": {"after": 0.96, "before": 1.50}, "citizenships": {"after": ["US", "DE"], "before": ["US"]}}""",
                RuleOutcomes = """[{"ruleId": "FOREIGN-LOCATION", "facts": {"b": "2", "a": "1"}, "severity": "Blocking"}]""",
                CorrelationId = $"corr-{i}",
                PreviousHash = previous,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            events.Add(e);
        }
        return events;
    }

    /// <summary>The key that signs the test packages, and another, made in memory.</summary>
    private static readonly AuditSigningKey Key = NewKey();
    private static readonly AuditSigningKey OtherKey = NewKey();

    private static AuditSigningKey NewKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return AuditSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A package of the current format around <paramref name="events"/>, signed by <paramref name="signer"/> (<see cref="Key"/>),
    /// carrying <paramref name="checkpoints"/>; <paramref name="mangleLines"/> rewrites the text of audit-events.jsonl only.
    /// </summary>
    private static async Task<byte[]> PackageAsync(IReadOnlyList<AuditEvent> events, Func<string, string>? mangleLines = null, bool liveVerified = true,
        IReadOnlyList<ChainCheckpoint>? checkpoints = null, AuditSigningKey? signer = null)
    {
        using var output = new MemoryStream();
        await using (var package = await EvidencePackageWriter.CreateAsync(output, At))
        {
            foreach (var table in new[] { EvidencePackage.Findings, EvidencePackage.Roster, EvidencePackage.Grants, EvidencePackage.EscortAssignments,
                         EvidencePackage.Attestations, EvidencePackage.PolicyVersions })
            {
                await package.AddJsonArrayAsync(table, AsyncEnumerable.Empty<int>(), (w, _) => w.WriteNullValue());
            }
            await package.AddJsonLinesAsync(EvidencePackage.Access, AsyncEnumerable.Empty<int>(), (w, _) => w.WriteNullValue());
            if (mangleLines is null)
            {
                await package.AddJsonLinesAsync(EvidencePackage.AuditEvents, events.ToAsyncEnumerable(), EvidencePackage.WriteEvent);
            }
            else
            {
                var lines = new StringBuilder();
                foreach (var e in events)
                {
                    using var buffer = new MemoryStream();
                    using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
                    {
                        EvidencePackage.WriteEvent(w, e);
                    }
                    lines.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
                }
                await package.AddTextAsync(EvidencePackage.AuditEvents, mangleLines(lines.ToString()));
            }
            await package.AddJsonLinesAsync(EvidencePackage.AuditEventsCanonical, events.ToAsyncEnumerable(), AuditChain.WriteCanonical);
            await package.AddJsonAsync(EvidencePackage.ChainHead, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("eventCount", events.Count);
                if (events.Count > 0)
                {
                    w.WriteNumber("firstSequence", events[0].Sequence);
                    w.WriteStartObject("anchor");
                    w.WriteNumber("sequence", events[0].Sequence - 1);
                    w.WriteString("hash", events[0].PreviousHash);
                    w.WriteEndObject();
                    w.WriteStartObject("last");
                    w.WriteNumber("sequence", events[^1].Sequence);
                    w.WriteString("hash", events[^1].Hash);
                    w.WriteEndObject();
                }
                w.WriteStartObject("liveHead");
                w.WriteNumber("sequence", events.Count > 0 ? events[^1].Sequence + 5 : 5);
                w.WriteString("hash", new string('f', 64));
                w.WriteBoolean("verified", liveVerified);
                w.WriteString("problem", liveVerified ? null : "Event 3: its content does not match its hash (the event was altered).");
                w.WriteEndObject();
                w.WriteEndObject();
            });
            await package.AddCheckpointsAsync(checkpoints ?? []);
            foreach (var text in new[] { EvidencePackage.VerifyScript, EvidencePackage.Readme, EvidencePackage.ReadmeHtml })
            {
                await package.AddTextAsync(text, "read me");
            }
            await package.AddTextAsync(EvidencePackage.Checksums, package.Checksums());
            await package.CompleteAsync(w => w.WriteString("format", EvidencePackage.Format), signer ?? Key, checkpoints ?? []);
        }
        return output.ToArray();
    }

    private static EvidenceVerification Verify(byte[] zip, params AuditSigningKey[] keys) => EvidenceVerifier.Verify(new MemoryStream(zip), keys);

    [Fact]
    public async Task AHandMadeChain_RoundTripsThroughTheJsonLines_AndVerifies_SignedByTheGivenKey()
    {
        var events = Chain(5);
        var result = Verify(await PackageAsync(events), Key);

        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal((14, 5L, 41L, 45L, events[^1].Hash), (result.Files, result.Events, result.FirstSequence, result.LastSequence, result.HeadHash));
        Assert.Equal((EvidenceSignature.Verified, Key.KeyId, EvidencePackage.Format), (result.Signature, result.SignerKeyId, result.Format));
        Assert.Empty(result.Warnings);
        Assert.Contains("5 audit events, sequences 41–45, chain intact", result.Summary, StringComparison.Ordinal);
        Assert.EndsWith($"signed by key {Key.KeyId} (the key you gave)", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyRange_Verifies_WithNoEvents()
    {
        var result = Verify(await PackageAsync([]), Key);
        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal(0, result.Events);
    }

    [Fact]
    public async Task EveryBadLine_IsReported_NotOnlyTheFirst()
    {
        var events = Chain(6);
        var result = Verify(await PackageAsync(events, text =>
        {
            var lines = text.Split('\n');
            lines[1] = "{not json";
            lines[3] = lines[3].Replace("\"hash\":", "\"note\":\"x\",\"hash\":", StringComparison.Ordinal);
            lines[4] = lines[4].Replace("\"subjectId\":\"p-4\"", "\"subjectId\":\"p-999\"", StringComparison.Ordinal);
            return string.Join('\n', lines);
        }), Key);

        Assert.False(result.Valid);
        Assert.Collection(result.Problems,
            p => Assert.Equal((2, (long?)null), (p.Line!.Value, p.Sequence)),
            p => Assert.Equal("audit-events.jsonl line 4: unexpected field(s) note (not covered by the hash)", p.ToString()),
            p => Assert.Equal((EvidencePackage.AuditEvents, 5, (long?)45), (p.File, p.Line!.Value, p.Sequence)),
            p => Assert.Equal("audit-events.canonical line 5 (sequence 45): is not the canonical form of the event on line 5 of audit-events.jsonl: the two files disagree",
                p.ToString()));
        Assert.StartsWith("not valid JSON", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal($"hash does not match the event's content: stated {events[4].Hash}, recomputed {AuditChain.ComputeHash(new AuditEvent
        {
            Sequence = events[4].Sequence, OccurredAt = events[4].OccurredAt, ActorUserId = events[4].ActorUserId, ActorName = events[4].ActorName,
            ActorRole = events[4].ActorRole, ActorVendorId = events[4].ActorVendorId, AuthenticationMethod = events[4].AuthenticationMethod,
            EventType = events[4].EventType, Operation = events[4].Operation, SubjectType = events[4].SubjectType, SubjectId = "p-999",
            Changes = events[4].Changes, RuleOutcomes = events[4].RuleOutcomes, CorrelationId = events[4].CorrelationId, PreviousHash = events[4].PreviousHash,
        })} (the event was altered)", result.Problems[2].Message);
        Assert.Equal(42, result.FirstBadSequence); // line 2, counted from the first sequence
    }

    [Fact]
    public async Task ALineWithTheSameValuesInOtherBytes_IsReported_SoEveryByteOfAnEventCounts()
    {
        // "Zoë" is written \u00EB; the same string with a lower-case escape, or a carriage return before the line feed, parses alike.
        var events = Chain(3);
        foreach (var mangle in new Func<string, string>[]
                 {
                     text => ReplaceInLine(text, 1, "\\u00EB", "\\u00eb"),
                     text => ReplaceInLine(text, 1, "}\n", "}\r\n"),
                 })
        {
            var result = Verify(await PackageAsync(events, mangle), Key);
            var problem = Assert.Single(result.Problems);
            Assert.Equal("audit-events.jsonl line 2 (sequence 42): is not the line the portal writes for the event it holds (same values, other bytes)", problem.ToString());
            Assert.Equal(42, result.FirstBadSequence);
        }

        static string ReplaceInLine(string text, int index, string from, string to)
        {
            var lines = text.Split('\n');
            lines[index] = (lines[index] + "\n").Replace(from, to, StringComparison.Ordinal).TrimEnd('\n');
            return string.Join('\n', lines);
        }
    }

    [Fact]
    public async Task TheSignature_VerifiesWithTheGivenKeyOnly_AndWithoutAKeyShowsIntegrityNotOrigin()
    {
        var zip = await PackageAsync(Chain(3));

        var without = Verify(zip);
        Assert.True(without.Valid, string.Join("\n", without.Problems));
        Assert.Equal(EvidenceSignature.IntegrityOnly, without.Signature);
        Assert.Contains("not who signed it", Assert.Single(without.Warnings), StringComparison.Ordinal);

        Assert.Equal($"manifest.sig: signed with key {Key.KeyId}, not with the key you gave ({OtherKey.KeyId})", Assert.Single(Verify(zip, OtherKey).Problems).ToString());
        Assert.True(Verify(zip, OtherKey, Key).Valid, "a key among several given (a rotation)");

        // Re-signed by a forger, the embedded key swapped for theirs: it verifies against itself, never against the key given.
        var resigned = EvidenceZip.Write(EvidenceZip.FixManifest(EvidenceZip.Read(zip), resignWith: OtherKey));
        Assert.True(Verify(resigned).Valid);
        Assert.Equal(OtherKey.KeyId, Verify(resigned).SignerKeyId);
        Assert.Equal($"manifest.sig: signed with key {OtherKey.KeyId}, not with the key you gave ({Key.KeyId})", Assert.Single(Verify(resigned, Key).Problems).ToString());

        // Naming our key but signed by theirs: the signature fails, and so does the embedded key's id.
        var entries = EvidenceZip.Read(resigned);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        manifest["signingKey"]!["keyId"] = Key.KeyId;
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var misnamed = Verify(EvidenceZip.Write(entries.Select(e => e.Name switch
        {
            EvidencePackage.Manifest => (e.Name, bytes),
            EvidencePackage.ManifestSignature => (e.Name, OtherKey.Sign(bytes)),
            _ => e,
        })), Key);
        Assert.Equal([
            $"manifest.json: signingKey: the public key it carries has id {OtherKey.KeyId}, not the keyId it states ({Key.KeyId})",
            $"manifest.sig: is not the signature of manifest.json by the key you gave ({Key.KeyId}): the manifest was changed after it was signed, or signed by another key",
        ], misnamed.Problems.Select(p => p.ToString()));

        // Any change to the manifest after signing, and a missing signature.
        var edited = EvidenceZip.Replace(zip, EvidencePackage.Manifest, b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"format\": ", "\"format\":  ", StringComparison.Ordinal)));
        Assert.StartsWith("manifest.sig: is not the signature of manifest.json by the key you gave", Assert.Single(Verify(edited, Key).Problems).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("manifest.sig: is not the signature of manifest.json by the key the manifest names", Assert.Single(Verify(edited).Problems).ToString(), StringComparison.Ordinal);
        var unsigned = EvidenceZip.Write(EvidenceZip.Read(zip).Where(e => e.Name != EvidencePackage.ManifestSignature));
        Assert.Equal("manifest.sig: missing: the manifest is not signed", Assert.Single(Verify(unsigned, Key).Problems).ToString());
    }

    [Fact]
    public async Task APackageOfAnUnsignedFormat_VerifiesWithAWarning_ButNotWhenAKeyIsGiven()
    {
        var entries = EvidenceZip.Read(await PackageAsync(Chain(3)));
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        manifest["format"] = EvidencePackage.FormatUnsigned;
        var files = manifest["files"]!.AsArray();
        var legacy = new HashSet<string>(EvidencePackage.RequiredFiles(EvidencePackage.FormatUnsigned));
        foreach (var file in files.Where(f => !legacy.Contains((string)f!["name"]!)).ToList())
        {
            files.Remove(file);
        }
        var zip = EvidenceZip.Write(entries.Where(e => legacy.Contains(e.Name)).Append((EvidencePackage.Manifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()))));

        var without = Verify(zip);
        Assert.True(without.Valid, string.Join("\n", without.Problems));
        Assert.Equal(EvidenceSignature.Unsigned, without.Signature);
        Assert.StartsWith("unsigned (built before packages were signed", Assert.Single(without.Warnings), StringComparison.Ordinal);
        Assert.Equal("manifest.json: unsigned (format compliancehub-evidence/2, built before packages were signed), but a public key was given: a signature is required",
            Assert.Single(Verify(zip, Key).Problems).ToString());
    }

    [Fact]
    public async Task Checkpoints_AgreeWithTheEvents_AndOneThatDoesNot_NamesTheFirstForgedRange()
    {
        var events = Chain(10);
        ChainCheckpoint At(int index, AuditSigningKey? key = null, string? hash = null) =>
            ChainCheckpoint.Sign(key ?? Key, events[index].Sequence, hash ?? events[index].Hash, EvidenceVerifierTests.At.AddHours(index));

        var good = Verify(await PackageAsync(events, checkpoints: [At(2), At(6), At(9), ChainCheckpoint.Sign(Key, 60, new string('e', 64), EvidenceVerifierTests.At)]), Key);
        Assert.True(good.Valid, string.Join("\n", good.Problems));
        Assert.Equal(3, good.CheckpointsAgreeing);
        Assert.Equal(14 + 8, good.Files); // and each checkpoint's text and signature

        // The history rewritten from event 45 on (say), every hash recomputed: checkpoint 47 no longer agrees.
        var forged = Verify(await PackageAsync(events, checkpoints: [At(2), At(6, hash: new string('d', 64)), At(9, hash: new string('d', 64))]), Key);
        Assert.Equal((44L, 47L), forged.FirstForgedRange);
        Assert.Equal($"audit-events.jsonl (sequence 47): checkpoint 47 signed hash {new string('d', 64)}, but the package's event 47 has hash {events[6].Hash}: " +
            "the events were rewritten after the checkpoint was signed; the first forged range is sequences 44–47 (after the last checkpoint that agrees, up to this one)",
            forged.Problems[0].ToString());
        Assert.Equal(2, forged.Problems.Count);

        // Signed with a key rotated out: it needs that key too.
        var rotated = await PackageAsync(events, checkpoints: [At(2, OtherKey), At(6)]);
        Assert.Equal($"manifest.json: checkpoint 43 is signed with key {OtherKey.KeyId}, which you did not give: give the public key of a rotated key with another --public-key",
            Assert.Single(Verify(rotated, Key).Problems).ToString());
        Assert.True(Verify(rotated, Key, OtherKey).Valid);
        Assert.Contains(Verify(rotated).Warnings, w => w.StartsWith($"checkpoint 43 is signed with key {OtherKey.KeyId}", StringComparison.Ordinal));

        // A checkpoint whose signature is not its key's, or whose files are not it, or before the range.
        var tampered = ChainCheckpoint.Of(43, events[2].Hash, EvidenceVerifierTests.At, Key.KeyId, OtherKey.Sign("x"u8));
        Assert.Equal($"manifest.json: checkpoint 43: the signature does not verify with key {Key.KeyId}: the checkpoint was forged or altered",
            Assert.Single(Verify(await PackageAsync(events, checkpoints: [tampered]), Key).Problems).ToString());
        var swappedFile = EvidenceZip.Replace(await PackageAsync(events, checkpoints: [At(2)]), EvidencePackage.CheckpointText(43), b => [.. b, (byte)' '], fixManifest: true, resignWith: Key);
        Assert.Equal("checkpoints/43.txt: is not the signed text of the manifest's checkpoint", Assert.Single(Verify(swappedFile, Key).Problems).ToString());
        var before = ChainCheckpoint.Sign(Key, 40, events[0].PreviousHash, EvidenceVerifierTests.At);
        Assert.Equal("manifest.json: checkpoint 40 lies before the package's events (from sequence 41)",
            Assert.Single(Verify(await PackageAsync(events, checkpoints: [before]), Key).Problems).ToString());
    }

    [Fact]
    public async Task APackageBuiltFromABrokenLiveChain_DoesNotVerify()
    {
        var result = Verify(await PackageAsync(Chain(2), liveVerified: false), Key);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(EvidencePackage.ChainHead, problem.File);
        Assert.Contains("did NOT verify", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAZip_IsNotAPackage()
    {
        var result = Verify(Encoding.UTF8.GetBytes("PK? no, just text"));
        Assert.False(result.IsZip);
        Assert.False(result.Valid);
    }

    [Fact]
    public void AnEmptyZip_NamesTheMissingManifestAndEveryMissingFile()
    {
        using var output = new MemoryStream();
        using (new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true)) { }
        var result = Verify(output.ToArray());
        Assert.Equal([EvidencePackage.Manifest, .. EvidencePackage.RequiredFiles(EvidencePackage.Format)], result.Problems.Select(p => p.File).ToArray());
    }

    [Fact]
    public void TenYears_AreOnePackage()
    {
        var (range, errors) = EvidenceRange.Parse("2016-11-28", "2026-11-28", new DateOnly(2026, 11, 28));
        Assert.Empty(errors);
        Assert.Equal(EvidenceRange.MaxDays, range!.Days);
        Assert.Equal(3653, range.Days);
    }

    [Theory]
    [InlineData("2026-11-01", "2026-11-28", null, null)]
    [InlineData(null, "2026-11-28", "from", "Give the start date of the range (YYYY-MM-DD).")]
    [InlineData("2026-11-01", "", "to", "Give the end date of the range (YYYY-MM-DD).")]
    [InlineData("2026-13-01", "2026-11-28", "from", "'2026-13-01' is not a date in the form YYYY-MM-DD.")]
    [InlineData("2026-11-28", "2026-11-01", "to", "The end date (2026-11-01) is before the start date (2026-11-28).")]
    [InlineData("2016-11-27", "2026-11-28", "to", "A package covers at most 3653 days (ten years); this range is 3654. Build one package per ten years.")]
    [InlineData("2026-11-01", "2026-11-29", "to", "The end date (2026-11-29) is in the future; the latest possible end is today, 2026-11-28 (UTC).")]
    public void TheRange_IsValidated_PerField(string? from, string? to, string? field, string? message)
    {
        var (range, errors) = EvidenceRange.Parse(from, to, new DateOnly(2026, 11, 28));
        if (field is null)
        {
            Assert.Equal("evidence-20261101-20261128.zip", range!.FileName);
            Assert.Equal(28, range.Days);
            Assert.Empty(errors);
        }
        else
        {
            Assert.Null(range);
            Assert.Equal(message, Assert.Single(errors[field]));
        }
    }
}
