using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Authorization;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// CAC/PIV sign-in (IA-2(12)), section <c>SmartCard</c>. The certificate is asked for at the TLS handshake on a listener of
/// its own (Kestrel endpoint with <c>ClientCertificateMode=RequireCertificate</c>, HTTP/1.1); behind a proxy that ends TLS,
/// only a certificate forwarded by one of <see cref="CertificateProxies"/> is read.
/// </summary>
public sealed class SmartCardOptions
{
    public const string Section = "SmartCard";

    /// <summary>Smart card sign-in is offered (the sign-in page links to <see cref="SignInUrl"/>).</summary>
    public bool Enabled { get; set; }

    /// <summary>The address of the smart card listener's sign-in, e.g. <c>https://portal.example.mil:8443/auth/smart-card</c>.</summary>
    public string? SignInUrl { get; set; }

    /// <summary>PEM or DER files of the root CAs a certificate must chain to (the DoD roots); no other root is trusted.</summary>
    public string[] TrustedRoots { get; set; } = [];

    /// <summary>PEM or DER files of intermediate CAs, for cards whose client sends only its own certificate.</summary>
    public string[] Intermediates { get; set; } = [];

    /// <summary>Check revocation (CRL distribution points and OCSP, as the certificates name them) on every chain.</summary>
    public bool CheckRevocation { get; set; } = true;

    /// <summary>
    /// Refuse a certificate whose revocation cannot be checked (no CRL or OCSP answer in <see cref="RevocationTimeout"/>).
    /// On by default: turning it off lets a revoked card in while the revocation service is down.
    /// </summary>
    public bool FailClosed { get; set; } = true;

    public TimeSpan RevocationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a certificate's verdict is reused; a revocation is noticed within this span (and the CRL's own).</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// IP addresses of the TLS-terminating proxies that ask for the client certificate and forward it in
    /// <see cref="ForwardedCertificateHeader"/> — and overwrite that header on every request. A list of its own, apart from
    /// <see cref="ReverseProxyOptions.TrustedProxies"/>: a load balancer trusted for the client's address must not thereby be
    /// able to pass on a certificate some client wrote into a header (a certificate is public; the header proves no key).
    /// </summary>
    public string[] CertificateProxies { get; set; } = [];

    /// <summary>The header a certificate proxy (<see cref="CertificateProxies"/>) forwards the certificate in: PEM,
    /// URL-encoded PEM (nginx's <c>$ssl_client_escaped_cert</c>) or base64 DER.</summary>
    public string ForwardedCertificateHeader { get; set; } = "X-Client-Cert";

    /// <summary>
    /// Certificate policy OIDs a card's certificate must carry (any of them), e.g. the DoD hardware ID policies or PIV
    /// authentication <c>2.16.840.1.101.3.2.1.3.13</c>: proof that the key lives on a card behind a PIN. Empty: not checked.
    /// </summary>
    public string[] RequiredPolicies { get; set; } = [];
}

/// <summary>The verdict on a presented certificate; each refusal has its own words (<see cref="SmartCardCheck.Describe"/>).</summary>
public enum SmartCardVerdict { Valid, NoCertificate, Untrusted, Expired, NotYetValid, Revoked, RevocationUnknown, WrongUsage, NoIdentity }

/// <summary>A checked certificate: the verdict, the identity it names, and what the audit trail records of it.</summary>
public sealed record SmartCardCheck(SmartCardVerdict Verdict, string? Identity, string Subject, string Issuer, string Serial, string? Detail)
{
    public bool IsValid => Verdict == SmartCardVerdict.Valid;

    /// <summary>The verdict as the audit trail records it: a few words, lower-case.</summary>
    public static string Reason(SmartCardVerdict verdict) => verdict switch
    {
        SmartCardVerdict.Valid => "valid",
        SmartCardVerdict.NoCertificate => "not presented",
        SmartCardVerdict.Untrusted => "not issued by a trusted authority",
        SmartCardVerdict.Expired => "expired",
        SmartCardVerdict.NotYetValid => "not yet valid",
        SmartCardVerdict.Revoked => "revoked",
        SmartCardVerdict.RevocationUnknown => "revocation status unknown",
        SmartCardVerdict.WrongUsage => "not for authentication",
        SmartCardVerdict.NoIdentity => "names no identity",
        _ => "refused",
    };

