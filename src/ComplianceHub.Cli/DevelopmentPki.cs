using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;

namespace ComplianceHub.Cli;

/// <summary>A smart card holder of the development PKI: the name on the certificate and what is wrong with it, if anything.</summary>
/// <param name="File">The file name (without extension) of the holder's certificate.</param>
/// <param name="CommonName">The subject CN; a DoD CAC's is <c>LAST.FIRST.MIDDLE.EDIPI</c>.</param>
/// <param name="Upn">The UPN in the subject alternative name (<c>EDIPI@mil</c> on a CAC); null for none.</param>
public sealed record PkiHolder(string File, string CommonName, string? Upn, PkiDefect Defect = PkiDefect.None);

/// <summary>What a test certificate is made to get wrong.</summary>
public enum PkiDefect { None, Revoked, Expired, UntrustedIssuer, ServerOnly, NoKeyUsage }

/// <summary>
/// A local stand-in for the DoD PKI, for <c>scripts/run.sh</c> and the tests: a root CA, an intermediate CA (like a DoD ID CA),
/// a TLS server certificate for localhost, and smart card certificates for the holders — each with a CRL distribution point,
/// the revoked ones listed in the intermediate's CRL. The CA names carry a random tag, so a CRL cached from an earlier
/// generation is never taken for this one's. Elliptic-curve keys (P-256): fast to make, and what newer CACs carry.
/// </summary>
public sealed class DevelopmentPki : IDisposable
{
    public const string Password = "compliancehub";

    private DevelopmentPki(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 server,
        IReadOnlyDictionary<string, X509Certificate2> holders, byte[] rootCrl, byte[] intermediateCrl, string tag)
    {
        Root = root;
        Intermediate = intermediate;
        Server = server;
        Holders = holders;
        RootCrl = rootCrl;
        IntermediateCrl = intermediateCrl;
        Tag = tag;
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 Server { get; }

    /// <summary>Each holder's certificate with its private key, by <see cref="PkiHolder.File"/>.</summary>
    public IReadOnlyDictionary<string, X509Certificate2> Holders { get; }

    public byte[] RootCrl { get; }
    public byte[] IntermediateCrl { get; }
    public string Tag { get; }

    /// <summary>The CRL files under <c>crlBaseUrl</c>: what a CRL server must answer at each path.</summary>
    public IReadOnlyDictionary<string, byte[]> CrlFiles => new Dictionary<string, byte[]>
    {
        ["/root.crl"] = RootCrl,
        ["/intermediate.crl"] = IntermediateCrl,
    };

    /// <summary>The demo accounts' cards (see DemoSeeder): the CLI binds them; plus one revoked and one expired card.</summary>
    public static IReadOnlyList<PkiHolder> DemoHolders { get; } =
    [
        .. DemoSeeder.Accounts.Where(a => DemoSeeder.SmartCards.ContainsKey(a.Email)).Select(a =>
        {
            var edipi = DemoSeeder.SmartCards[a.Email];
            var names = a.Name.ToUpperInvariant().Split(' ');
            return new PkiHolder(a.Email.Split('@')[0] + (a.VendorId is null ? "" : "-" + a.Email.Split('@')[1].Split('.')[0]),
                $"{names[^1]}.{names[0]}.Q.{edipi}", edipi + "@mil");
        }),
        // co1's card, revoked; and an expired one: both refused, whoever holds them.
        new("co1-revoked", "OFFICER.CASEY.Q.1000000002", "1000000002@mil", PkiDefect.Revoked),
        new("co1-expired", "OFFICER.CASEY.Q.1000000002", "1000000002@mil", PkiDefect.Expired),
    ];

    /// <summary>Makes the PKI; CRL distribution points name <paramref name="crlBaseUrl"/> (http, no trailing slash).</summary>
    public static DevelopmentPki Create(string crlBaseUrl, IEnumerable<PkiHolder> holders, string serverName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        var tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3));
        var root = Authority($"CN=ComplianceHub Test Root CA {tag}, OU=PKI, OU=Test, O=ComplianceHub, C=US", null, null, now);
        var intermediate = Authority($"CN=ComplianceHub Test ID CA {tag}, OU=PKI, OU=Test, O=ComplianceHub, C=US", root, crlBaseUrl + "/root.crl", now);
        using var rogue = Authority($"CN=Unknown Root CA {tag}, O=Elsewhere, C=US", null, null, now);

