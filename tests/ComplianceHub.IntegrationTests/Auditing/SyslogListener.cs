using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// A syslog collector for the off-load tests: a real TCP listener on loopback (with TLS when given a certificate) that reads
/// RFC 6587 octet-counted frames and parses each as an RFC 5424 message, strictly — a frame or message out of form is recorded in
/// <see cref="Errors"/> (the tests assert there are none) and ends its connection. It can be stopped and started again on the
/// same port, as a collector restarts.
/// </summary>
public sealed class SyslogListener : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly List<SyslogMessage> _messages = [];
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    private SyslogListener(X509Certificate2? certificate) => _certificate = certificate;

    public int Port { get; private set; }

    /// <summary>Every message received, in the order read (over all connections).</summary>
    public IReadOnlyList<SyslogMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>What was out of form: a bad frame or message.</summary>
    public IReadOnlyList<string> Errors => _errors.ToList();

    /// <summary>Connections accepted, over the listener's life.</summary>
    public int Connections => _clients.Count;

    public static SyslogListener Start(X509Certificate2? certificate = null)
    {
        var listener = new SyslogListener(certificate);
        listener.Listen(0);
        return listener;
    }

    private void Listen(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        // Started again on its port while the closed connections are still in TIME_WAIT.
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Stops listening and closes every connection, as a collector going down does.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }
        await _stop!.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        try
        {
            await _accepting!;
        }
        catch (OperationCanceledException)
        {
        }
        _listener = null;
    }

    /// <summary>
    /// A collector that crashes and comes back having lost what it had not saved: the messages received after the first
    /// <paramref name="kept"/> are forgotten, every connection is reset (RST), and it listens again on its port.
    /// </summary>
    public async Task CrashLosingAsync(int kept)
    {
        foreach (var client in _clients)
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        await StopAsync();
        lock (_messages)
        {
            _messages.RemoveRange(kept, _messages.Count - kept);
        }
        Restart();
    }

    /// <summary>Listens again on the same port.</summary>
    public void Restart() => Listen(Port);

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        var connections = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(ct);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    break;
                }
                _clients.Add(client);
                connections.Add(ReadAsync(client, ct));
            }
        }
        finally
        {
            await Task.WhenAll(connections);
        }
    }

    private async Task ReadAsync(TcpClient client, CancellationToken ct)
    {
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, ct);
                stream = tls;
            }
            var reader = new FrameReader(stream);
            while (await reader.NextAsync(ct) is { } frame)
            {
                var message = SyslogMessage.Parse(frame);
                lock (_messages)
                {
                    _messages.Add(message);
                }
            }
        }
        catch (FormatException ex)
        {
            _errors.Enqueue(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                       or System.Security.Authentication.AuthenticationException)
        {
            // The collector stopped, or the sender went away or refused the handshake: the connection ends.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Reads RFC 6587 3.4.1 frames: MSG-LEN (a non-zero digit, then digits) SP, then exactly that many octets.</summary>
    private sealed class FrameReader(Stream stream)
    {
        private readonly byte[] _one = new byte[1];

        /// <summary>The next frame's message, or null at a clean end of the stream (between frames).</summary>
        public async Task<byte[]?> NextAsync(CancellationToken ct)
        {
            var length = 0L;
            var digits = 0;
            while (true)
            {
                if (await stream.ReadAsync(_one, ct) == 0)
                {
                    return digits == 0 ? null : throw new FormatException("The stream ended inside a frame's length.");
                }
                var b = _one[0];
                if (b == (byte)' ' && digits > 0)
                {
                    break;
                }
                if (b is < (byte)'0' or > (byte)'9' || (digits == 0 && b == (byte)'0') || digits == 9)
                {
                    throw new FormatException($"Not an octet-counted frame: byte 0x{b:x2} at digit {digits} of the length.");
                }
                length = length * 10 + (b - '0');
                digits++;
            }
            var message = new byte[length];
            await stream.ReadExactlyAsync(message, ct);
            return message;
        }
    }
}

/// <summary>One RFC 5424 message as the off-load writes it, parsed strictly (<see cref="Parse"/>).</summary>
public sealed record SyslogMessage(int Priority, DateTimeOffset Timestamp, string HostName, string AppName, string ProcId, string MsgId,
    IReadOnlyDictionary<string, string> Data, string Body, int Bytes)
{
    public long Seq => long.Parse(Data["seq"], CultureInfo.InvariantCulture);
    public string Hash => Data["hash"];
    public int Type => int.Parse(Data["type"], CultureInfo.InvariantCulture);
    public bool Truncated => Data.ContainsKey("truncated");

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static SyslogMessage Parse(byte[] bytes)
    {
        var text = new Utf8Reader(bytes);
        text.Expect('<');
        var priority = int.Parse(text.Until('>', 3), CultureInfo.InvariantCulture);
        text.Expect('>');
        text.Expect('1');
        text.Expect(' ');
        var timestamp = DateTimeOffset.ParseExact(text.Until(' ', 32), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        text.Expect(' ');
        var host = text.PrintableField(255);
        var app = text.PrintableField(48);
        var procId = text.PrintableField(128);
        var msgId = text.PrintableField(32);
        // One SD-ELEMENT, the off-load's, with its params.
        text.Expect('[');
        var id = text.Until(' ', 32);
        if (id != SyslogFormat.StructuredDataId)
        {
            throw new FormatException($"Unexpected SD-ID {id}.");
        }
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        while (text.Peek() == ' ')
        {
            text.Expect(' ');
            var name = text.Until('=', 32);
            text.Expect('=');
            text.Expect('"');
            data.Add(name, text.ParamValue());
        }
        text.Expect(']');
        text.Expect(' ');
        var body = text.Rest();
        if (!body.AsSpan().StartsWith(Bom))
        {
            throw new FormatException("The MSG does not start with the UTF-8 BOM (RFC 5424 6.4).");
        }
        var json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body, Bom.Length, body.Length - Bom.Length);
        var message = new SyslogMessage(priority, timestamp, host, app, procId, msgId, data, json, bytes.Length);
        if (!message.Truncated)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.GetProperty("sequence").GetInt64() != message.Seq)
            {
                throw new FormatException($"The body's sequence differs from seq {message.Seq}.");
            }
        }
        else if (!json.EndsWith(SyslogFormat.TruncationMarker, StringComparison.Ordinal))
        {
            throw new FormatException($"Message {message.Seq} says it is truncated, without the marker.");
        }
        return message;
    }

    /// <summary>A cursor over the message's bytes.</summary>
    private sealed class Utf8Reader(byte[] bytes)
    {
        private int _at;

        public int Peek() => _at < bytes.Length ? bytes[_at] : -1;

        public void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"Expected '{c}' at byte {_at}, found {(Peek() < 0 ? "the end" : $"0x{Peek():x2}")}.");
            }
            _at++;
        }

        /// <summary>Printable ASCII up to (not including) <paramref name="end"/>, 1 to <paramref name="max"/> characters.</summary>
        public string Until(char end, int max)
        {
            var start = _at;
            while (Peek() is var b && b != end)
            {
                if (b is < 33 or > 126 || _at - start == max)
                {
                    throw new FormatException($"Bad header field at byte {_at}.");
                }
                _at++;
            }
            if (_at == start)
            {
                throw new FormatException($"Empty header field at byte {_at}.");
            }
            return Encoding.ASCII.GetString(bytes, start, _at - start);
        }

        /// <summary>A header field and the space after it.</summary>
        public string PrintableField(int max)
        {
            var value = Until(' ', max);
            Expect(' ');
            return value;
        }

        /// <summary>A PARAM-VALUE up to its closing quote: '"', '\' and ']' come escaped, and nothing else is escaped.</summary>
        public string ParamValue()
        {
            var value = new List<byte>();
            while (true)
            {
                var b = Peek();
                _at++;
                switch (b)
                {
                    case -1:
                        throw new FormatException("The message ended inside a PARAM-VALUE.");
                    case '"':
                        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value.ToArray());
                    case ']':
                        throw new FormatException($"Unescaped ']' in a PARAM-VALUE at byte {_at - 1}.");
                    case '\\':
                        var next = Peek();
                        _at++;
                        if (next is not ('"' or '\\' or ']'))
                        {
                            throw new FormatException($"Unexpected escape at byte {_at - 1}.");
                        }
                        value.Add((byte)next);
                        break;
                    default:
                        value.Add((byte)b);
                        break;
                }
            }
        }

        public byte[] Rest() => bytes[_at..];
    }
}
