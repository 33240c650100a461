namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Reads access logs as a stream: the file is never held whole in memory, each record is returned as soon as it is read.
/// </summary>
public static class AccessLogReader
{
    /// <summary>The largest file read (for a gzip file: its uncompressed content).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>The most lines read; a longer file gives a problem and the read stops.</summary>
    public const int MaxLines = 2_000_000;

    /// <summary>
    /// Detects the format from the first bytes: JSON with "Records" is CloudTrail; a JSON array or <c>{"value":[...]}</c> with
    /// userPrincipalName is Entra ID; a CSV header with "User principal name"/"Username" and "Request ID"/"Date (UTC)" is Entra ID CSV;
    /// a CSV header with user, time and address is the plain CSV; syslog lines are an auth.log. Null when unknown (or not text).
    /// </summary>
    public static Task<AccessLogFormat?> DetectAsync(Func<Stream> open, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>
    /// Reads <paramref name="content"/> as <paramref name="format"/>: one item per entry or problem, then a last item with the
    /// <see cref="AccessLogItem.Summary"/>. <paramref name="sshd"/> is required for classic syslog lines.
    /// </summary>
    public static IAsyncEnumerable<AccessLogItem> ReadAsync(Stream content, AccessLogFormat format, SshdOptions? sshd, CancellationToken ct) =>
        throw new NotImplementedException();

    /// <summary>The format in plain words, e.g. "Microsoft Entra ID sign-in log (JSON)".</summary>
    public static string Describe(AccessLogFormat format) => format switch
    {
        AccessLogFormat.EntraIdJson => "Microsoft Entra ID sign-in log (JSON)",
        AccessLogFormat.EntraIdCsv => "Microsoft Entra ID sign-in log (CSV)",
        AccessLogFormat.CloudTrailJson => "AWS CloudTrail log (JSON)",
        AccessLogFormat.SshdAuthLog => "Linux sshd log (auth.log or secure)",
        AccessLogFormat.PlainCsv => "CSV of user, time, address and system",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
