using System.Net;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>The plain CSV of user, time, address and system (plus id and result), and its template.</summary>
public sealed class PlainCsvLogTests
{
    [Fact]
    public async Task TheTemplate_ReadsAsItsTwoExampleRows()
    {
        var read = await AccessLogRead.OfAsync(PlainCsvFile.Template, AccessLogFormat.PlainCsv);
        Assert.Empty(read.Problems);
        Assert.Equal(
            [
                (2, "evt-0001", true, new DateTimeOffset(2026, 12, 3, 8, 14, 2, TimeSpan.Zero), "portal-prod"),
                (3, "evt-0002", false, new DateTimeOffset(2026, 12, 3, 14, 30, 0, TimeSpan.Zero), "portal-prod"),
            ],
            read.Entries.Select(e => (e.Line, e.EventId!, e.Succeeded, e.OccurredAt, e.System!)));
        Assert.Equal(IPAddress.Parse("2001:db8::7"), read.Entries[1].Address);
        Assert.Equal("jane.roe@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,portal-prod,evt-0001,success", read.Entries[0].Excerpt);
    }

    [Fact]
    public async Task BadLines_AreProblemsWithLineAndField_AndTheReadGoesOn()
    {
        const string csv = """
            Time,User,Address,System,Browser
            2026-12-03T08:14:02Z,jane.roe@vendor.example,203.0.113.7,portal-prod,Firefox
            yesterday,jane.roe@vendor.example,203.0.113.7,portal-prod,Firefox
            2026-12-03T08:14:02,jane.roe@vendor.example,203.0.113.7,portal-prod,Firefox
            2026-13-03T08:14:02Z,jane.roe@vendor.example,203.0.113.7,,
            2026-12-03T08:14:02+01:00,,,portal-prod,

            ,,,,
            2026-12-03T08:14:02.5-05:00,"Roe, Jane",vpn.vendor.example,,
            2026-12-03T09:00:00Z,li.wei@vendor.example,1.2.3,portal-prod,
            """;
        var read = await AccessLogRead.OfAsync(csv, AccessLogFormat.PlainCsv);

        Assert.Equal([(2, "jane.roe@vendor.example", "portal-prod"), (9, "Roe, Jane", null)], read.Entries.Select(e => (e.Line, e.Identity, e.System)));
        Assert.Null(read.Entries[0].EventId);
        Assert.True(read.Entries[1].Succeeded); // no result column: a success
        Assert.Equal(("vpn.vendor.example", (IPAddress?)null), (read.Entries[1].SourceAddress, read.Entries[1].Address));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 14, 2, 500, TimeSpan.Zero), read.Entries[1].OccurredAt);
        Assert.Equal("2026-12-03T08:14:02.5-05:00,\"Roe, Jane\",vpn.vendor.example,,", read.Entries[1].Excerpt);

        Assert.Equal([(3, "Time"), (4, "Time"), (5, "Time"), (6, "User"), (6, "Address"), (10, "Address")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Equal("The time \"yesterday\" is not a date and time. Write it like 2026-12-03T08:14:02Z.", read.Problems[0].Message);
        Assert.Equal("The time \"2026-12-03T08:14:02\" has no time zone. Add Z for UTC or an offset such as -05:00, like 2026-12-03T08:14:02Z.",
            read.Problems[1].Message);
        Assert.Contains("not a date and time that exists", read.Problems[2].Message, StringComparison.Ordinal);
        Assert.Equal("The user is empty: write the user's e-mail, user principal name or user name in the \"User\" column.", read.Problems[3].Message);
        Assert.Equal("\"1.2.3\" is not an IP address. Write it like 203.0.113.7 or 2001:db8::7.", read.Problems[5].Message);
        Assert.Equal((10, 2), (read.Summary.Lines, read.Summary.Skipped));
    }

    [Theory]
    [InlineData("failure", false)]
    [InlineData("Failed", false)]
    [InlineData("denied", false)]
    [InlineData("SUCCESS", true)]
    [InlineData("ok", true)]
    [InlineData("", true)]
    public async Task TheResultColumn_TellsSuccessFromFailure(string result, bool succeeded) =>
        Assert.Equal(succeeded, Assert.Single((await AccessLogRead.OfAsync(
            $"user,time,address,system,id,result\njane@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,portal,1,{result}\n", AccessLogFormat.PlainCsv)).Entries).Succeeded);

    [Fact]
    public async Task AnUnknownResult_IsAProblem() =>
        Assert.Equal((2, "result"), Assert.Single((await AccessLogRead.OfAsync(
            "user,time,address,result\njane@vendor.example,2026-12-03T08:14:02Z,203.0.113.7,maybe\n", AccessLogFormat.PlainCsv)).Problems) is var p ? (p.Line, p.Field) : default);

    [Fact]
    public async Task MissingAndRepeatedColumns_AreProblemsOfTheHeader()
    {
        var read = await AccessLogRead.OfAsync("user,e-mail,when,system\njane,jane@vendor.example,2026-12-03T08:14:02Z,portal\n", AccessLogFormat.PlainCsv);
        Assert.Equal([(1, "e-mail"), (1, "time"), (1, "address")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Contains("appears twice", read.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("The column \"time\" is missing. The columns user, time, address are needed (CSV of user, time, address and system).", read.Problems[1].Message);
    }

    [Fact]
    public async Task AHeaderWithoutRows_HasNothingToImport() =>
        Assert.Equal("The file has a header but no sign-ins.",
            (await AccessLogRead.OfAsync("user,time,address,system\n", AccessLogFormat.PlainCsv)).FileProblem().Message);
}