        var server = Issue(intermediate, $"CN={serverName}", now.AddDays(-1), now.AddYears(1), crlBaseUrl + "/intermediate.crl",
            [new Oid("1.3.6.1.5.5.7.3.1")], san: b =>
            {
                b.AddDnsName(serverName);
                b.AddDnsName("localhost");
                b.AddIpAddress(System.Net.IPAddress.Loopback);
                b.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
            });

        var issued = new Dictionary<string, X509Certificate2>();
        var revoked = new List<X509Certificate2>();
        foreach (var holder in holders)
        {
            var (from, until) = holder.Defect == PkiDefect.Expired ? (now.AddYears(-2), now.AddDays(-30)) : (now.AddDays(-1), now.AddYears(3));
            var usages = holder.Defect switch
            {
                PkiDefect.ServerOnly => new[] { new Oid("1.3.6.1.5.5.7.3.1") },
                PkiDefect.NoKeyUsage => [],
                _ => [new Oid(SmartCardIdentity.ClientAuthenticationOid), new Oid(SmartCardIdentity.SmartCardLogonOid)],
            };
            var certificate = Issue(holder.Defect == PkiDefect.UntrustedIssuer ? rogue : intermediate,
                $"CN={holder.CommonName}, OU=USN, OU=PKI, OU=DoD, O=U.S. Government, C=US", from, until, crlBaseUrl + "/intermediate.crl",
                usages, upn: holder.Upn);
            issued[holder.File] = certificate;
            if (holder.Defect == PkiDefect.Revoked)
            {
                revoked.Add(certificate);
            }
        }

        var rootCrl = Crl(root, [], now);
        var intermediateCrl = Crl(intermediate, revoked, now);
        return new DevelopmentPki(root, intermediate, server, issued, rootCrl, intermediateCrl, tag);
    }

    /// <summary>
    /// Writes the PKI to <paramref name="folder"/>: <c>root.pem</c> and <c>intermediate.pem</c> (the trust anchors),
    /// <c>server.pem</c> + <c>server.key</c> (Kestrel's certificate and chain; also as <c>server.pfx</c>), <c>root.crl</c>/<c>intermediate.crl</c>, and per holder a
    /// <c>.p12</c> (for a browser, password <see cref="Password"/>) and a <c>.pem</c> + <c>.key</c> pair.
    /// </summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "root.pem"), Root.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(folder, "intermediate.pem"), Intermediate.ExportCertificatePem() + "\n");
        File.WriteAllBytes(Path.Combine(folder, "server.pfx"), Server.Export(X509ContentType.Pfx, Password));
        // PEM with the ID CA's certificate after the server's: Kestrel sends that whole chain, so a client trusting only the
        // root can verify the server (a PFX gives Kestrel the server's certificate alone).
        File.WriteAllText(Path.Combine(folder, "server.pem"), Server.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n");
        using (var serverKey = Server.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(Path.Combine(folder, "server.key"), serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        }
        foreach (var (name, bytes) in CrlFiles)
        {
            File.WriteAllBytes(Path.Combine(folder, name.TrimStart('/')), bytes);
        }
        var cards = Path.Combine(folder, "cards");
        Directory.CreateDirectory(cards);
        foreach (var (name, certificate) in Holders)
        {
            File.WriteAllBytes(Path.Combine(cards, name + ".p12"), certificate.Export(X509ContentType.Pkcs12, Password));
            File.WriteAllText(Path.Combine(cards, name + ".pem"), certificate.ExportCertificatePem() + "\n");
            using var key = certificate.GetECDsaPrivateKey()!;
            File.WriteAllText(Path.Combine(cards, name + ".key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    private static X509Certificate2 Authority(string subject, X509Certificate2? issuer, string? crlUrl, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, issuer is null ? 1 : 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(now.AddYears(-3), now.AddYears(10)); // old enough to have issued the expired card
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl!]));
        using var signed = request.Create(issuer, now.AddYears(-3).AddDays(1), now.AddYears(5), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, DateTimeOffset from, DateTimeOffset until, string crlUrl,
        Oid[] usages, string? upn = null, Action<SubjectAlternativeNameBuilder>? san = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (usages.Length > 0)
        {
            var eku = new OidCollection();
            foreach (var usage in usages)
            {
                eku.Add(usage);
            }
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        if (san is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            san(names);
            request.CertificateExtensions.Add(names.Build());
        }
        else if (upn is not null)
        {
            request.CertificateExtensions.Add(UpnExtension(upn));
        }
        // An issued certificate ends before its issuer does.
        var end = until < issuer.NotAfter ? until : new DateTimeOffset(issuer.NotAfter.ToUniversalTime()).AddDays(-1);
        using var signed = request.Create(issuer, from, end, Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A subject alternative name holding one UPN otherName (RFC 5280 GeneralNames; the OID CAC and PIV use).</summary>
    private static X509Extension UpnExtension(string upn)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier(SmartCardIdentity.UpnOid);
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, upn);
                }
            }
        }
        return new X509Extension(SmartCardIdentity.SubjectAltNameOid, writer.Encode(), critical: false);
    }

    private static byte[] Crl(X509Certificate2 issuer, IEnumerable<X509Certificate2> revoked, DateTimeOffset now)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, now.AddHours(-1), X509RevocationReason.KeyCompromise);
        }
        return builder.Build(issuer, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));
    }

    private static byte[] Serial() => [(byte)RandomNumberGenerator.GetInt32(1, 0x7F), .. RandomNumberGenerator.GetBytes(15)];

    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        Server.Dispose();
        foreach (var certificate in Holders.Values)
        {
            certificate.Dispose();
        }
    }
}

