using System.IO.Compression;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Evidence;

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

    private static async Task<byte[]> PackageAsync(IReadOnlyList<AuditEvent> events, Func<string, string>? mangleLines = null, bool liveVerified = true)
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
                await package.AddJsonLinesAsync(EvidencePackage.AuditEvents, events.ToAsyncEnumerable(), EvidencePackageWriter.WriteEvent);
            }
            else
            {
                var lines = new StringBuilder();
                foreach (var e in events)
                {
                    using var buffer = new MemoryStream();
                    using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
                    {
                        EvidencePackageWriter.WriteEvent(w, e);
                    }
                    lines.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
                }
                await package.AddTextAsync(EvidencePackage.AuditEvents, mangleLines(lines.ToString()));
            }
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
            await package.AddTextAsync(EvidencePackage.Readme, "read me");
            await package.CompleteAsync(w => w.WriteString("format", EvidencePackage.Format));
        }
        return output.ToArray();
    }

    private static EvidenceVerification Verify(byte[] zip) => EvidenceVerifier.Verify(new MemoryStream(zip));

    [Fact]
    public async Task AHandMadeChain_RoundTripsThroughTheJsonLines_AndVerifies()
    {
        var events = Chain(5);
        var result = Verify(await PackageAsync(events));

        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal((10, 5L, 41L, 45L, events[^1].Hash), (result.Files, result.Events, result.FirstSequence, result.LastSequence, result.HeadHash));
        Assert.Contains("5 audit events, sequences 41–45, chain intact", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyRange_Verifies_WithNoEvents()
    {
        var result = Verify(await PackageAsync([]));
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
        }));

        Assert.False(result.Valid);
        Assert.Collection(result.Problems,
            p => Assert.Equal((2, (long?)null), (p.Line!.Value, p.Sequence)),
            p => Assert.Equal("audit-events.jsonl line 4: unexpected field(s) note (not covered by the hash)", p.ToString()),
            p => Assert.Equal((5, (long?)45), (p.Line!.Value, p.Sequence)));
        Assert.StartsWith("not valid JSON", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal($"hash does not match the event's content: stated {events[4].Hash}, recomputed {AuditChain.ComputeHash(new AuditEvent
        {
            Sequence = events[4].Sequence, OccurredAt = events[4].OccurredAt, ActorUserId = events[4].ActorUserId, ActorName = events[4].ActorName,
            ActorRole = events[4].ActorRole, ActorVendorId = events[4].ActorVendorId, AuthenticationMethod = events[4].AuthenticationMethod,
            EventType = events[4].EventType, Operation = events[4].Operation, SubjectType = events[4].SubjectType, SubjectId = "p-999",
            Changes = events[4].Changes, RuleOutcomes = events[4].RuleOutcomes, CorrelationId = events[4].CorrelationId, PreviousHash = events[4].PreviousHash,
        })} (the event was altered)", result.Problems[2].Message);
    }

    [Fact]
    public async Task APackageBuiltFromABrokenLiveChain_DoesNotVerify()
    {
        var result = Verify(await PackageAsync(Chain(2), liveVerified: false));
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
        Assert.Equal([EvidencePackage.Manifest, .. EvidencePackage.ContentFiles], result.Problems.Select(p => p.File).ToArray());
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
