using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// sshd's lines in a syslog file (auth.log, secure, or journalctl's output): "Accepted &lt;method&gt; for &lt;user&gt; from &lt;address&gt; port …"
/// (a success) and "Failed &lt;method&gt; for [invalid user] &lt;user&gt; from &lt;address&gt; port …" (a failure). Both the classic timestamp
/// ("Dec  3 08:14:02", which needs <see cref="SshdOptions"/>) and RFC 3339 ("2026-12-03T08:14:02.123456+00:00", rsyslog's high precision)
/// are read. Every other line is skipped and counted. The syslog host name is the system hint.
/// </summary>
internal static partial class SshdLog
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    [GeneratedRegex(@"^(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(?<day>\d{1,2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2}) (?<host>\S+) (?<program>[^\s\[:]+)(?:\[\d+\])?: (?<message>.*)$")]
    private static partial Regex Classic();

    [GeneratedRegex(@"^(?<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (?<host>\S+) (?<program>[^\s\[:]+)(?:\[\d+\])?: (?<message>.*)$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^(?<result>Accepted|Failed) (?<method>\S+) for (?:invalid user )?(?<user>.*?) from (?<address>\S+) port \d+(?: |$)")]
    private static partial Regex Attempt();

    /// <summary>Whether a line is a syslog line (either timestamp), for detection.</summary>
    public static bool IsSyslog(string line) => Classic().IsMatch(line) || Rfc3339().IsMatch(line);

    /// <summary>Whether a line is one of sshd's (sshd, or OpenSSH 9.8's sshd-session and sshd-auth).</summary>
    private static bool IsSshd(string program) => program is "sshd" or "sshd-session" or "sshd-auth";

    public static async IAsyncEnumerable<AccessLogItem> ReadAsync(Stream text, ReadCounts counts, SshdOptions? options, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(text, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        while (await reader.ReadLineAsync(ct) is { } raw)
        {
            var line = counts.NextLine();
            var item = Line(line, raw, options);
            if (item is { } value)
            {
                yield return value;
            }
            else
            {
                counts.Skipped++;
            }
        }
    }

    /// <summary>An entry or problem for an sshd attempt line; null for a line to skip.</summary>
    private static AccessLogItem? Line(int line, string raw, SshdOptions? options)
    {
        // Most lines of a busy auth.log are other programs': a cheap look first, the expressions only for sshd's attempts.
        if (!raw.Contains(" sshd", StringComparison.Ordinal) || (!raw.Contains(": Accepted ", StringComparison.Ordinal) && !raw.Contains(": Failed ", StringComparison.Ordinal)))
        {
            return null;
        }
        var classic = Classic().Match(raw);
        var match = classic.Success ? classic : Rfc3339().Match(raw);
        if (!match.Success || !IsSshd(match.Groups["program"].Value))
        {
            return null;
        }
        var attempt = Attempt().Match(match.Groups["message"].Value);
        var user = attempt.Groups["user"].Value.Trim();
        if (!attempt.Success || user.Length == 0)
        {
            // Not a sign-in attempt (a session opening, a disconnect, …), or an attempt that names no user: nothing to place.
            return null;
        }
        AccessLogItem Problem(string field, string message) => new(null, new AccessLogProblem(line, field, message));
        DateTimeOffset at;
        if (classic.Success)
        {
            if (options is null)
            {
                throw new AccessLogFileException("Lines like \"Dec  3 08:14:02 host sshd[…]\" carry no year and no time zone. " +
                                                 "Give the year of the file and the server's time zone with it.", "year");
            }
            var time = Classic(match, options, out var problem);
            if (time is null)
            {
                return Problem("time", problem!);
            }
            at = time.Value;
        }
        else
        {
            var time = Times.Parse(match.Groups["time"].Value, assumeUtc: false, out var problem);
            if (time is null)
            {
                return Problem("time", problem!);
            }
            at = time.Value;
        }
        var source = attempt.Groups["address"].Value;
        var address = LogInput.Address(source, out var addressProblem);
        if (addressProblem is not null)
        {
            return Problem("address", addressProblem);
        }
        return new(new AccessLogEntry(line, null, user, at, source, address, match.Groups["host"].Value,
            attempt.Groups["result"].Value == "Accepted", LogInput.Excerpt(raw)), null);
    }

    /// <summary>A classic timestamp in the given year and zone, in UTC (the zone's daylight saving rules for that date apply).</summary>
    private static DateTimeOffset? Classic(Match match, SshdOptions options, out string? problem)
    {
        problem = null;
        var month = Array.IndexOf(Months, match.Groups["month"].Value) + 1;
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture);
        var written = $"{match.Groups["month"].Value} {day} {match.Groups["hour"].Value}:{match.Groups["minute"].Value}:{match.Groups["second"].Value}";
        if (day < 1 || day > DateTime.DaysInMonth(options.Year, month) || hour > 23 || minute > 59 || second > 59)
        {
            problem = $"\"{written}\" is not a date and time that exists in {options.Year}. Check the year given for this file.";
            return null;
        }
        var local = new DateTime(options.Year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        if (options.Zone.IsInvalidTime(local))
        {
            problem = $"\"{written}\" did not exist in {options.Year} in the time zone {options.Zone.Id} (the clocks moved forward then). " +
                      "Check the time zone given for this file.";
            return null;
        }
        // An hour that happened twice (the clocks moved back) is read as standard time.
        return new DateTimeOffset(local, options.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
