using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ComplianceHub.Cli;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>
/// One portal on a real TLS listener that asks for client certificates, trusting a development PKI whose CRLs a local
/// distribution point serves; and a second PKI whose distribution point is down (revocation cannot be checked).
/// </summary>
public sealed class SmartCardFixture : IAsyncLifetime
{
    public const string Unbound = "unbound";
    public const string Anonymous = "anonymous";

    public TestDatabase Database { get; private set; } = null!;
    public SmartCardPortal Portal { get; private set; } = null!;
    public DevelopmentPki Pki { get; private set; } = null!;

    /// <summary>A PKI whose CRL distribution point answers nothing: its cards' revocation cannot be checked.</summary>
    public DevelopmentPki Unreachable { get; private set; } = null!;

    private CrlServer crls = null!;
    private string folder = "";

    public async Task InitializeAsync()
    {
        var port = CrlServer.FreePort();
        Pki = DevelopmentPki.Create($"http://127.0.0.1:{port}",
        [
            .. DevelopmentPki.DemoHolders,
            new PkiHolder("rogue", "OFFICER.CASEY.Q.1000000002", "1000000002@mil", PkiDefect.UntrustedIssuer),
            new PkiHolder("server-only", "OFFICER.CASEY.Q.1000000002", "1000000002@mil", PkiDefect.ServerOnly),
            new PkiHolder("no-usage", "OFFICER.CASEY.Q.1000000002", "1000000002@mil", PkiDefect.NoKeyUsage),
            new PkiHolder(Anonymous, "Casey Officer", null),
            new PkiHolder(Unbound, "NOBODY.KNOWN.Q.1999999999", "1999999999@mil"),
            new PkiHolder("co1-spare", "OFFICER.CASEY.Q.1000000002", "1000000002@mil"),
        ]);
        crls = new CrlServer(port, Pki.CrlFiles);
        Unreachable = DevelopmentPki.Create($"http://127.0.0.1:{CrlServer.FreePort()}", [new PkiHolder("co1", "OFFICER.CASEY.Q.1000000002", "1000000002@mil")]);

        folder = Directory.CreateTempSubdirectory("compliancehub-pki-").FullName;
        Pki.WriteTo(Path.Combine(folder, "a"));
        Unreachable.WriteTo(Path.Combine(folder, "b"));
        Database = await TestDatabase.CreateAsync("cac");
        Portal = new SmartCardPortal(Database, Pki.Server,
            roots: [Path.Combine(folder, "a", "root.pem"), Path.Combine(folder, "b", "root.pem")],
            intermediates: [Path.Combine(folder, "a", "intermediate.pem"), Path.Combine(folder, "b", "intermediate.pem")]);
        Portal.StartServer();
        await Portal.SeedDemoAsync();
    }

    /// <summary>A browser-like session on the TLS listener presenting <paramref name="card"/> (none when null).</summary>
    public PortalSession Browser(X509Certificate2? card) => new(Client(card, cookies: true));

    public HttpClient Client(X509Certificate2? card, bool cookies = false)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies,
            ClientCertificateOptions = ClientCertificateOption.Manual,
            // The test trusts its own root for the server, as a browser that imported it does.
            ServerCertificateCustomValidationCallback = (_, server, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Pki.Root);
                chain.ChainPolicy.ExtraStore.Add(Pki.Intermediate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return server is not null && chain.Build(server);
            },
        };
        if (card is not null)
        {
            handler.ClientCertificates.Add(card);
        }
        return new HttpClient(handler) { BaseAddress = Portal.ClientOptions.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
        crls.Dispose();
        Pki.Dispose();
        Unreachable.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>The portal with smart card sign-in on, a second factor required of every account, served over TLS by Kestrel.</summary>
public sealed class SmartCardPortal : PortalFactory
{
    private readonly string[] roots;
    private readonly string[] intermediates;

    public SmartCardPortal(TestDatabase database, X509Certificate2 server, string[] roots, string[] intermediates) : base(database)
    {
        this.roots = roots;
        this.intermediates = intermediates;
        // The smart card listener: TLS on HTTP/1.1, a client certificate asked for at the handshake. "Allow" rather than
        // "require" only so the test can also arrive without one and read what the portal says.
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
            listen.UseHttps(server, https => https.ClientCertificateMode = ClientCertificateMode.AllowCertificate);
        }));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SignIn:RequireSecondFactor", "true");
        builder.UseSetting("SmartCard:Enabled", "true");
        builder.UseSetting("SmartCard:SignInUrl", "https://localhost/auth/smart-card");
        builder.UseSetting("SmartCard:RevocationTimeout", "00:00:05");
        for (var i = 0; i < roots.Length; i++)
        {
            builder.UseSetting($"SmartCard:TrustedRoots:{i}", roots[i]);
            builder.UseSetting($"SmartCard:Intermediates:{i}", intermediates[i]);
        }
    }
}

