using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace ComplianceHub.Core.Tests.Auditing;

public sealed class AuditChainTests
{
    private static AuditEvent Event(string changes = """{"b": {"after": 1, "before": null}, "a": {"after": "x", "before": null}}""",
        string actor = "Avery Admin", string previous = "", string outcomes = "[]") => new()
    {
        Sequence = 7,
        OccurredAt = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567),
        ActorUserId = Guid.Parse("0199a000-0000-7000-8000-000000000001"),
        ActorName = actor,
        ActorRole = "Administrator",
        AuthenticationMethod = "cookie",
        EventType = 1000,
        Operation = "account.create",
        SubjectType = "account",
        SubjectId = "42",
        Changes = changes,
        RuleOutcomes = outcomes,
        CorrelationId = "c-1",
        PreviousHash = previous.Length == 0 ? AuditChain.GenesisHash : previous,
    };

    [Fact]
    public void Hash_IsTheSame_WhateverTheKeyOrderOfTheJson() =>
        // jsonb gives keys back in its own order; the hash must not depend on it.
        Assert.Equal(AuditChain.ComputeHash(Event()),
            AuditChain.ComputeHash(Event("""{"a":{"before":null,"after":"x"},"b":{"before":null,"after":1}}""")));

    [Fact]
    public void Hash_Changes_WhenAnyFieldChanges()
    {
        var original = AuditChain.ComputeHash(Event());
        Assert.NotEqual(original, AuditChain.ComputeHash(Event(actor: "Someone Else")));
        Assert.NotEqual(original, AuditChain.ComputeHash(Event("""{"a": {"after": "y", "before": null}}""")));
        Assert.NotEqual(original, AuditChain.ComputeHash(Event(previous: new string('1', 64))));
    }

    [Fact]
    public void AnEventWithoutAnOrigin_HasTheCanonicalFormOfEventsWrittenBeforeOriginsExisted()
    {
        // The form every event had before the origin fields (issue 18): it ends with the previous hash, nothing after it. Events
        // already in a trail were hashed over it, and those without an origin (the command line, the scheduler) still are.
        var canonical = AuditChain.Canonical(Event());
        Assert.EndsWith($",\"correlationId\":\"c-1\",\"previousHash\":\"{AuditChain.GenesisHash}\"}}", canonical);
        Assert.DoesNotContain("clientAddress", canonical);
    }

    [Fact]
    public void TheOrigin_IsInTheCanonicalForm_InItsOrder_AndEachFieldChangesTheHash()
    {
        var session = Guid.Parse("0199a000-0000-7000-8000-00000000a001");
        var token = Guid.Parse("0199a000-0000-7000-8000-00000000a002");
        AuditEvent With(Guid? s = null, Guid? t = null, string? address = null, string? agent = null)
        {
            var e = Event();
            return new AuditEvent
            {
                Sequence = e.Sequence, OccurredAt = e.OccurredAt, ActorUserId = e.ActorUserId, ActorName = e.ActorName, ActorRole = e.ActorRole,
                AuthenticationMethod = e.AuthenticationMethod, EventType = e.EventType, Operation = e.Operation, SubjectType = e.SubjectType,
                SubjectId = e.SubjectId, Changes = e.Changes, RuleOutcomes = e.RuleOutcomes, CorrelationId = e.CorrelationId, PreviousHash = e.PreviousHash,
                SessionId = s, ApiTokenId = t, ClientAddress = address, UserAgent = agent,
            };
        }

        var full = With(session, token, "203.0.113.7", "Mozilla/5.0 \"quoted\"");
        Assert.EndsWith($",\"previousHash\":\"{AuditChain.GenesisHash}\",\"sessionId\":\"{session}\",\"apiTokenId\":\"{token}\","
            + "\"clientAddress\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0 \\u0022quoted\\u0022\"}", AuditChain.Canonical(full));
        var hashes = new[]
        {
            Event(), full, With(session), With(t: token), With(address: "203.0.113.7"), With(agent: "curl/8.5.0"),
            With(session, token, "203.0.113.8", "Mozilla/5.0 \"quoted\""),
        }.Select(AuditChain.ComputeHash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count()); // taking one away, adding one or changing one breaks the hash
    }

    /// <summary>
    /// The canonical form as the chain's first writer defined it (JsonNode, keys sorted ordinally): events already in a trail
    /// were hashed over exactly this text, so a faster canonicaliser must produce it byte for byte.
    /// </summary>
    private static string ReferenceCanonicalJson(string json)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            Write(w, System.Text.Json.Nodes.JsonNode.Parse(json));
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(System.Text.Json.Utf8JsonWriter w, System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case null: w.WriteNullValue(); break;
                case System.Text.Json.Nodes.JsonObject obj:
                    w.WriteStartObject();
                    foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(key);
                        Write(w, value);
                    }
                    w.WriteEndObject();
                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    w.WriteStartArray();
                    foreach (var item in array)
                    {
                        Write(w, item);
                    }
                    w.WriteEndArray();
                    break;
                default: node.WriteTo(w); break;
            }
        }
    }

    [Theory]
    [InlineData("""{"b": {"after": 1, "before": null}, "a": {"after": "x", "before": null}}""")]
    [InlineData("""[]""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    [InlineData("""{"z": [3, 1.50, -0, 1e5, 2E-3, 12345678901234567890], "Z": true, "a_b": false, "\u00e9t\u00e9": "caf\u00e9 \"quoted\" <tag> & 'x'"}""")]
    [InlineData("""[{"ruleId": "CIT-COVERED", "facts": {"workCountry": "CN", "citizenships": "US, CN"}, "message": "line\nbreak\ttab \ud83d\ude00"}, {"b": {"d": {"f": 1, "e": 2}}, "a": []}]""")]
    [InlineData("""{"citizenships": {"after": ["US", "CN"], "before": ["US"]}, "fullName": {"after": "Zoë O\u2019Brien", "before": "Zoe OBrien"}}""")]
    public void Canonical_IsByteForByteTheChainsOriginalForm(string json)
    {
        var e = Event(json, outcomes: json);
        var canonical = AuditChain.Canonical(e);
        var expected = ReferenceCanonicalJson(json);
        Assert.Contains("\"changes\":" + expected + ",\"ruleOutcomes\":" + expected + ",", canonical);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))),
            AuditChain.ComputeHash(e));
    }

    [Fact]
    public void Hash_IsLowerCaseHexSha256() => Assert.Matches("^[0-9a-f]{64}$", AuditChain.ComputeHash(Event()));

    [Fact]
    public void StoredPrecision_TruncatesToMicroseconds()
    {
        var t = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        Assert.Equal(1234560, AuditChain.ToStoredPrecision(t).Ticks - new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).Ticks);
    }

    [Fact]
    public void EveryEntityOfTheModel_HasAnAuditEventType()
    {
        using var db = ComplianceDbContextFactory.Create("Host=unused;Database=unused");
        var unmapped = db.Model.GetEntityTypes()
            .Select(e => e.ClrType)
            .Where(t => !AuditRecorder.NotAudited.Contains(t) && !t.IsGenericTypeDefinition)
            .Where(t => !AuditEventTypes.Blocks.ContainsKey(t))
            .Select(t => t.Name)
            .ToList();
        Assert.Empty(unmapped);
    }

    [Fact]
    public void EventCodes_AreUniqueBlocks() =>
        Assert.Equal(AuditEventTypes.Blocks.Count, AuditEventTypes.Blocks.Values.Select(b => b.Block).Distinct().Count());
}
