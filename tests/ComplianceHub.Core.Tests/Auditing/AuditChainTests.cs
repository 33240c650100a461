using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace ComplianceHub.Core.Tests.Auditing;

public sealed class AuditChainTests
{
    private static AuditEvent Event(string changes = """{"b": {"after": 1, "before": null}, "a": {"after": "x", "before": null}}""",
        string actor = "Avery Admin", string previous = "") => new()
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