/// <summary>
/// IA-2(12): CAC/PIV sign-in. A valid card bound to an account opens a session that counts as multi-factor and records the
/// certificate; an expired, revoked, untrusted or unusable card, one whose revocation cannot be checked, and one bound to no
/// account are refused with their reason in words, audited with the certificate's subject, issuer and serial, and open
/// nothing. The same for a bearer token; a forwarded certificate is read only from a trusted proxy.
/// </summary>
public sealed class SmartCardSignInTests(SmartCardFixture fixture) : IClassFixture<SmartCardFixture>
{
    private SmartCardPortal Portal => fixture.Portal;
    private X509Certificate2 Card(string name) => fixture.Pki.Holders[name];

    private async Task<ComplianceDbContext> DbAsync() =>
        await Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();

    /// <summary>Banner, then the smart card sign-in; the response of the sign-in.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(PortalSession browser, string returnUrl = "/roster")
    {
        await browser.AcknowledgeBannerAsync();
        return await browser.Client.GetAsync($"/auth/smart-card?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    private static string Location(HttpResponseMessage response) => response.Headers.Location?.OriginalString ?? "";

    private async Task<AuditEvent?> LastRefusalAsync(long after)
    {
        await using var db = await DbAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after && e.Operation == "account.sign-in-refused")
            .OrderByDescending(e => e.Sequence).FirstOrDefaultAsync();
    }

    private async Task<long> LastSequenceAsync()
    {
        await using var db = await DbAsync();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }

    private async Task<int> SmartCardSessionsAsync(string serial)
    {
        await using var db = await DbAsync();
        return await db.UserSessions.CountAsync(s => s.CertificateSerial == serial);
    }

    [Fact]
    public async Task AValidCard_OpensASessionThatCountsAsMultiFactor_AndRecordsTheCertificate()
    {
        var card = Card("co1");
        var before = await LastSequenceAsync();
        using var browser = fixture.Browser(card);
        var response = await SignInAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/roster", Location(response));
        // Every account must have a second factor here, and co1 has no authenticator: the card is the second factor.
        var roster = await browser.Client.GetAsync("/roster");
        Assert.Equal(HttpStatusCode.OK, roster.StatusCode);

        await using var db = await DbAsync();
        var session = await db.UserSessions.AsNoTracking().Where(s => s.CertificateSerial == card.SerialNumber).SingleAsync();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == session.UserId);
        Assert.Equal("co1@demo.local", user.Email);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal(SmartCardMethods.SignIn, session.Method);
        Assert.Equal(card.Subject, session.CertificateSubject);
        Assert.Equal(card.Issuer, session.CertificateIssuer);
        // The session's opening is in the trail, certificate and all (inside the hash).
        var opened = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > before && e.Operation == "account.sign-in").ToListAsync();
        var withCard = Assert.Single(opened, e => e.Changes.Contains(card.SerialNumber, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(SmartCardMethods.SignIn, withCard.AuthenticationMethod);
        Assert.Equal(user.Id, withCard.ActorUserId);
    }

    [Theory]
    [InlineData("co1-revoked", "revoked", "certificate revoked", "has been revoked")]
    [InlineData("co1-expired", "expired", "certificate expired", "has expired")]
    [InlineData("rogue", "untrusted", "certificate not issued by a trusted authority", "not issued by a certificate authority this portal trusts")]
    [InlineData(SmartCardFixture.Anonymous, "no-identity", "certificate names no identity", "names no DoD ID number")]
    [InlineData(SmartCardFixture.Unbound, "not-usable", "no account bound to the smart card", "No account can be opened with this smart card")]
    public async Task ACardThatMayNotSignIn_IsRefusedWithItsReason_AuditedWithTheCertificate_AndOpensNothing(string name, string code,
        string auditedReason, string shown)
    {
        var card = Card(name);
        var before = await LastSequenceAsync();
        using var browser = fixture.Browser(card);
        var response = await SignInAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/account/login?smartCard={code}&returnUrl=%2Froster", Location(response));
        var page = await browser.GetHtmlAsync(Location(response));
        Assert.Contains(shown, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/roster")).StatusCode); // not signed in
        Assert.Equal(0, await SmartCardSessionsAsync(card.SerialNumber));

        var refusal = await LastRefusalAsync(before);
        Assert.NotNull(refusal);
        using var changes = JsonDocument.Parse(refusal.Changes);
        var text = changes.RootElement.GetRawText();
        Assert.Contains(auditedReason, text, StringComparison.Ordinal);
        Assert.Contains(card.SerialNumber, text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("smart-card", refusal.AuthenticationMethod, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACardWhoseRevocationCannotBeChecked_IsRefused_FailClosed()
    {
        var card = fixture.Unreachable.Holders["co1"];
        using var browser = fixture.Browser(card);
        var response = await SignInAsync(browser);

        Assert.Equal("/account/login?smartCard=revocation-unknown&returnUrl=%2Froster", Location(response));
        Assert.Equal(0, await SmartCardSessionsAsync(card.SerialNumber));
    }

    [Fact]
    public async Task NoCertificate_GoesBackToTheSignInPage_SayingWhatToDo()
    {
        using var browser = fixture.Browser(card: null);
        var response = await SignInAsync(browser);

        Assert.Equal("/account/login?smartCard=none&returnUrl=%2Froster", Location(response));
        var page = WebUtility.HtmlDecode(await browser.GetHtmlAsync(Location(response)));
        Assert.Contains("No smart card certificate was presented", page, StringComparison.Ordinal);
        // The sign-in page offers the smart card while it is on.
        Assert.Contains("Sign in with a smart card (CAC/PIV)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBannerComesFirst()
    {
        using var browser = fixture.Browser(Card("admin"));
        var response = await browser.Client.GetAsync("/auth/smart-card?returnUrl=%2Froster");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/consent?returnUrl=", Location(response), StringComparison.Ordinal);
        Assert.Equal(0, await SmartCardSessionsAsync(Card("admin").SerialNumber));

        // After the banner, the sign-in carries on to where it was going.
        await browser.AcknowledgeBannerAsync();
        Assert.Equal("/roster", Location(await browser.Client.GetAsync("/auth/smart-card?returnUrl=%2Froster")));
        Assert.Equal(1, await SmartCardSessionsAsync(Card("admin").SerialNumber));
    }

    [Fact]
    public async Task ABearerToken_ForAValidCard_WorksOnTheApi_AndARevokedCardGets401WithItsReason()
    {
        using var client = fixture.Client(Card("auditor"));
        var response = await client.PostAsync("/api/v1/auth/smart-card/token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        using var api = fixture.Client(card: null);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/vendors")).StatusCode);
        await using (var db = await DbAsync())
        {
            Assert.Equal(SmartCardMethods.Bearer, (await db.UserSessions.SingleAsync(s => s.CertificateSerial == Card("auditor").SerialNumber)).Method);
        }

        // A card bound to no account gets the one answer a disabled or locked account's card gets: nothing tells them apart.
        using (var unbound = fixture.Client(Card(SmartCardFixture.Unbound)))
        {
            var answer = await (await unbound.PostAsync("/api/v1/auth/smart-card/token", null)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("No account can be opened with this smart card", answer.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("1999999999", answer.GetRawText(), StringComparison.Ordinal);
        }
        // Another site's page cannot have the browser fetch a token with its card.
        using (var crossSite = fixture.Client(Card("auditor")))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/smart-card/token");
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
            Assert.Equal(HttpStatusCode.Forbidden, (await crossSite.SendAsync(request)).StatusCode);
        }

        using var revoked = fixture.Client(Card("co1-revoked"));
        var refused = await revoked.PostAsync("/api/v1/auth/smart-card/token", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("has been revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("at ComplianceHub", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForwardedCertificate_IsReadOnlyFromATrustedProxy()
    {
        var card = Card("rep-acme");
        var forwarded = Uri.EscapeDataString(card.ExportCertificatePem()); // nginx's $ssl_client_escaped_cert
        var options = Portal.Services.GetRequiredService<IOptionsMonitor<SmartCardOptions>>().CurrentValue;
        var proxies = Portal.Services.GetRequiredService<IOptionsMonitor<ReverseProxyOptions>>().CurrentValue;
        async Task<string> SignInWithHeaderAsync()
        {
            using var browser = fixture.Browser(card: null);
            await browser.AcknowledgeBannerAsync();
            var request = new HttpRequestMessage(HttpMethod.Get, "/auth/smart-card?returnUrl=%2F");
            request.Headers.Add(options.ForwardedCertificateHeader, forwarded);
            return Location(await browser.Client.SendAsync(request));
        }

        // From an address that is no proxy, the header is ignored: no certificate.
        Assert.Equal("/account/login?smartCard=none&returnUrl=%2F", await SignInWithHeaderAsync());
        // Nor from a proxy trusted only for the client's address: a certificate is public, and a header proves no key.
        proxies.TrustedProxies = ["127.0.0.1"];
        try
        {
            Assert.Equal("/account/login?smartCard=none&returnUrl=%2F", await SignInWithHeaderAsync());
        }
        finally
        {
            proxies.TrustedProxies = [];
        }
        Assert.Equal(0, await SmartCardSessionsAsync(card.SerialNumber));

        // From a proxy listed as forwarding certificates (the test's own address), the forwarded card signs in.
        options.CertificateProxies = ["127.0.0.1"];
        try
        {
            Assert.Equal("/", await SignInWithHeaderAsync());
            Assert.Equal(1, await SmartCardSessionsAsync(card.SerialNumber));
        }
        finally
        {
            options.CertificateProxies = [];
        }
    }

    [Fact]
    public async Task TheClientAddress_ComesFromXForwardedFor_OnlyWhenATrustedProxySendsIt()
    {
        var card = Card("co1-spare");
        async Task<UserSession> SignInThroughAsync(string forwardedFor)
        {
            using var browser = fixture.Browser(card);
            await browser.AcknowledgeBannerAsync();
            var request = new HttpRequestMessage(HttpMethod.Get, "/auth/smart-card?returnUrl=%2F");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            Assert.Equal("/", Location(await browser.Client.SendAsync(request)));
            await using var db = await DbAsync();
            return await db.UserSessions.AsNoTracking().Where(s => s.CertificateSerial == card.SerialNumber)
                .OrderByDescending(s => s.CreatedAt).FirstAsync();
        }

        // No proxy configured: the header is anybody's claim, and ignored.
        Assert.Equal("127.0.0.1", (await SignInThroughAsync("203.0.113.7")).ClientAddress);

        var proxies = Portal.Services.GetRequiredService<IOptionsMonitor<ReverseProxyOptions>>().CurrentValue;
        proxies.TrustedProxies = ["127.0.0.1"];
        try
        {
            var before = await LastSequenceAsync();
            var session = await SignInThroughAsync("198.51.100.23");
            Assert.Equal("198.51.100.23", session.ClientAddress);
            // The audit trail records the client too, not the proxy.
            await using var db = await DbAsync();
            var opened = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > before && e.Operation == "account.sign-in").ToListAsync();
            Assert.Contains(opened, e => e.ClientAddress == "198.51.100.23");
            Assert.DoesNotContain(opened, e => e.ClientAddress == "127.0.0.1");
        }
        finally
        {
            proxies.TrustedProxies = [];
        }
    }

    [Fact]
    public async Task ADisabledAccountsCard_IsRefused_AndChangingTheBinding_EndsItsSmartCardSessions()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        Guid co2;
        await using (var db = await DbAsync())
        {
            co2 = await db.Users.Where(u => u.Email == "co2@demo.local").Select(u => u.Id).SingleAsync();
        }
        var card = Card("co2");
        using (var browser = fixture.Browser(card))
        {
            Assert.Equal("/roster", Location(await SignInAsync(browser)));
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/roster")).StatusCode);

            // The binding moves to another number: the card's open session ends on its next request.
            var rebound = await accounts.BindSmartCardAsync(Actor.ServerOperator, co2, "1000000099");
            Assert.True(rebound.Succeeded);
            Assert.NotEqual(HttpStatusCode.OK, (await browser.Client.GetAsync("/roster")).StatusCode);
            await using var db = await DbAsync();
            Assert.Equal(SessionEndReasons.SmartCardChanged, (await db.UserSessions.SingleAsync(s => s.CertificateSerial == card.SerialNumber)).EndReason);
        }
        using (var browser = fixture.Browser(card))
        {
            Assert.Equal("/account/login?smartCard=not-usable&returnUrl=%2Froster", Location(await SignInAsync(browser)));
        }

        // Bound again, but disabled: still refused.
        Assert.True((await accounts.BindSmartCardAsync(Actor.ServerOperator, co2, "1000000003")).Succeeded);
        Assert.True((await accounts.DisableAsync(Actor.ServerOperator, co2, "left the office")).Succeeded);
        try
        {
            using var browser = fixture.Browser(card);
            Assert.Equal("/account/login?smartCard=not-usable&returnUrl=%2Froster", Location(await SignInAsync(browser)));
            Assert.Equal(1, await SmartCardSessionsAsync(card.SerialNumber)); // only the first one
        }
        finally
        {
            await accounts.EnableAsync(Actor.ServerOperator, co2);
        }
    }

    [Fact]
    public async Task Binding_TakesAnEdipiOrAUpn_OneAccountPerCard_NeverAServiceAccount()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var holder = await Portal.CreateAccountAsync("bind-holder@demo.local", Roles.Auditor);
        var service = await Portal.CreateAccountAsync("bind-service@demo.local", Roles.Auditor, serviceAccount: true);

        var wrong = await accounts.BindSmartCardAsync(Actor.ServerOperator, holder, "12345");
        Assert.Contains("10-digit DoD ID number", string.Join(" ", wrong.Errors[nameof(ApplicationUser.SmartCardIdentity)]), StringComparison.Ordinal);
        var taken = await accounts.BindSmartCardAsync(Actor.ServerOperator, holder, "1000000004"); // the auditor's card
        Assert.Contains("Another account is bound", string.Join(" ", taken.Errors[nameof(ApplicationUser.SmartCardIdentity)]), StringComparison.Ordinal);
        var system = await accounts.BindSmartCardAsync(Actor.ServerOperator, service, "1000000077");
        Assert.Contains("service account", string.Join(" ", system.Errors[nameof(ApplicationUser.SmartCardIdentity)]), StringComparison.Ordinal);
        Assert.True((await accounts.BindSmartCardAsync(Actor.ServerOperator, holder, " Jane.Doe@Agency.GOV ")).Succeeded);
        // Only administrators bind cards.
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            accounts.BindSmartCardAsync(new Actor(holder, "bind-holder", Roles.Auditor, null, null), holder, ""));

        await using var db = await DbAsync();
        Assert.Equal("jane.doe@agency.gov", (await db.Users.SingleAsync(u => u.Id == holder)).SmartCardIdentity);
        Assert.Null((await db.Users.SingleAsync(u => u.Id == service)).SmartCardIdentity);
        var audited = await db.AuditEvents.AsNoTracking().Where(e => e.Operation == "account.bind-smart-card" && e.SubjectId == holder.ToString()).ToListAsync();
        Assert.Single(audited);
        Assert.Contains("jane.doe@agency.gov", audited[0].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateNotForClientAuthentication_IsRefusedAsSuch()
    {
        // A TLS client does not even offer it (its key usage says server only); a proxy could forward it: the portal checks too.
        var check = Portal.Services.GetRequiredService<SmartCardValidator>().Check(Card("server-only"));
        Assert.Equal(SmartCardVerdict.WrongUsage, check.Verdict);
        Assert.Contains("may not be used to sign in", SmartCardCheck.Describe(check.Verdict), StringComparison.Ordinal);

        // Nor one with no extended key usage at all (a certificate for anything is not a card's authentication certificate).
        Assert.Equal(SmartCardVerdict.WrongUsage, Portal.Services.GetRequiredService<SmartCardValidator>().Check(Card("no-usage")).Verdict);

        var options = Portal.Services.GetRequiredService<IOptionsMonitor<SmartCardOptions>>().CurrentValue;
        options.CertificateProxies = ["127.0.0.1"];
        try
        {
            using var browser = fixture.Browser(card: null);
            await browser.AcknowledgeBannerAsync();
            var request = new HttpRequestMessage(HttpMethod.Get, "/auth/smart-card?returnUrl=%2F");
            request.Headers.Add(options.ForwardedCertificateHeader, Convert.ToBase64String(Card("server-only").RawData));
            Assert.Equal("/account/login?smartCard=wrong-usage&returnUrl=%2F", Location(await browser.Client.SendAsync(request)));
        }
        finally
        {
            options.CertificateProxies = [];
        }
    }

    [Fact]
    public void TheIdentity_IsTheUpnOfTheSubjectAlternativeName_OrTheEdipiOfTheCommonName()
    {
        Assert.Equal("1000000002@mil", SmartCardIdentity.Of(Card("co1")));
        Assert.Equal("1000000002@mil", SmartCardIdentity.UpnOf(Card("co1")));
        Assert.Null(SmartCardIdentity.Of(Card(SmartCardFixture.Anonymous)));
        Assert.Equal("1234567890@mil", SmartCardIdentity.Normalize("1234567890", out _));
        Assert.Null(SmartCardIdentity.Normalize("123456789", out var problem));
        Assert.NotNull(problem);
        Assert.True(SmartCardIdentity.AllowsClientAuthentication(Card("co1")));
        Assert.False(SmartCardIdentity.AllowsClientAuthentication(Card("server-only")));
    }
}