    /// <summary>The verdict as the sign-in page says it, with what to do.</summary>
    public static string Describe(SmartCardVerdict verdict) => verdict switch
    {
        SmartCardVerdict.Valid => "The smart card certificate is valid.",
        SmartCardVerdict.NoCertificate => "No smart card certificate was presented. Insert your CAC or PIV card, open the smart card sign-in again and choose your authentication certificate when the browser asks.",
        SmartCardVerdict.Untrusted => "The certificate was not issued by a certificate authority this portal trusts. Use your CAC or PIV authentication certificate, not an e-mail or personal one.",
        SmartCardVerdict.Expired => "The certificate has expired. Renew your card at your issuing office (for a CAC, a RAPIDS site).",
        SmartCardVerdict.NotYetValid => "The certificate is not valid yet. Check your computer's clock, or wait until the certificate's start date.",
        SmartCardVerdict.Revoked => "The certificate has been revoked. Contact your card's issuing office; the portal cannot be opened with it.",
        SmartCardVerdict.RevocationUnknown => "Whether the certificate is revoked could not be checked just now, so it is refused. Try again in a few minutes or sign in with your password and authenticator.",
        SmartCardVerdict.WrongUsage => "This certificate may not be used to sign in. Choose your card's authentication certificate.",
        SmartCardVerdict.NoIdentity => "The certificate names no DoD ID number or user principal name to find your account by. Choose your card's authentication certificate.",
        _ => "The smart card sign-in failed.",
    };
}

/// <summary>
/// Validates client certificates against the configured roots only (never the machine's store), with revocation checked
/// through the platform's chain engine (the CRL distribution points and OCSP responders the certificates name), and keeps
/// each verdict for <see cref="SmartCardOptions.CacheFor"/>.
/// </summary>
public sealed class SmartCardValidator(IOptionsMonitor<SmartCardOptions> options, TimeProvider clock, ILogger<SmartCardValidator> log)
{
    private readonly ConcurrentDictionary<string, (SmartCardCheck Check, DateTimeOffset Until)> verdicts = new();
    private (string Key, X509Certificate2Collection Roots, X509Certificate2Collection Intermediates)? loaded;
    private readonly Lock loading = new();

