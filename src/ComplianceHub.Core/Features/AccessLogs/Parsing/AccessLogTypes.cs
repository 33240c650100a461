using System.Net;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>The access-log formats the import reads.</summary>
public enum AccessLogFormat
{
    /// <summary>Microsoft Entra ID sign-in log as JSON: the portal's "Download JSON" (an array) or Microsoft Graph's <c>{"value":[...]}</c>.</summary>
    EntraIdJson,

    /// <summary>Microsoft Entra ID sign-in log as the portal's "Download CSV".</summary>
    EntraIdCsv,

    /// <summary>AWS CloudTrail log file as delivered to S3: <c>{"Records":[...]}</c>, optionally gzip-compressed.</summary>
    CloudTrailJson,

    /// <summary>Linux <c>sshd</c> lines of a syslog file such as <c>/var/log/auth.log</c> or <c>/var/log/secure</c>.</summary>
    SshdAuthLog,

    /// <summary>A plain CSV with the columns <c>user, time, address, system</c> and optional <c>id</c> and <c>result</c>.</summary>
    PlainCsv,
}

/// <summary>One access event read from a log line (or JSON record).</summary>
/// <param name="Line">1-based line number in the file (for JSON: the line where the record starts), used in reports and as evidence.</param>
/// <param name="EventId">The log's own id (Entra <c>id</c>/"Request ID", CloudTrail <c>eventID</c>, the plain CSV's <c>id</c>); null when the format has none.</param>
/// <param name="Identity">As written: UPN, e-mail, user name, CloudTrail user name or the session name of an assumed role.</param>
/// <param name="OccurredAt">When it happened, in UTC (offset zero).</param>
/// <param name="SourceAddress">The source address as written (IPv4 or IPv6 text; may be a name such as <c>ec2.amazonaws.com</c>).</param>
/// <param name="Address">The parsed address (an IPv4-mapped IPv6 address is returned as IPv4); null when the source is not an IP address.</param>
/// <param name="System">A system hint from the line when the format has one, else null.</param>
/// <param name="Succeeded">True for a successful sign-in or access; failed attempts are kept with false.</param>
/// <param name="Excerpt">The raw line (or a compact one-line JSON rendering of the record's key fields), at most 500 characters, for evidence.</param>
public sealed record AccessLogEntry(
    int Line,
    string? EventId,
    string Identity,
    DateTimeOffset OccurredAt,
    string SourceAddress,
    IPAddress? Address,
    string? System,
    bool Succeeded,
    string Excerpt);

/// <summary>A line that could not be read, or (line 0) a problem of the file itself. The message says in plain words what to do.</summary>
/// <param name="Line">1-based line number; 0 for the file itself.</param>
/// <param name="Field">The field or column concerned, as the file names it ("file" for the file itself).</param>
/// <param name="Message">What is wrong and what to do, in plain words.</param>
public sealed record AccessLogProblem(int Line, string Field, string Message);

/// <summary>
/// The counts of a finished read, carried by the last item of every <see cref="AccessLogReader.ReadAsync"/> enumeration.
/// </summary>
/// <param name="Lines">Lines read (for JSON: the line the read ended on).</param>
/// <param name="Entries">Entries returned.</param>
/// <param name="Problems">Problems returned.</param>
/// <param name="Skipped">Lines skipped silently because they are not access events (auth.log lines of other programs, sshd lines that are
/// neither "Accepted" nor "Failed"; empty lines of any format).</param>
/// <param name="Completed">False when the read stopped early (a problem of the file itself: not UTF-8, too large, broken JSON).</param>
public sealed record AccessLogSummary(int Lines, int Entries, int Problems, int Skipped, bool Completed);

/// <summary>
/// One item of a read: an <see cref="Entry"/> or a <see cref="Problem"/>. The very last item of a read has neither and carries the
/// <see cref="Summary"/> (counts, including the lines skipped silently).
/// </summary>
public readonly record struct AccessLogItem(AccessLogEntry? Entry, AccessLogProblem? Problem)
{
    /// <summary>Set on the last item only: the counts of the read.</summary>
    public AccessLogSummary? Summary { get; init; }
}

/// <summary>What classic syslog lines (<c>Dec  3 08:14:02 host sshd[1234]: ...</c>) do not say: the year and the time zone of the server.</summary>
/// <param name="Year">The year of every classic line of the file (no guessing at a turn of year: split such a file).</param>
/// <param name="Zone">The server's time zone; its daylight saving rules apply to each line's date.</param>
public sealed record SshdOptions(int Year, TimeZoneInfo Zone);
