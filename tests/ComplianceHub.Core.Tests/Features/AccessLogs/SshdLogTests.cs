using System.Net;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>sshd lines of an auth.log: classic syslog timestamps in the year and zone the importer gives, and RFC 3339 ones.</summary>
public sealed class SshdLogTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private const string AuthLog = """
        Jan 14 06:25:01 bastion CRON[2211]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
        Jan 14 08:14:02 bastion sshd[1234]: Accepted publickey for jdoe from 203.0.113.7 port 52144 ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4
        Jan 14 08:14:02 bastion sshd[1234]: pam_unix(sshd:session): session opened for user jdoe(uid=1001) by (uid=0)
        Jan 14 08:20:11 bastion sshd[1301]: Failed password for invalid user admin from 198.51.100.23 port 40022 ssh2
        Jan 14 08:20:15 bastion sshd[1301]: Failed password for jdoe from 2001:db8::17 port 40023 ssh2
        Jan 14 08:20:16 bastion sshd[1301]: Connection closed by authenticating user jdoe 2001:db8::17 port 40023 [preauth]
        Jul  4 12:00:00 bastion sshd-session[4401]: Accepted password for li.wei from 192.0.2.10 port 50000 ssh2
        Feb 30 12:00:00 bastion sshd[4402]: Accepted password for li.wei from 192.0.2.10 port 50001 ssh2
        Mar  8 02:30:00 bastion sshd[4403]: Accepted password for li.wei from 192.0.2.10 port 50002 ssh2
        Dec 31 23:59:59 bastion sshd[4404]: Accepted keyboard-interactive/pam for jdoe from 192.0.2.11 port 50003 ssh2
        Dec 31 23:59:59 bastion sshd[4405]: Failed password for invalid user  from 192.0.2.12 port 50004 ssh2
        this line is not syslog at all
        """;

    [Fact]
    public async Task ClassicLines_TakeTheGivenYearAndZone_WithDaylightSavingOfEachDate()
    {
        var read = await AccessLogRead.OfAsync(AuthLog, AccessLogFormat.SshdAuthLog, new SshdOptions(2026, NewYork));

        Assert.Equal(
            [
                (2, "jdoe", "203.0.113.7", true, new DateTimeOffset(2026, 1, 14, 13, 14, 2, TimeSpan.Zero)),     // EST, UTC-5
                (4, "admin", "198.51.100.23", false, new DateTimeOffset(2026, 1, 14, 13, 20, 11, TimeSpan.Zero)),
                (5, "jdoe", "2001:db8::17", false, new DateTimeOffset(2026, 1, 14, 13, 20, 15, TimeSpan.Zero)),
                (7, "li.wei", "192.0.2.10", true, new DateTimeOffset(2026, 7, 4, 16, 0, 0, TimeSpan.Zero)),       // EDT, UTC-4
                (10, "jdoe", "192.0.2.11", true, new DateTimeOffset(2027, 1, 1, 4, 59, 59, TimeSpan.Zero)),       // the given year, not guessed
            ],
            read.Entries.Select(e => (e.Line, e.Identity, e.SourceAddress, e.Succeeded, e.OccurredAt)));
        Assert.All(read.Entries, e => Assert.Equal(("bastion", (string?)null), (e.System, e.EventId)));
        Assert.Equal(IPAddress.Parse("2001:db8::17"), read.Entries[2].Address);
        Assert.StartsWith("Jan 14 08:14:02 bastion sshd[1234]: Accepted publickey for jdoe", read.Entries[0].Excerpt, StringComparison.Ordinal);

        Assert.Equal([(8, "time"), (9, "time")], read.Problems.Select(p => (p.Line, p.Field)));
        Assert.Equal("\"Feb 30 12:00:00\" is not a date and time that exists in 2026. Check the year given for this file.", read.Problems[0].Message);
        Assert.Contains("did not exist in 2026 in the time zone America/New_York", read.Problems[1].Message, StringComparison.Ordinal);
        Assert.Equal((12, 5), (read.Summary.Lines, read.Summary.Skipped)); // cron, pam, connection closed, an attempt with no user, not syslog
    }

    [Fact]
    public async Task ClassicLines_WithoutYearAndZone_AreOneProblemOfTheFile()
    {
        var problem = (await AccessLogRead.OfAsync(AuthLog, AccessLogFormat.SshdAuthLog)).FileProblem();
        Assert.Equal("year", problem.Field);
        Assert.Contains("carry no year and no time zone", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc3339Lines_CarryTheirOwnYearAndZone()
    {
        const string log = """
            2026-12-03T08:14:02.123456+00:00 bastion sshd[1234]: Accepted publickey for jdoe from 203.0.113.7 port 52144 ssh2: RSA SHA256:abc
            2026-07-03T08:14:02.123456789-04:00 bastion sshd[1235]: Failed password for jdoe from 203.0.113.7 port 52145 ssh2
            2026-07-03T08:15:00Z web-2 sshd-session[77]: Accepted publickey for deploy from bastion.vendor.example port 52146 ssh2
            2026-07-03T08:16:00+02:00 web-2 systemd[1]: Started session 12 of user deploy.
            """;
        var read = await AccessLogRead.OfAsync(log, AccessLogFormat.SshdAuthLog); // no options needed
        Assert.Empty(read.Problems);
        Assert.Equal(
            [
                (new DateTimeOffset(2026, 12, 3, 8, 14, 2, 123, TimeSpan.Zero).AddTicks(4560), true, "bastion"),
                (new DateTimeOffset(2026, 7, 3, 12, 14, 2, 123, TimeSpan.Zero).AddTicks(4567), false, "bastion"),
                (new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero), true, "web-2"),
            ],
            read.Entries.Select(e => (e.OccurredAt, e.Succeeded, e.System!)));
        Assert.Equal(("bastion.vendor.example", (IPAddress?)null), (read.Entries[2].SourceAddress, read.Entries[2].Address)); // sshd with UseDNS logs names
        Assert.Equal(1, read.Summary.Skipped);
    }

    [Fact]
    public async Task AYearThatIsNoLogsYear_IsAProblem() =>
        Assert.Equal("year", (await AccessLogRead.OfAsync(AuthLog, AccessLogFormat.SshdAuthLog, new SshdOptions(26, NewYork))).FileProblem().Field);

    [Fact]
    public async Task AFileWithNoSshdSignIns_SaysSo() =>
        Assert.Contains("no sshd sign-in lines",
            (await AccessLogRead.OfAsync("Jan 14 06:25:01 bastion CRON[2211]: session opened\n", AccessLogFormat.SshdAuthLog, new SshdOptions(2026, TimeZoneInfo.Utc)))
            .FileProblem().Message, StringComparison.Ordinal);
}