    public SmartCardCheck Check(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return new SmartCardCheck(SmartCardVerdict.NoCertificate, null, "", "", "", null);
        }
        var now = clock.GetUtcNow();
        var settings = options.CurrentValue;
        // The whole certificate and the settings it was judged under: a root removed from the settings is not trusted from cache.
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData)) + "|" + SettingsKey(settings);
        if (verdicts.TryGetValue(key, out var kept) && kept.Until > now)
        {
            return kept.Check;
        }
        var check = Validate(certificate, now);
        // Only what a trusted chain decided is kept (an untrusted flood cannot push good verdicts out), and never past the
        // certificate's own end.
        if (check.Verdict is SmartCardVerdict.Valid or SmartCardVerdict.Revoked)
        {
            if (verdicts.Count > 10_000)
            {
                verdicts.Clear();
            }
            var end = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            verdicts[key] = (check, now + settings.CacheFor < end ? now + settings.CacheFor : end);
        }
        return check;
    }

    private SmartCardCheck Validate(X509Certificate2 certificate, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var (roots, intermediates) = Anchors(settings);
        SmartCardCheck Verdict(SmartCardVerdict verdict, string? detail = null, string? identity = null) =>
            new(verdict, identity, certificate.Subject, certificate.Issuer, certificate.SerialNumber, detail);
        // A refusal of a card whose chain is trusted names whom it was for (an untrusted certificate's names are anyone's words).
        SmartCardCheck Named(SmartCardVerdict verdict, string? detail) => Verdict(verdict, detail, SmartCardIdentity.Of(certificate));

        if (roots.Count == 0)
        {
            log.LogError("Smart card sign-in has no trusted root configured ({Section}:TrustedRoots)", SmartCardOptions.Section);
            return Verdict(SmartCardVerdict.Untrusted, "no trusted root configured");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = settings.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        chain.ChainPolicy.UrlRetrievalTimeout = settings.RevocationTimeout;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // Intermediates come from configuration: never fetch a caIssuers address a presented certificate names.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        foreach (var policy in settings.RequiredPolicies.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            chain.ChainPolicy.CertificatePolicy.Add(new System.Security.Cryptography.Oid(policy.Trim()));
        }
        chain.Build(certificate);

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        foreach (var element in chain.ChainElements)
        {
            flags |= element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        }
        var detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        const X509ChainStatusFlags unknown = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
        if (flags.HasFlag(X509ChainStatusFlags.Revoked))
        {
            return Named(SmartCardVerdict.Revoked, detail);
        }
        if ((flags & ~(unknown | X509ChainStatusFlags.NotTimeValid)) == X509ChainStatusFlags.NotValidForUsage)
        {
            return Named(SmartCardVerdict.WrongUsage, detail); // a trusted chain, but not a required (hardware, PIN-protected) policy
        }
        if ((flags & ~(unknown | X509ChainStatusFlags.NotTimeValid)) != X509ChainStatusFlags.NoError)
        {
            return Verdict(SmartCardVerdict.Untrusted, detail);
        }
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return Named(now.UtcDateTime < certificate.NotBefore.ToUniversalTime() ? SmartCardVerdict.NotYetValid : SmartCardVerdict.Expired, detail);
        }
        if ((flags & unknown) != X509ChainStatusFlags.NoError)
        {
            if (settings.FailClosed)
            {
                return Verdict(SmartCardVerdict.RevocationUnknown, detail);
            }
            log.LogWarning("Smart card certificate {Serial} accepted although its revocation could not be checked (FailClosed is off): {Detail}",
                certificate.SerialNumber, detail);
        }
        if (!SmartCardIdentity.AllowsClientAuthentication(certificate))
        {
            return Verdict(SmartCardVerdict.WrongUsage);
        }
        return SmartCardIdentity.Of(certificate) is { } identity
            ? Verdict(SmartCardVerdict.Valid, identity: identity)
            : Verdict(SmartCardVerdict.NoIdentity);
    }

    private static string SettingsKey(SmartCardOptions settings) => string.Join("|", settings.TrustedRoots) + "||" + string.Join("|", settings.Intermediates)
        + "||" + string.Join("|", settings.RequiredPolicies) + "||" + settings.CheckRevocation + settings.FailClosed;

    /// <summary>The configured roots and intermediates, read once per configuration (a file change needs a restart or new paths).</summary>
    private (X509Certificate2Collection Roots, X509Certificate2Collection Intermediates) Anchors(SmartCardOptions settings)
    {
        var key = string.Join("|", settings.TrustedRoots) + "||" + string.Join("|", settings.Intermediates);
        lock (loading)
        {
            if (loaded is { } l && l.Key == key)
            {
                return (l.Roots, l.Intermediates);
            }
            var roots = Load(settings.TrustedRoots);
            var intermediates = Load(settings.Intermediates);
            loaded = (key, roots, intermediates);
            return (roots, intermediates);
        }
    }

    private static X509Certificate2Collection Load(IEnumerable<string> files)
    {
        var all = new X509Certificate2Collection();
        foreach (var file in files.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            var bytes = File.ReadAllBytes(file);
            if (System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                all.ImportFromPemFile(file);
            }
            else
            {
                all.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
        }
        return all;
    }

    /// <summary>
    /// The certificate of a request: the one presented at the TLS handshake, or — only when the request comes from a trusted
    /// proxy (<see cref="SmartCardOptions.CertificateProxies"/>) — the one it forwards in <see cref="SmartCardOptions.ForwardedCertificateHeader"/>. A forwarded header from any
    /// other address is ignored, so no client can claim a certificate it does not hold.
    /// </summary>
    public async Task<X509Certificate2?> CertificateOfAsync(HttpContext http)
    {
        var presented = http.Connection.ClientCertificate ?? await http.Connection.GetClientCertificateAsync(http.RequestAborted);
        if (presented is not null)
        {
            return presented;
        }
        var settings = options.CurrentValue;
        // The connection's own address: the forwarded-headers middleware keeps the proxy's, not the client's it claims.
        var from = TrustedProxyHeadersMiddleware.ConnectionAddress(http);
        if (!ReverseProxyOptions.IsAmong(from, ReverseProxyOptions.Parse(settings.CertificateProxies))
            || http.Request.Headers[settings.ForwardedCertificateHeader].ToString() is not { Length: > 0 } header)
        {
            return null;
        }
        try
        {
            var text = header.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(header) : header;
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            log.LogWarning("A trusted proxy forwarded a certificate that could not be read: {Message}", e.Message);
            return null;
        }
    }

}
