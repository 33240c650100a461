using ComplianceHub.Core.Data.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

public sealed class SignInJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Banner_ThenSignIn_AsCo1_ReachesTheHomePage_AndEveryStepIsAccessible()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consent"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "U.S. Government (USG) Information System" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("The USG routinely intercepts and monitors communications")).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "01-banner");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "02-sign-in");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Email address").FillAsync("co1@demo.local");
        await page.GetByLabel("Password").FillAsync(DemoSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Casey Officer" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("nav-role")).ToHaveTextAsync("Contracting officer");
        await Assertions.Expect(page.GetByTestId("stat-people")).ToContainTextAsync("60");
        await Assertions.Expect(page.GetByTestId("nav-admin-accounts")).ToHaveCountAsync(0);
        await Screens.CaptureAsync(page, "03-home-co1");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongPassword_ShowsTheGenericError()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/consent");
        await page.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await page.GetByLabel("Email address").FillAsync("auditor@demo.local");
        await page.GetByLabel("Password").FillAsync("Not-The-Password-1!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed. Check your email address and password.");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Administrator_CreatesARepresentativeAccount_ThatThenSignsIn()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "admin@demo.local");
        await page.GetByTestId("nav-admin-accounts").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "co1@demo.local", Exact = true })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByTestId("new-account").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email address").FillAsync("rep2@initech.demo.local");
        await dialog.GetByLabel("Display name").FillAsync("Sam Initech");
        await dialog.GetByText("Contracting officer").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Vendor representative" }).ClickAsync();
        await dialog.GetByLabel("Vendor").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Initech Defense Solutions" }).ClickAsync();
        // A password with the holder's name in it is refused, with why, and nothing is created.
        await dialog.GetByLabel("Initial password").FillAsync("Initech!2026-Portal");
        await page.GetByTestId("create-account").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("This password contains \"initech\" from the account's name or e-mail address");
        await dialog.GetByLabel("Initial password").FillAsync("Harbor!2026-Portal");
        await page.GetByTestId("create-account").ClickAsync();

        await Assertions.Expect(page.GetByText("Account rep2@initech.demo.local created.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "rep2@initech.demo.local", Exact = true })).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "04-accounts");

        // The initial password was chosen by the administrator: the first sign-in leads to choosing one's own, and nowhere else.
        var rep = await browser.NewPageAsync();
        await rep.GotoAsync("/consent");
        await rep.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await rep.GetByLabel("Email address").FillAsync("rep2@initech.demo.local");
        await rep.GetByLabel("Password").FillAsync("Harbor!2026-Portal");
        await rep.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();
        await Assertions.Expect(rep.GetByTestId("password-change-required")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GotoAsync("/roster");
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();
        await rep.GetByLabel("Current password").FillAsync("Harbor!2026-Portal");
        await rep.GetByLabel("New password", new() { Exact = true }).FillAsync("Sam-Chose-This-2026!");
        await rep.GetByLabel("New password again").FillAsync("Sam-Chose-This-2026!");
        await rep.GetByTestId("change-password").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Initech Defense Solutions roster" })).ToBeVisibleAsync();
        await rep.GotoAsync("/");
        await Assertions.Expect(rep.GetByTestId("home-role")).ToHaveTextAsync("Vendor representative for Initech Defense Solutions");
        await Assertions.Expect(rep.GetByTestId("stat-people")).ToContainTextAsync("15");
        await Screens.CaptureAsync(rep, "05-home-rep");
    }

    [Fact]
    public async Task Administrator_DisablesASignedInOfficer_WhoseOpenPageClosesWithinSeconds()
    {
        var officer = await browser.NewPageAsync();
        await Session.SignInAsync(officer, "co2@demo.local");
        await officer.GetByTestId("signed-in-as").ClickAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await Assertions.Expect(officer.GetByTestId("session-row").First).ToContainTextAsync("This session");
        await Accessibility.AssertNoSeriousViolationsAsync(officer);

        var admin = await browser.NewPageAsync();
        await Session.SignInAsync(admin, "admin@demo.local");
        await admin.GotoAsync("/admin/accounts");
        await Interactive.WaitAsync(admin);
        await admin.GetByLabel("Search email, name, vendor or office").FillAsync("co2@demo.local");
        // The filtered list has settled on the one account before its menu is opened (a reload would close it).
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Actions for" })).ToHaveCountAsync(1);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Actions for co2@demo.local" }).ClickAsync();
        await Screens.CaptureAsync(admin, "07-account-actions");
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = "Sessions…" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Dialog).GetByTestId("session-row").First).ToContainTextAsync("Open");
        await Accessibility.AssertNoSeriousViolationsAsync(admin);
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Dialogs.ExpectClosedAsync(admin);

        await admin.GetByRole(AriaRole.Button, new() { Name = "Actions for co2@demo.local" }).ClickAsync();
        await admin.GetByRole(AriaRole.Menuitem, new() { Name = "Disable…" }).ClickAsync();
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Textbox, new() { Name = "Reason" }).FillAsync("Reassigned to another agency");
        await admin.GetByTestId("reason-submit").ClickAsync();
        await Assertions.Expect(admin.GetByText("co2@demo.local is disabled.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("status-disabled")).ToBeVisibleAsync();

        // The officer's open page loses its session at the circuit's next check (every 10 seconds) and goes to the banner.
        await Assertions.Expect(officer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consent"), new() { Timeout = 45_000 });
        await officer.GotoAsync("/roster");
        await Assertions.Expect(officer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consent"));
    }

    [Fact]
    public async Task AUser_SetsUpAnAuthenticatorApp_ThenSignsInWithItsCode()
    {
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<Core.Authorization.AccountService>().CreateAsync(
                Core.Authorization.Actor.ServerOperator,
                new Core.Authorization.NewAccount("mfa.auditor@demo.local", "Avery Auditor", Core.Authorization.Roles.Auditor, null, DemoSeeder.DemoPassword));
            Assert.True(created.Succeeded);
        }
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "mfa.auditor@demo.local");
        await page.GetByTestId("signed-in-as").ClickAsync();
        await Assertions.Expect(page.GetByTestId("second-factor-status")).ToContainTextAsync("password alone");
        await page.GetByTestId("second-factor-link").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authenticator app" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the authenticator key" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key));
        // The previous 30-second step's code (accepted for clock drift), so the sign-in below has a newer one at once.
        await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(-30)));
        await page.GetByTestId("enrol").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes-shown")).ToContainTextAsync("Your authenticator is set up.");
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByTestId("continue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("second-factor-status")).ToContainTextAsync("10 recovery codes left");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "I acknowledge and consent" }).ClickAsync();
        await page.GetByLabel("Email address").FillAsync("mfa.auditor@demo.local");
        await page.GetByLabel("Password").FillAsync(DemoSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Code" }).FillAsync(totp.ComputeTotp(DateTime.UtcNow));
        await page.GetByTestId("verify-code").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Avery Auditor" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ApiReference_RendersTheOpenApiDocument_ForASignedInUser()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "rep@acme.demo.local");
        await page.GotoAsync("/scalar/v1");
        // Scalar's script runs under the page's Content-Security-Policy and fetches /openapi/v1.json with the cookie.
        // The document's description and its first operation (the token endpoint) are rendered from /openapi/v1.json.
        await Assertions.Expect(page.GetByText("Which vendor people can touch which defense cloud systems").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Exchange e-mail and password for a bearer token").First).ToBeAttachedAsync();
        await Screens.CaptureAsync(page, "06-api-reference");
    }
}
