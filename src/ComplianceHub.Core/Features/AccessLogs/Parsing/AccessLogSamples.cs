using System.Globalization;
using System.Text;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Generated access logs for tests and the benchmark: deterministic, produced on demand as they are read (a million lines take no
/// memory and no disk). Call again for a second, identical copy.
/// </summary>
public static class AccessLogSamples
{
    /// <summary>
    /// A plain CSV (<see cref="PlainCsvFile.Template"/>'s columns) of <paramref name="lines"/> sign-ins: line i (0-based) is
    /// identity i mod n, address i mod m, one second after the previous, id <c>evt-{i}</c>, every 10th a failure.
    /// </summary>
    public static Stream PlainCsv(int lines, IReadOnlyList<string> identities, IReadOnlyList<string> addresses, string system, DateTimeOffset start)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        ArgumentOutOfRangeException.ThrowIfZero(identities.Count, nameof(identities));
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count, nameof(addresses));
        var utc = start.ToUniversalTime();
        var quotedSystem = Quote(system);
        return new GeneratedLines("user,time,address,system,id,result\n", lines, i =>
            string.Create(CultureInfo.InvariantCulture,
                $"{Quote(identities[i % identities.Count])},{utc.AddSeconds(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{addresses[i % addresses.Count]},{quotedSystem},evt-{i:D7},{(i % 10 == 9 ? "failure" : "success")}\n"));
    }

    /// <summary>
    /// A classic syslog auth.log of <paramref name="lines"/> lines starting at <paramref name="start"/> (local time of the server,
    /// one second apart): sshd "Accepted publickey" lines for identity i mod n from address i mod m, every 5th line a CRON line (skipped by the reader).
    /// </summary>
    public static Stream SshdAuthLog(int lines, IReadOnlyList<string> identities, IReadOnlyList<string> addresses, DateTime start)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        ArgumentOutOfRangeException.ThrowIfZero(identities.Count, nameof(identities));
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count, nameof(addresses));
        return new GeneratedLines("", lines, i =>
        {
            var at = start.AddSeconds(i);
            var stamp = string.Create(CultureInfo.InvariantCulture, $"{at:MMM} {at.Day,2} {at:HH:mm:ss}");
            return i % 5 == 4
                ? $"{stamp} bastion CRON[{1000 + i % 9000}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{stamp} bastion sshd[{1000 + i % 9000}]: Accepted publickey for {identities[i % identities.Count]} from {addresses[i % addresses.Count]} port {1024 + i % 60000} ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4\n");
        });
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>A read-only stream that renders line i only when the reader gets there.</summary>
    private sealed class GeneratedLines(string header, int lines, Func<int, string> line) : ReadOnlyStream
    {
        private byte[] pending = Encoding.UTF8.GetBytes(header);
        private int offset;
        private int next;

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                if (offset == pending.Length)
                {
                    if (next == lines)
                    {
                        break;
                    }
                    pending = Encoding.UTF8.GetBytes(line(next++));
                    offset = 0;
                }
                var n = Math.Min(buffer.Length - written, pending.Length - offset);
                pending.AsSpan(offset, n).CopyTo(buffer[written..]);
                offset += n;
                written += n;
            }
            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
