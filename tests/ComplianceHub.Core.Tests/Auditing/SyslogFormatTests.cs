using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Core.Tests.Auditing;

/// <summary>The RFC 5424 form of an audit event as the off-load writes it (ADR 0039).</summary>
public sealed class SyslogFormatTests
{
    private static readonly SyslogFormat Format = new("portal-1", "compliancehub", SyslogFormat.MinimumMessageBytes);

    private static AuditEvent Event(string changes = """{"name": {"after": "x", "before": null}}""", string operation = "office.create")
    {
        var e = new AuditEvent
        {
            Sequence = 123,
            OccurredAt = new DateTimeOffset(2026, 12, 6, 23, 59, 51, TimeSpan.Zero).AddTicks(1234560),
            ActorName = "Avery Admin",
            ActorRole = "Administrator",
            AuthenticationMethod = "cookie",
            EventType = 2300,
            Operation = operation,
            SubjectType = "contracting-office",
            SubjectId = "42",
            Changes = changes,
            RuleOutcomes = "[]",
            CorrelationId = "c-1",
            PreviousHash = AuditChain.GenesisHash,
        };
        e.Hash = AuditChain.ComputeHash(e);
        return e;
    }

    [Fact]
    public void Message_HasTheHeaderTheStructuredDataAndTheEventAsJson()
    {
        var e = Event();
        var text = Encoding.UTF8.GetString(Format.Message(e));
        Assert.Equal($"<109>1 2026-12-06T23:59:51.123456Z portal-1 compliancehub - 2300 [compliancehub@32473 seq=\"123\" hash=\"{e.Hash}\" type=\"2300\" op=\"office.create\"] \uFEFF",
            text[..text.IndexOf('{', StringComparison.Ordinal)]);
        using var body = JsonDocument.Parse(text[(text.IndexOf('{', StringComparison.Ordinal))..]);
        Assert.Equal(123, body.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal(e.Hash, body.RootElement.GetProperty("hash").GetString());
        Assert.Equal("x", body.RootElement.GetProperty("changes").GetProperty("name").GetProperty("after").GetString());
    }

    [Fact]
    public void Frame_IsTheMessagesLengthInOctets_ASpace_AndTheMessage()
    {
        var frames = new System.Buffers.ArrayBufferWriter<byte>();
        var e = Event("""{"name": {"after": "Zoë", "before": null}}""");
        Format.WriteFrame(frames, e);
        var message = Format.Message(e);
        Assert.Equal([.. Encoding.ASCII.GetBytes($"{message.Length} "), .. message], frames.WrittenSpan.ToArray());
    }

    [Fact]
    public void StructuredData_EscapesQuotesBackslashesAndBrackets() =>
        Assert.Contains("op=\"a\\\"b\\\\c\\]d\"", Encoding.UTF8.GetString(Format.Message(Event(operation: "a\"b\\c]d"))));

    [Fact]
    public void ALongBody_IsCutToTheMaximum_WithTheMarker_NeverTheStructuredData()
    {
        // Multi-byte characters everywhere, so a cut at the byte limit would fall inside one unless it steps back.
        var e = Event($$$"""{"notes": {"after": "{{{new string('€', 3000)}}}", "before": null}}""");
        var message = Format.Message(e);
        Assert.True(message.Length <= SyslogFormat.MinimumMessageBytes);
        Assert.True(message.Length > SyslogFormat.MinimumMessageBytes - 3, "the body fills the room left");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
        Assert.EndsWith(SyslogFormat.TruncationMarker, text, StringComparison.Ordinal);
        Assert.Contains($"seq=\"123\" hash=\"{e.Hash}\" type=\"2300\" op=\"office.create\" truncated=\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("naïve")]
    public void HostName_MustBePrintableAscii(string host) =>
        Assert.Throws<ArgumentException>(() => new SyslogFormat(host, "compliancehub", 8192));
}
