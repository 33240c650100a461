using System.Text;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>What every format shares: detection, files that are not UTF-8 text, the limits, and reading as a stream.</summary>
public sealed class AccessLogFileTests
{
    private static readonly string[] Identities = ["jane.roe@vendor.example", "li.wei@vendor.example", "jdoe"];
    private static readonly string[] Addresses = ["203.0.113.7", "2001:db8::7", "198.51.100.23"];

    private static Task<AccessLogFormat?> DetectAsync(string text) =>
        AccessLogReader.DetectAsync(() => new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);

    [Theory]
    [InlineData("[\n  {\n    \"id\": \"1\",\n    \"createdDateTime\": \"2026-12-03T08:14:02Z\",\n    \"userPrincipalName\": \"jane@vendor.example\"", AccessLogFormat.EntraIdJson)]
    [InlineData("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns\",\"value\":[{\"userPrincipalName\":\"a\"}]}", AccessLogFormat.EntraIdJson)]
    [InlineData("  {\"Records\":[{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"jdoe\"}}]}", AccessLogFormat.CloudTrailJson)]
    [InlineData("\uFEFFDate (UTC),Request ID,User agent,User,Username,IP address,Status\r\n2026-12-03T08:14:02Z,1,x,Jane,jane@vendor.example,203.0.113.7,Success", AccessLogFormat.EntraIdCsv)]
    [InlineData("CreatedDateTime,UserPrincipalName,AppDisplayName,IPAddress\n", AccessLogFormat.EntraIdCsv)]
    [InlineData("\"User principal name\";\"Date\";\"IP address\"\n", AccessLogFormat.EntraIdCsv)]
    [InlineData("user,time,address,system\r\njane@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,portal\r\n", AccessLogFormat.PlainCsv)]
    [InlineData("id,user,time,address\n", AccessLogFormat.PlainCsv)]
    [InlineData("Dec  3 08:14:02 bastion sshd[1234]: Accepted publickey for jdoe from 203.0.113.7 port 52144 ssh2\n", AccessLogFormat.SshdAuthLog)]
    [InlineData("Jan 14 06:25:01 bastion CRON[2211]: pam_unix(cron:session): session opened for user root\n", AccessLogFormat.SshdAuthLog)]
    [InlineData("2026-12-03T08:14:02.123456+00:00 bastion sshd[1234]: Accepted publickey for jdoe from 203.0.113.7 port 52144 ssh2\n", AccessLogFormat.SshdAuthLog)]
    public async Task Detect_TellsEachFormat(string head, AccessLogFormat format) => Assert.Equal(format, await DetectAsync(head));

    [Theory]
    [InlineData("name,amount\nx,1\n")]
    [InlineData("{\"something\":1}")]
    [InlineData("[1,2,3]")]
    [InlineData("Hello, world")]
    [InlineData("")]
    [InlineData("%PDF-1.7\n%âãÏÓ\n1 0 obj")]
    public async Task Detect_IsNull_ForAnythingElse(string head) => Assert.Null(await DetectAsync(head));

