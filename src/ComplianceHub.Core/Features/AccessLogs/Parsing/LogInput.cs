using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>A problem of the file itself (line 0): the read stops.</summary>
internal sealed class AccessLogFileException(string message, string field = "file") : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>What the readers of each format share with the caller while they run: lines read and lines skipped.</summary>
internal sealed class ReadCounts
{
    public int Lines;
    public int Skipped;

    /// <summary>Counts one more line, stopping the read past <see cref="AccessLogReader.MaxLines"/>.</summary>
    public int NextLine()
    {
        if (++Lines > AccessLogReader.MaxLines)
        {
            throw TooManyLines();
        }
        return Lines;
    }

    public static AccessLogFileException TooManyLines() =>
        new($"The file has more than {AccessLogReader.MaxLines:N0} lines. Split it (for example by day) and import the parts one by one.");
}

/// <summary>Opening a log: the first bytes tell gzip, binary files and UTF-16 apart from UTF-8 text.</summary>
internal static partial class LogInput
{
    private const int HeadSize = 64 * 1024;

    /// <summary>
    /// The text of <paramref name="source"/> as a checked stream (gzip decompressed, byte order mark dropped, UTF-8 checked and size limited
    /// as it is read) and its first bytes. Throws <see cref="AccessLogFileException"/> for a file that is not text.
    /// </summary>
    public static async Task<(Stream Text, byte[] Head)> OpenAsync(Stream source, CancellationToken ct)
    {
        var head = await PeekAsync(source, HeadSize, ct);
        Stream inner = new PrefixedStream(head, source, ownsRest: false);
        var gzip = head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]);
        if (gzip)
        {
            inner = new GZipStream(inner, CompressionMode.Decompress);
            try
            {
                head = await PeekAsync(inner, HeadSize, ct);
            }
            catch (InvalidDataException)
            {
                throw Damaged();
            }
            inner = new PrefixedStream(head, inner, ownsRest: true);
        }
        if (head.Length == 0)
        {
            throw new AccessLogFileException("The file is empty.");
        }
        if (head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xff, 0xfe]) || head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xfe, 0xff]))
        {
            throw new AccessLogFileException("The file is UTF-16 text. Save it as UTF-8 (for a CSV: \"CSV UTF-8\") and import it again.");
        }
        if (IsBinary(head))
        {
            throw new AccessLogFileException("The file is not a text log (it looks like a PDF, a zip or spreadsheet, or another binary file). " +
                                             "Export the log as JSON, CSV or text and import that file.");
        }
        var bom = head.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        if (bom > 0)
        {
            // The prefix already holds the head: skip the byte order mark by reading it away.
            var skip = new byte[bom];
            await inner.ReadExactlyAsync(skip, ct);
            head = head[bom..];
        }
        return (new CheckedStream(inner, gzip), head);
    }

    public static bool IsBinary(ReadOnlySpan<byte> head) =>
        head.IndexOf((byte)0) >= 0 || head.StartsWith("%PDF"u8) || head.StartsWith("PK"u8);

    /// <summary>A message for a gzip file that cannot be decompressed.</summary>
    public static AccessLogFileException Damaged() =>
        new("The file is a damaged gzip file. Download it again, or decompress it and import the text.");

    private static async Task<byte[]> PeekAsync(Stream stream, int size, CancellationToken ct)
    {
        var buffer = new byte[size];
        var read = await stream.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, ct);
        return buffer.AsSpan(0, read).ToArray();
    }

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex Ipv4();

    /// <summary>
    /// Reads a source address: an IPv4 or IPv6 address (an IPv4-mapped IPv6 address becomes IPv4), or a name (such as a cloud service's)
    /// with no address. A text that tries to be an address and is not one is a problem (returned as the message).
    /// </summary>
    public static IPAddress? Address(string text, out string? problem)
    {
        problem = null;
        var value = text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        var looksV4 = value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c == '.');
        var looksV6 = value.Contains(':', StringComparison.Ordinal);
        if ((looksV4 && Ipv4().IsMatch(value) || looksV6) && IPAddress.TryParse(value, out var address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
        {
            return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        }
        if (looksV4 || looksV6 || value.Length > 255)
        {
            problem = $"\"{Cut(text, 60)}\" is not an IP address. Write it like 203.0.113.7 or 2001:db8::7.";
        }
        return null;
    }

    /// <summary>The text cut to <paramref name="max"/> characters (with an ellipsis), on one line.</summary>
    public static string Cut(string value, int max)
    {
        var oneLine = value.AsSpan().IndexOfAny('\r', '\n') >= 0 ? value.ReplaceLineEndings(" ") : value;
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }

    /// <summary>An excerpt for evidence: at most 500 characters.</summary>
    public static string Excerpt(string value) => Cut(value, 500);

    /// <summary>
    /// A read-only stream that counts bytes (stopping past <see cref="AccessLogReader.MaxBytes"/>) and checks that they are UTF-8,
    /// carrying a character split between two reads over to the next.
    /// </summary>
    private sealed class CheckedStream(Stream inner, bool gzip) : ReadOnlyStream
    {
        private long total;
        private readonly byte[] carry = new byte[4];
        private int carried;

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (InvalidDataException)
            {
                throw Damaged();
            }
            return Check(buffer[..read]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException)
            {
                throw Damaged();
            }
            return Check(buffer.Span[..read]);
        }

        private int Check(ReadOnlySpan<byte> bytes)
        {
            total += bytes.Length;
            if (total > AccessLogReader.MaxBytes)
            {
                throw new AccessLogFileException(gzip
                    ? $"The file holds more than {AccessLogReader.MaxBytes / 1024 / 1024} MB of text once decompressed. Split it (for example by day) and import the parts."
                    : $"The file is larger than {AccessLogReader.MaxBytes / 1024 / 1024} MB. Split it (for example by day) and import the parts.");
            }
            if (bytes.IsEmpty)
            {
                if (carried > 0)
                {
                    throw NotUtf8();
                }
                return 0;
            }
            var start = 0;
            if (carried > 0)
            {
                // Complete the character split at the end of the last read.
                while (carried < 4 && start < bytes.Length && Incomplete(carry.AsSpan(0, carried)) > 0)
                {
                    carry[carried++] = bytes[start++];
                }
                if (Incomplete(carry.AsSpan(0, carried)) > 0)
                {
                    if (carried == 4)
                    {
                        throw NotUtf8();
                    }
                    return bytes.Length;
                }
                if (!Utf8.IsValid(carry.AsSpan(0, carried)))
                {
                    throw NotUtf8();
                }
                carried = 0;
            }
            var rest = bytes[start..];
            var tail = Incomplete(rest);
            if (!Utf8.IsValid(rest[..^tail]))
            {
                throw NotUtf8();
            }
            rest[^tail..].CopyTo(carry);
            carried = tail;
            return bytes.Length;
        }

        /// <summary>How many bytes at the end of <paramref name="bytes"/> start a character that is not complete yet (0 to 3).</summary>
        private static int Incomplete(ReadOnlySpan<byte> bytes)
        {
            for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
            {
                var b = bytes[^back];
                if ((b & 0xC0) == 0x80)
                {
                    continue;
                }
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? back : 0;
            }
            return 0;
        }

        private static AccessLogFileException NotUtf8() =>
            new("The file is not UTF-8 text. Export it again as UTF-8 (for a CSV: save as \"CSV UTF-8\") and import that file.");

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>The bytes already peeked, then the rest of the stream (disposed with this one when owned).</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest, bool ownsRest) : ReadOnlyStream
    {
        private int offset;

        protected override void Dispose(bool disposing)
        {
            if (disposing && ownsRest)
            {
                rest.Dispose();
            }
            base.Dispose(disposing);
        }

        public override int Read(Span<byte> buffer) => offset < prefix.Length ? FromPrefix(buffer) : rest.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            offset < prefix.Length ? ValueTask.FromResult(FromPrefix(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

        private int FromPrefix(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, prefix.Length - offset);
            prefix.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            return n;
        }
    }
}
