using System.Net;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>Microsoft Entra ID sign-in logs: the portal's JSON and CSV downloads and Microsoft Graph's signIn list.</summary>
public sealed class EntraIdLogTests
{
    // The portal's "Download JSON": an array of Graph signIn objects, pretty-printed (trimmed to the fields that matter, plus a few that do not).
    private const string PortalJson = """
        [
          {
            "id": "66ea54eb-6301-4ee5-be62-ff5a759b0100",
            "createdDateTime": "2026-12-03T08:14:02Z",
            "userDisplayName": "Jane Roe",
            "userPrincipalName": "jane.roe@vendor.example",
            "userId": "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
            "appId": "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
            "appDisplayName": "Azure Portal",
            "ipAddress": "203.0.113.7",
            "clientAppUsed": "Browser",
            "isInteractive": true,
            "resourceDisplayName": "Windows Azure Service Management API",
            "status": { "errorCode": 0, "failureReason": "Other.", "additionalDetails": null },
            "location": { "city": "Reston", "state": "Virginia", "countryOrRegion": "US",
                          "geoCoordinates": { "altitude": null, "latitude": 38.96, "longitude": -77.35 } },
            "appliedConditionalAccessPolicies": [ { "id": "x", "displayName": "MFA for admins", "result": "success" } ]
          },
          {
            "id": "b01ba6f4-5d2c-4a3b-a1f2-1c0e4b1b0200",
            "createdDateTime": "2026-12-03T09:01:44.1234567Z",
            "userPrincipalName": "Li.Wei@vendor.example",
            "appDisplayName": "Microsoft Teams",
            "ipAddress": "2001:db8:85a3::8a2e:370:7334",
            "resourceDisplayName": null,
            "status": { "errorCode": 50126, "failureReason": "Error validating credentials due to invalid username or password." }
          },
          {
            "id": "c3d1e0aa-0000-4000-8000-000000000300",
            "createdDateTime": "2026-12-03T09:05:00Z",
            "userPrincipalName": null,
            "servicePrincipalId": "3f1c2a55-9c1e-4e52-9a1b-7d5f5c0a0a0a",
            "servicePrincipalName": "backup-runner",
            "ipAddress": "198.51.100.20",
            "status": { "errorCode": 0 }
          },
          {
            "id": "d4000000-0000-4000-8000-000000000400",
            "createdDateTime": "yesterday",
            "userPrincipalName": "jane.roe@vendor.example",
            "ipAddress": "",
            "status": { "errorCode": 0 }
          },
          {
            "id": "e5000000-0000-4000-8000-000000000500",
            "createdDateTime": "2026-12-03T10:00:00Z",
            "userPrincipalName": "jane.roe@vendor.example",
            "ipAddress": "::ffff:192.0.2.44",
            "appDisplayName": "Office 365 Exchange Online",
            "status": { "errorCode": 0 }
          }
        ]
        """;

