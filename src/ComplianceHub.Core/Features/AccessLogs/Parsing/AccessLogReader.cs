using System.Runtime.CompilerServices;
using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Reads access logs as a stream: the file is never held whole in memory; each record is returned as soon as it is read, and a bad
/// line is a problem with its line number and field while the read goes on. A problem of the file itself (line 0: not UTF-8 text, a
/// binary file, larger than <see cref="MaxBytes"/> or longer than <see cref="MaxLines"/>, broken JSON) stops the read. gzip files
/// (<c>.json.gz</c>, <c>auth.log.2.gz</c>) are decompressed as they are read, in every format.
/// </summary>
public static class AccessLogReader
{
    /// <summary>The largest file read (for a gzip file: its uncompressed content).</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>The most lines read; a longer file gives a problem and the read stops.</summary>
    public const int MaxLines = 2_000_000;

    /// <summary>
    /// Detects the format from the first 64 KiB (decompressed when gzip): JSON with "Records" is CloudTrail; a JSON array or
    /// <c>{"value":[...]}</c> with userPrincipalName is Entra ID; a CSV header with "User principal name", or "Username" with
    /// "Request ID" or "Date (UTC)", is Entra ID CSV; a CSV header with user, time and address is the plain CSV; a syslog line
    /// (classic or RFC 3339 timestamp) first is an auth.log. Null when unknown, or not text. <paramref name="open"/> is called once;
    /// the stream is disposed.
    /// </summary>
    public static async Task<AccessLogFormat?> DetectAsync(Func<Stream> open, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(open);
        var stream = open();
        await using (stream)
        {
            try
            {
                var (text, head) = await LogInput.OpenAsync(stream, ct);
                await text.DisposeAsync();
                return Detect(head);
            }
            catch (AccessLogFileException)
            {
                return null;
            }
        }
    }

    private static AccessLogFormat? Detect(byte[] head)
    {
        var text = Encoding.UTF8.GetString(head);
        var start = text.TrimStart();
        if (start.StartsWith('{') || start.StartsWith('['))
        {
            if (start[0] == '{' && text.Contains("\"Records\"", StringComparison.Ordinal))
            {
                return AccessLogFormat.CloudTrailJson;
            }
            return text.Contains("\"userPrincipalName\"", StringComparison.Ordinal) ? AccessLogFormat.EntraIdJson : null;
        }
        var first = start.Split('\n', 2)[0].TrimEnd('\r');
        if (SshdLog.IsSyslog(first))
        {
            return AccessLogFormat.SshdAuthLog;
        }
        var delimiter = new[] { ',', ';', '\t' }.MaxBy(d => first.Count(c => c == d));
        var names = first.Split(delimiter).Select(n => CsvLogs.Normalize(n)).ToHashSet();
        if (CsvLogs.IsEntraHeader(names))
        {
            return AccessLogFormat.EntraIdCsv;
        }
        return CsvLogs.IsPlainHeader(names) ? AccessLogFormat.PlainCsv : null;
    }

    /// <summary>
    /// Reads <paramref name="content"/> as <paramref name="format"/>: one item per entry or problem, in file order, then always a last
    /// item with neither and the <see cref="AccessLogItem.Summary"/> (lines, entries, problems, lines skipped). <paramref name="sshd"/>
    /// gives the year and zone of classic syslog lines (without it such a file is a problem on line 0). A file with no entry and no
    /// problem gets one problem on line 0 (nothing to import). <paramref name="content"/> is not disposed.
    /// </summary>
    public static IAsyncEnumerable<AccessLogItem> ReadAsync(Stream content, AccessLogFormat format, SshdOptions? sshd, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }
        return RunAsync(content, format, sshd, ct);
    }

    private static async IAsyncEnumerable<AccessLogItem> RunAsync(Stream content, AccessLogFormat format, SshdOptions? sshd,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var counts = new ReadCounts();
        int entries = 0, problems = 0;
        AccessLogProblem? stop = null;
        if (sshd is { Year: < 1970 or > 9998 })
        {
            stop = new AccessLogProblem(0, "year", $"{sshd.Year} is not the year of a log. Give the year the file was written, like 2026.");
        }
        Stream? text = null;
        if (stop is null)
        {
            try
            {
                (text, _) = await LogInput.OpenAsync(content, ct);
            }
            catch (AccessLogFileException e)
            {
                stop = new AccessLogProblem(0, e.Field, e.Message);
            }
        }
        if (text is not null)
        {
            await using (text)
            {
                var items = format switch
                {
                    AccessLogFormat.EntraIdJson => JsonLogs.EntraIdAsync(text, counts, ct),
                    AccessLogFormat.CloudTrailJson => JsonLogs.CloudTrailAsync(text, counts, ct),
                    AccessLogFormat.EntraIdCsv => CsvLogs.EntraIdAsync(text, counts, ct),
                    AccessLogFormat.PlainCsv => CsvLogs.PlainAsync(text, counts, ct),
                    _ => SshdLog.ReadAsync(text, counts, sshd, ct),
                };
                await using var reading = items.GetAsyncEnumerator(ct);
                while (true)
                {
                    try
                    {
                        if (!await reading.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (AccessLogFileException e)
                    {
                        stop = new AccessLogProblem(0, e.Field, e.Message);
                        break;
                    }
                    catch (DecoderFallbackException)
                    {
                        stop = new AccessLogProblem(0, "file", "The file is not UTF-8 text. Export it again as UTF-8 (for a CSV: save as \"CSV UTF-8\") and import that file.");
                        break;
                    }
                    var item = reading.Current;
                    if (item.Entry is not null)
                    {
                        entries++;
                    }
                    else
                    {
                        problems++;
                    }
                    yield return item;
                }
            }
        }
        if (stop is not null)
        {
            problems++;
            yield return new AccessLogItem(null, stop);
        }
        else if (entries == 0 && problems == 0)
        {
            problems++;
            yield return new AccessLogItem(null, new AccessLogProblem(0, "file", Empty(format)));
        }
        yield return new AccessLogItem(null, null) { Summary = new AccessLogSummary(counts.Lines, entries, problems, counts.Skipped, stop is null) };
    }

    private static string Empty(AccessLogFormat format) => format switch
    {
        AccessLogFormat.SshdAuthLog => "The file has no sshd sign-in lines (\"Accepted … for … from …\" or \"Failed … for … from …\"). " +
                                       "Check that it is the server's auth.log or secure file.",
        AccessLogFormat.PlainCsv or AccessLogFormat.EntraIdCsv => "The file has a header but no sign-ins.",
        _ => "The file holds no sign-ins.",
    };

    /// <summary>The format in plain words, e.g. "Microsoft Entra ID sign-in log (JSON)" (<see cref="Words.Of(AccessLogFormat)"/>).</summary>
    public static string Describe(AccessLogFormat format) => Enum.IsDefined(format) ? Words.Of(format) : throw new ArgumentOutOfRangeException(nameof(format));
}