    [Fact]
    public async Task Detect_IsNull_ForAZipOrSpreadsheet() =>
        Assert.Null(await AccessLogReader.DetectAsync(() => new MemoryStream([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), CancellationToken.None));

    [Fact]
    public void Describe_SaysEachFormatInWords()
    {
        Assert.Equal("Microsoft Entra ID sign-in log (JSON)", AccessLogReader.Describe(AccessLogFormat.EntraIdJson));
        Assert.All(Enum.GetValues<AccessLogFormat>(), f => Assert.DoesNotContain(f.ToString(), AccessLogReader.Describe(f), StringComparison.Ordinal));
    }

    public static TheoryData<byte[], string> NotText => new()
    {
        { Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n"), "not a text log" },
        { [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], "not a text log" },
        { Encoding.ASCII.GetBytes("user,time,address\njane,2026-12-03T08:14:02Z,203.0.113.7\0\n"), "not a text log" },
        { [0xff, 0xfe, (byte)'u', 0, (byte)'s', 0], "UTF-16" },
        { [], "empty" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task AFileThatIsNotUtf8Text_IsOneProblemOnLineZero(byte[] content, string says)
    {
        foreach (var format in Enum.GetValues<AccessLogFormat>())
        {
            var read = await AccessLogRead.OfAsync(new MemoryStream(content), format, new SshdOptions(2026, TimeZoneInfo.Utc));
            Assert.Contains(says, read.FileProblem().Message, StringComparison.Ordinal);
            Assert.False(read.Summary.Completed);
        }
    }

    [Fact]
    public async Task ALatin1ByteFarIntoTheFile_StopsTheReadWithOneProblem()
    {
        // 100,000 good lines (past the first bytes looked at), then "Müller" in Latin-1, read 3 bytes at a time.
        var text = new MemoryStream();
        await AccessLogSamples.PlainCsv(100_000, Identities, Addresses, "portal", new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero)).CopyToAsync(text);
        text.Write(Encoding.Latin1.GetBytes("m\u00fcller@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,portal,x,success\n"));
        var read = await AccessLogRead.OfAsync(new TrickleStream(text.ToArray(), 4093), AccessLogFormat.PlainCsv);
        Assert.Contains("not UTF-8", read.FileProblem().Message, StringComparison.Ordinal);
        Assert.False(read.Summary.Completed);
        Assert.True(read.Entries.Count > 90_000);
    }

    [Fact]
    public async Task Utf8SplitAcrossReads_IsFine()
    {
        var csv = Encoding.UTF8.GetBytes("user,time,address\n" + string.Concat(Enumerable.Repeat("j\u00fcrgen.\u00e5se\U0001F600@vendor.example,2026-12-03T08:14:02Z,203.0.113.7\n", 50)));
        foreach (var chunk in new[] { 1, 2, 3, 5 })
        {
            var read = await AccessLogRead.OfAsync(new TrickleStream(csv, chunk), AccessLogFormat.PlainCsv);
            Assert.Empty(read.Problems);
            Assert.All(read.Entries, e => Assert.Equal("j\u00fcrgen.\u00e5se\U0001F600@vendor.example", e.Identity));
        }
    }

    [Fact]
    public async Task MoreThanMaxLines_IsAProblem_AndTheReadStops()
    {
        var lines = new MemoryStream(Encoding.ASCII.GetBytes(new string('\n', AccessLogReader.MaxLines + 1)));
        var read = await AccessLogRead.OfAsync(lines, AccessLogFormat.SshdAuthLog, new SshdOptions(2026, TimeZoneInfo.Utc));
        Assert.Contains("more than 2,000,000 lines", read.FileProblem().Message, StringComparison.Ordinal);
        Assert.Equal(AccessLogReader.MaxLines, read.Summary.Skipped);
    }

    [Fact]
    public async Task AReadStops_WhenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var source = AccessLogSamples.PlainCsv(200_000, Identities, Addresses, "portal", new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var entries = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in AccessLogReader.ReadAsync(source, AccessLogFormat.PlainCsv, null, cancel.Token))
            {
                if (item.Entry is not null && ++entries == 10)
                {
                    await cancel.CancelAsync();
                }
            }
        });
        Assert.InRange(entries, 10, 199_999);
    }

    [Theory]
    [InlineData("2026-12-03T09:14:02+0100")]
    [InlineData("2026-12-03T08:14:02.000000000Z")]
    [InlineData("2026-12-03 03:14:02-05:00")]
    [InlineData("2026-12-03T08:14:02z")]
    public async Task IsoTimes_InTheirUsualSpellings_AreRead(string time) =>
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 8, 14, 2, TimeSpan.Zero),
            Assert.Single((await AccessLogRead.OfAsync($"user,time,address\njane@vendor.example,{time},203.0.113.7\n", AccessLogFormat.PlainCsv)).Entries).OccurredAt);

    [Fact]
    public async Task A200000LinePlainCsv_IsReadAsAStream()
    {
        var start = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        await using var source = new CountingStream(AccessLogSamples.PlainCsv(200_000, Identities, Addresses, "portal-prod", start));
        int entries = 0, failures = 0;
        long readWhenFirst = -1;
        AccessLogSummary? summary = null;
        await foreach (var item in AccessLogReader.ReadAsync(source, AccessLogFormat.PlainCsv, null, CancellationToken.None))
        {
            Assert.Null(item.Problem);
            if (item.Entry is { } entry)
            {
                if (entries++ == 0)
                {
                    readWhenFirst = source.BytesRead;
                    Assert.Equal(("jane.roe@vendor.example", start, "evt-0000000"), (entry.Identity, entry.OccurredAt, entry.EventId));
                }
                failures += entry.Succeeded ? 0 : 1;
            }
            summary ??= item.Summary;
        }
        Assert.Equal(200_000, entries);
        Assert.Equal(20_000, failures);
        Assert.Equal(new AccessLogSummary(200_001, 200_000, 0, 0, true), summary);
        // The first entry came when a small part of the file had been read: the reader does not take the file whole.
        Assert.InRange(readWhenFirst, 1, source.BytesRead / 20);
    }

    [Fact]
    public async Task A200000LineAuthLog_IsReadAsAStream()
    {
        await using var source = new CountingStream(AccessLogSamples.SshdAuthLog(200_000, Identities, Addresses, new DateTime(2026, 7, 1, 0, 0, 0)));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        int entries = 0;
        long readWhenFirst = -1;
        AccessLogSummary? summary = null;
        await foreach (var item in AccessLogReader.ReadAsync(source, AccessLogFormat.SshdAuthLog, new SshdOptions(2026, zone), CancellationToken.None))
        {
            Assert.Null(item.Problem);
            if (item.Entry is { } entry && entries++ == 0)
            {
                readWhenFirst = source.BytesRead;
                Assert.Equal(new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero), entry.OccurredAt);
            }
            summary ??= item.Summary;
        }
        Assert.Equal(new AccessLogSummary(200_000, 160_000, 0, 40_000, true), summary);
        Assert.InRange(readWhenFirst, 1, source.BytesRead / 20);
    }

    /// <summary>Counts the bytes read through it.</summary>
    private sealed class CountingStream(Stream inner) : ReadOnlyStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