    [Fact]
    public async Task PortalJson_ReadsSuccessesAndFailures_WithTheLineWhereEachRecordStarts()
    {
        var read = await AccessLogRead.OfAsync(PortalJson, AccessLogFormat.EntraIdJson);

        Assert.Equal(3, read.Entries.Count);
        var jane = read.Entries[0];
        Assert.Equal((2, "66ea54eb-6301-4ee5-be62-ff5a759b0100", "jane.roe@vendor.example"), (jane.Line, jane.EventId, jane.Identity));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 8, 14, 2, TimeSpan.Zero), jane.OccurredAt);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), jane.Address);
        Assert.Equal("Windows Azure Service Management API", jane.System); // the resource before the application
        Assert.True(jane.Succeeded);
        Assert.StartsWith("{\"id\":\"66ea54eb", jane.Excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', jane.Excerpt);

        var li = read.Entries[1];
        Assert.Equal((19, "Li.Wei@vendor.example", "Microsoft Teams", false), (li.Line, li.Identity, li.System, li.Succeeded));
        Assert.Equal(IPAddress.Parse("2001:db8:85a3::8a2e:370:7334"), li.Address);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 1, 44, TimeSpan.Zero).AddTicks(1234567), li.OccurredAt);

        var mapped = read.Entries[2];
        Assert.Equal(("::ffff:192.0.2.44", IPAddress.Parse("192.0.2.44")), (mapped.SourceAddress, mapped.Address));

        // The broken record: both of its problems, on the line where it starts; the read went on past it.
        Assert.Equal([(37, "createdDateTime"), (37, "ipAddress")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Equal("The time \"yesterday\" is not a date and time. Write it like 2026-12-03T08:14:02Z.", read.Problems[0].Message);
        Assert.Equal(1, read.Summary.Skipped); // the service principal's sign-in
        Assert.Equal(52, read.Summary.Lines);
        Assert.True(read.Summary.Completed);
    }

    [Fact]
    public async Task GraphValueList_IsRead_AndItsOtherPropertiesIgnored()
    {
        const string graph = """
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","@odata.nextLink":"https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=abc",
             "value":[{"id":"1","createdDateTime":"2026-12-03T08:14:02Z","userPrincipalName":"jane.roe@vendor.example","ipAddress":"203.0.113.7","appDisplayName":"Azure Portal","status":{"errorCode":0}},
                      {"id":"2","createdDateTime":"2026-12-03T08:15:02Z","userPrincipalName":"jane.roe@vendor.example","ipAddress":"203.0.113.7","appDisplayName":"Azure Portal","status":{"errorCode":50074}}],
             "extra":{"nested":[1,2,{"a":"b"}]}}
            """;
        var read = await AccessLogRead.OfAsync(graph, AccessLogFormat.EntraIdJson);
        Assert.Empty(read.Problems);
        Assert.Equal([("1", true, 2), ("2", false, 3)], read.Entries.Select(e => (e.EventId!, e.Succeeded, e.Line)));
        Assert.Equal("Azure Portal", read.Entries[0].System);
    }

    [Fact]
    public async Task RecordsLargerThanTheBuffer_AndSplitAcrossReads_AreReadWhole()
    {
        // 400 records of ~3 KB each, read through a stream that returns 7 bytes at a time: every record crosses buffer refills.
        var padding = new string('x', 3000);
        var records = Enumerable.Range(0, 400).Select(i =>
            $"{{\"id\":\"{i}\",\"createdDateTime\":\"2026-12-03T08:14:02Z\",\"userPrincipalName\":\"u{i}@vendor.example\",\"ipAddress\":\"203.0.113.{i % 250}\"," +
            $"\"userAgent\":\"{padding}\",\"status\":{{\"errorCode\":0}}}}");
        var json = "[\n" + string.Join(",\n", records) + "\n]\n";
        var read = await AccessLogRead.OfAsync(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(json), 7), AccessLogFormat.EntraIdJson);
        Assert.Empty(read.Problems);
        Assert.Equal(400, read.Entries.Count);
        Assert.Equal(Enumerable.Range(2, 400), read.Entries.Select(e => e.Line));
        Assert.Equal("u399@vendor.example", read.Entries[^1].Identity);
        Assert.Equal(402, read.Summary.Lines);
    }

    [Fact]
    public async Task ARecordLargerThanTheFirstBuffer_GrowsIt()
    {
        // One sign-in of ~300 KB (a long list of applied policies) between two small ones, read 16 KB at a time as from a request body.
        var policies = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"id\":\"{i}\",\"displayName\":\"Policy {i}\",\"result\":\"notApplied\"}}"));
        static string Record(int i, string extra) =>
            $"{{\"id\":\"{i}\",\"createdDateTime\":\"2026-12-03T08:14:02Z\",\"userPrincipalName\":\"u{i}@vendor.example\",\"ipAddress\":\"203.0.113.1\"," +
            $"\"status\":{{\"errorCode\":0}}{extra}}}";
        var json = $"[{Record(1, "")},\n{Record(2, $",\"appliedConditionalAccessPolicies\":[{policies}]")},\n{Record(3, "")}]";
        Assert.True(json.Length > 256 * 1024);
        var read = await AccessLogRead.OfAsync(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(json), 16 * 1024), AccessLogFormat.EntraIdJson);
        Assert.Empty(read.Problems);
        Assert.Equal([(1, "u1@vendor.example"), (2, "u2@vendor.example"), (3, "u3@vendor.example")], read.Entries.Select(e => (e.Line, e.Identity)));
    }

    [Theory]
    [InlineData("[{\"id\":\"1\",\"createdDateTime\":\"2026-12-03T08:14:02Z\",", "cut short")]
    [InlineData("{\"something\":[1,2,3]}", "no list of sign-ins")]
    [InlineData("\"just a string\"", "does not start with")]
    [InlineData("[{\"id\":\"1\"}\n,,]", "broken at line 2")]
    public async Task BrokenJson_IsOneProblemOfTheFile(string json, string says)
    {
        var read = await AccessLogRead.OfAsync(json, AccessLogFormat.EntraIdJson);
        Assert.Contains(says, read.FileProblem().Message, StringComparison.Ordinal);
        Assert.False(read.Summary.Completed);
    }

    [Fact]
    public async Task AnEmptyList_IsAProblem_NothingToImport() =>
        Assert.Contains("no sign-ins", (await AccessLogRead.OfAsync("[]", AccessLogFormat.EntraIdJson)).FileProblem().Message, StringComparison.Ordinal);

    // The portal's "Download CSV" (interactive sign-ins), its header as downloaded (note "Application ID " with its trailing space).
    private const string PortalCsvHeader =
        "Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Cross tenant access type,Incoming token type," +
        "Authentication Protocol,Unique token identifier,Original transfer method,Client credential type,Token Protection - Sign In Session," +
        "Token Protection - Sign In Session StatusCode,Application,Application ID ,Resource,Resource ID ,Resource tenant ID,Home tenant ID," +
        "Home tenant name,IP address,Location,Status,Sign-in error code,Failure reason,Client app,Device ID,Browser,Operating System,Compliant," +
        "Managed,Join Type,Multifactor authentication result\r\n";

    private static string PortalCsvRow(string date, string requestId, string user, string username, string application, string resource,
        string ip, string location, string status, string code, string reason) =>
        $"{date},{requestId},\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36\"," +
        $"9c2e0b1a-0000-4000-8000-000000000001,d7cc485d-2c1b-422c-98fd-5ce52859a4a3,{user},{username},Member,none,none,none,,none,none,,," +
        $"{application},c44b4083-3bb0-49c1-b47d-974e53cbdf3c,{resource},797f4846-ba00-4fd7-ba43-dac1f8f63013,,,,{ip},\"{location}\",{status},{code},{reason}," +
        "Browser,,Chrome 129.0.0,Windows 10,No,No,,\r\n";

    [Fact]
    public async Task PortalCsv_MapsColumnsByName_AndReadsStatus()
    {
        var csv = "\uFEFF" + PortalCsvHeader +
                  PortalCsvRow("2026-12-03T08:14:02Z", "66ea54eb-6301-4ee5-be62-ff5a759b0100", "Jane Roe", "jane.roe@vendor.example", "Azure Portal",
                      "Windows Azure Service Management API", "203.0.113.7", "Reston, Virginia, US", "Success", "0", "Other.") +
                  PortalCsvRow("2026-12-03T09:01:44Z", "b01ba6f4-5d2c-4a3b-a1f2-1c0e4b1b0200", "Li Wei", "li.wei@vendor.example", "Microsoft Teams",
                      "", "2001:db8::7", "Beijing, Beijing, CN", "Failure", "50126", "\"Error validating credentials, invalid password.\"") +
                  PortalCsvRow("2026-12-03T09:02:00Z", "c0000000-0000-4000-8000-000000000003", "Li Wei", "li.wei@vendor.example", "Microsoft Teams",
                      "", "2001:db8::7", "Beijing, Beijing, CN", "Interrupted", "50074", "Strong authentication is required.") +
                  PortalCsvRow("12/03/2026 9:03 AM", "d0000000-0000-4000-8000-000000000004", "Li Wei", "", "Microsoft Teams",
                      "", "203.0.113.999", "", "Maybe", "", "") +
                  PortalCsvRow("2026-12-03 10:00:00", "e0000000-0000-4000-8000-000000000005", "Jane Roe", "jane.roe@vendor.example", "Azure Portal",
                      "", "203.0.113.7", "", "", "0", "");
        var read = await AccessLogRead.OfAsync(csv, AccessLogFormat.EntraIdCsv);

        Assert.Equal(4, read.Entries.Count);
        var jane = read.Entries[0];
        Assert.Equal((2, "66ea54eb-6301-4ee5-be62-ff5a759b0100", "jane.roe@vendor.example", true), (jane.Line, jane.EventId, jane.Identity, jane.Succeeded));
        Assert.Equal("Windows Azure Service Management API", jane.System);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 8, 14, 2, TimeSpan.Zero), jane.OccurredAt);
        Assert.StartsWith("2026-12-03T08:14:02Z,66ea54eb-6301-4ee5-be62-ff5a759b0100,\"Mozilla/5.0 (Windows", jane.Excerpt, StringComparison.Ordinal);
        Assert.Equal((false, "Microsoft Teams", IPAddress.Parse("2001:db8::7")), (read.Entries[1].Succeeded, read.Entries[1].System, read.Entries[1].Address));
        Assert.False(read.Entries[2].Succeeded); // interrupted: not a success
        // "Date (UTC)" without a zone is UTC; no status but error code 0 is a success.
        Assert.Equal((6, new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), true), (read.Entries[3].Line, read.Entries[3].OccurredAt, read.Entries[3].Succeeded));

        Assert.Equal([(5, "Username"), (5, "Date (UTC)"), (5, "IP address"), (5, "Status")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Contains("\"203.0.113.999\" is not an IP address", read.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("\"Maybe\" is not Success, Failure or Interrupted", read.Problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderCsvShape_WithUserPrincipalNameAndCreatedDateTime_IsRead()
    {
        const string csv = "CreatedDateTime,UserPrincipalName,UserDisplayName,AppDisplayName,IPAddress,City,Country,Status\n" +
                           "2026-12-03T08:14:02Z,jane.roe@vendor.example,Jane Roe,Azure Portal,203.0.113.7,Reston,US,Success\n";
        var entry = Assert.Single((await AccessLogRead.OfAsync(csv, AccessLogFormat.EntraIdCsv)).Entries);
        Assert.Equal(("jane.roe@vendor.example", "Azure Portal", (string?)null, true), (entry.Identity, entry.System, entry.EventId, entry.Succeeded));
    }

    [Fact]
    public async Task CsvWithoutTheNeededColumns_SaysWhichAreMissing()
    {
        var read = await AccessLogRead.OfAsync("Date (UTC),Request ID,User\n2026-12-03T08:14:02Z,1,Jane\n", AccessLogFormat.EntraIdCsv);
        Assert.Equal([(1, "Username"), (1, "IP address")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Contains("The column \"Username\" is missing", read.Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(read.Entries);
    }
}
