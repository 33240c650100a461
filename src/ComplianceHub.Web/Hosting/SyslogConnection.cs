using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// One TCP connection to the syslog collector, through TLS when configured (RFC 5425): the system's trust store checks the
/// collector's certificate, or the CA file's certificates alone when one is set, and the certificate must name
/// <see cref="AuditOffloadOptions.EffectiveServerName"/>. The collector sends no data on it (RFC 6587 is one-way; TLS may send
/// session tickets or a close alert), so the connection is read all along, and the read's end — the collector closed or reset
/// it — marks it <see cref="ClosedByPeer"/>, which the sender checks before and after each batch: a batch is not written into a
/// connection the collector has already left.
/// </summary>
internal sealed class SyslogConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _stream;

    private readonly Task _watching;
    private volatile bool _closed;

    private SyslogConnection(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
        _watching = WatchAsync();
    }

    /// <summary>
    /// Reads until the collector closes or resets the connection (TLS handles its own records within the read), then marks it
    /// closed. One read alongside the writes is what both streams allow.
    /// </summary>
    private async Task WatchAsync()
    {
        var buffer = new byte[512];
        try
        {
            while (await _stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException
                                       or System.Security.Authentication.AuthenticationException)
        {
            // Reset, or disposed by this side: closed either way.
        }
        _closed = true;
    }

    /// <summary>Connects (and shakes hands) within <see cref="AuditOffloadOptions.Timeout"/>.</summary>
    public static async Task<SyslogConnection> OpenAsync(AuditOffloadOptions options, X509Certificate2Collection? roots, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(options.Host!, options.EffectivePort, timeout.Token);
            Stream stream = client.GetStream();
            if (options.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = options.EffectiveServerName,
                    RemoteCertificateValidationCallback = roots is null ? null : (_, certificate, chain, errors) => ChainsTo(roots, certificate, chain, errors),
                }, timeout.Token);
                stream = tls;
            }
            return new SyslogConnection(client, stream);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The certificates of a PEM CA file; none is an error.</summary>
    public static X509Certificate2Collection LoadRoots(string file)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(file);
        return roots.Count > 0 ? roots : throw new InvalidOperationException($"{file} holds no PEM certificate.");
    }

    /// <summary>
    /// The collector's certificate with a configured CA file: it must name the server (the handshake's own check) and chain to one
    /// of <paramref name="roots"/>, and to nothing else (custom root trust; the intermediates it sent may complete the chain).
    /// </summary>
    private static bool ChainsTo(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? sent, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (sent is not null)
        {
            foreach (var element in sent.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    /// <summary>
    /// Whether the collector has closed or reset the connection: the watching read has ended, or the socket is readable with
    /// nothing to read (its end has arrived and the read has not yet seen it).
    /// </summary>
    public bool ClosedByPeer
    {
        get
        {
            if (_closed || !_client.Connected)
            {
                return true;
            }
            try
            {
                return (_client.Client.Poll(0, SelectMode.SelectRead) && _client.Client.Available == 0) || _client.Client.Poll(0, SelectMode.SelectError);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    /// <summary>Writes <paramref name="frames"/> and flushes them within <see cref="AuditOffloadOptions.Timeout"/>.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> frames, TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        await _stream.WriteAsync(frames, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // A connection already broken has nothing left to close cleanly.
        }
        _client.Dispose();
        await _watching;
    }
}