/// <summary>
/// Serves CRL files over plain HTTP, as a CA's distribution point does, for the development PKI (<c>scripts/run.sh</c>) and
/// the tests. Only the files it was given, only GET.
/// </summary>
public sealed class CrlServer : IDisposable
{
    private readonly System.Net.HttpListener listener = new();
    private readonly IReadOnlyDictionary<string, byte[]> files;
    private readonly Task serving;

    public CrlServer(int port, IReadOnlyDictionary<string, byte[]> files)
    {
        this.files = files;
        Url = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The base address the CRL distribution points name.</summary>
    public string Url { get; }

    /// <summary>A free TCP port on the loopback interface (for the URL the certificates must name before the server starts).</summary>
    public static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            System.Net.HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            using var response = context.Response;
            if (context.Request.HttpMethod == "GET" && files.TryGetValue(context.Request.Url?.AbsolutePath ?? "", out var body))
            {
                response.ContentType = "application/pkix-crl";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary><c>dev-pki create|serve</c>: the development PKI for <c>scripts/run.sh</c> (never for production).</summary>
public static class DevelopmentPkiCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var folder = Option("--folder");
        switch (args.FirstOrDefault())
        {
            case "create" when folder is not null && Option("--crl-url") is { } crlUrl:
            {
                using var pki = DevelopmentPki.Create(crlUrl.TrimEnd('/'), DevelopmentPki.DemoHolders, Option("--server-name") ?? "localhost");
                pki.WriteTo(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "crl-url"), crlUrl.TrimEnd('/') + "\n");
                output.WriteLine($"wrote the development PKI (tag {pki.Tag}) to {folder}: {string.Join(", ", pki.Holders.Keys)}");
                return 0;
            }
            case "serve" when folder is not null && int.TryParse(Option("--port"), out var port):
            {
                var files = new[] { "root.crl", "intermediate.crl" }.ToDictionary(f => "/" + f, f => File.ReadAllBytes(Path.Combine(folder, f)));
                using var server = new CrlServer(port, files);
                output.WriteLine($"serving the development CRLs at {server.Url}");
                var stop = new TaskCompletionSource();
                using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
                {
                    c.Cancel = true;
                    stop.TrySetResult();
                });
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    stop.TrySetResult();
                };
                await stop.Task;
                return 0;
            }
            default:
                error.WriteLine("dev-pki create --folder <dir> --crl-url <http://host:port> [--server-name <name>]  |  dev-pki serve --folder <dir> --port <port>");
                return 2;
        }
    }
}
