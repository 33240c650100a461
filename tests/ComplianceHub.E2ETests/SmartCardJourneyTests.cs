using System.Net;
using ComplianceHub.Cli;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The portal over HTTPS as <c>scripts/run.sh</c> serves it with smart card sign-in: the development PKI (root, ID CA, a
/// localhost certificate, cards), its CRLs at a local distribution point, one listener asking for client certificates.
/// </summary>
public sealed class SmartCardBrowserFixture : IAsyncLifetime
{
    private TestDatabase database = null!;
    private SmartCardPortal portal = null!;
    private CrlServer crls = null!;
    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string Folder { get; private set; } = "";
    public DevelopmentPki Pki { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var crlPort = CrlServer.FreePort();
        Pki = DevelopmentPki.Create($"http://127.0.0.1:{crlPort}",
            [.. DevelopmentPki.DemoHolders, new PkiHolder("rep-globex", "GLOBEX.TAYLOR.Q.1000000006", "1000000006@mil")]);
        crls = new CrlServer(crlPort, Pki.CrlFiles);
        Folder = Directory.CreateTempSubdirectory("compliancehub-e2e-pki-").FullName;
        Pki.WriteTo(Folder);

        var port = CrlServer.FreePort();
        BaseUrl = $"https://localhost:{port}";
        database = await TestDatabase.CreateAsync("e2ecac");
        portal = new SmartCardPortal(database, Pki.Server, port, Folder, BaseUrl);
        portal.StartServer();
        await portal.SeedDemoAsync();

        playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(playwright);
    }

    /// <summary>A browser holding the smart card <paramref name="card"/> (a file of the PKI's cards folder), or none.</summary>
    public async Task<IPage> NewPageAsync(string? card = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            // The development root is not in the browser's store (run.sh prints how to import it).
            IgnoreHTTPSErrors = true,
            ClientCertificates = card is null ? null :
            [
                new ClientCertificate
                {
                    Origin = BaseUrl,
                    CertPath = Path.Combine(Folder, "cards", card + ".pem"),
                    KeyPath = Path.Combine(Folder, "cards", card + ".key"),
                },
            ],
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await portal.DisposeAsync();
        await database.DisposeAsync();
        crls.Dispose();
        Pki.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private sealed class SmartCardPortal : PortalFactory
    {
        private readonly string folder;
        private readonly string baseUrl;

        public SmartCardPortal(TestDatabase database, System.Security.Cryptography.X509Certificates.X509Certificate2 server, int port, string folder,
            string baseUrl) : base(database)
        {
            this.folder = folder;
            this.baseUrl = baseUrl;
            // As run.sh's smart card listener: HTTP/1.1 over TLS asking for a certificate; here one listener serves both the
            // password and the card sign-in, so a certificate is allowed rather than required.
            UseKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
                listen.UseHttps(server, https => https.ClientCertificateMode = ClientCertificateMode.AllowCertificate);
            }));
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("SmartCard:Enabled", "true");
            builder.UseSetting("SmartCard:SignInUrl", baseUrl + "/auth/smart-card");
            builder.UseSetting("SmartCard:TrustedRoots:0", Path.Combine(folder, "root.pem"));
            builder.UseSetting("SmartCard:Intermediates:0", Path.Combine(folder, "intermediate.pem"));
        }
    }
}

/// <summary>
/// IA-2(12) in Chromium: an administrator binds a representative's card on the accounts page; the representative signs in
/// with the card alone (banner, then the smart card button, no password); a revoked card is refused with its reason.
/// </summary>
public sealed class SmartCardJourneyTests(SmartCardBrowserFixture fixture) : IClassFixture<SmartCardBrowserFixture>
{
    [Fact]
    public async Task AnAdministratorBindsACard_ItsHolderSignsInWithIt_AndARevokedCardIsRefused()
    {
        // The administrator binds the Globex representative's card (DoD ID 1000000006).
        var admin = await fixture.NewPageAsync();
        await Session.SignInAsync(admin, "admin@demo.local");
        await admin.GotoAsync("/admin/accounts");
        await Interactive.WaitAsync(admin);
        await admin.GetByLabel("Search email, name, vendor or office").FillAsync("rep@globex.demo.local");
        // The filtered list has settled on the one account before its menu is opened (a reload would close it).
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Actions for" })).ToHaveCountAsync(1);
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "rep@globex.demo.local" });
        await Assertions.Expect(row).ToContainTextAsync("password only");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Actions for rep@globex.demo.local" }).ClickAsync();
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = "Smart card…" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByTestId("smart-card-current")).ToContainTextAsync("No smart card is bound");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await dialog.GetByLabel("DoD ID number (EDIPI) or user principal name").FillAsync("12345");
        await dialog.GetByTestId("smart-card-submit").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("10-digit DoD ID number");
        await dialog.GetByLabel("DoD ID number (EDIPI) or user principal name").FillAsync("1000000006");
        await dialog.GetByTestId("smart-card-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(admin);
        await Assertions.Expect(admin.GetByText("can now sign in with the smart card (DoD ID 1000000006)")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("smart card (DoD ID 1000000006)");
        await Screens.CaptureAsync(admin, "08-smart-card-bound");

        // The representative: banner, then the smart card button; no password typed.
        var holder = await fixture.NewPageAsync("rep-globex");
        await holder.GotoAsync("/");
        await holder.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        var cardButton = holder.GetByTestId("smart-card-signin");
        await Assertions.Expect(cardButton).ToHaveTextAsync("Sign in with a smart card (CAC/PIV)");
        await Screens.CaptureAsync(holder, "02-sign-in-smart-card");
        await Accessibility.AssertNoSeriousViolationsAsync(holder);
        await cardButton.ClickAsync();
        await Assertions.Expect(holder.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Taylor Globex" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(holder);
        await Assertions.Expect(holder.GetByTestId("nav-role")).ToHaveTextAsync("Vendor representative");

        // Their sessions page names how they signed in.
        await holder.GotoAsync("/account");
        await Interactive.WaitAsync(holder);
        await Assertions.Expect(holder.GetByText("Smart card (CAC/PIV)").First).ToBeVisibleAsync();

        // A revoked card: back on the sign-in page, with the reason and what to do.
        var revoked = await fixture.NewPageAsync("co1-revoked");
        await revoked.GotoAsync("/");
        await revoked.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await revoked.GetByTestId("smart-card-signin").ClickAsync();
        await Assertions.Expect(revoked.GetByTestId("smart-card-error")).ToContainTextAsync("The certificate has been revoked");
        await Assertions.Expect(revoked.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(revoked);
    }
}
