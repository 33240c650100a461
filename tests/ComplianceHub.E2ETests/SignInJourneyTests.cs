using ComplianceHub.Core.Data.Seeding;
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
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "co1@demo.local" })).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByTestId("new-account").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email address").FillAsync("rep2@initech.demo.local");
        await dialog.GetByLabel("Display name").FillAsync("Sam Initech");
        await dialog.GetByText("Contracting officer").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Vendor representative" }).ClickAsync();
        await dialog.GetByLabel("Vendor").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Initech Defense Solutions" }).ClickAsync();
        await dialog.GetByLabel("Initial password").FillAsync("Initech!2026-Portal");
        await page.GetByTestId("create-account").ClickAsync();

        await Assertions.Expect(page.GetByText("Account rep2@initech.demo.local created.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "rep2@initech.demo.local" })).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "04-accounts");

        var rep = await browser.NewPageAsync();
        await Session.SignInAsync(rep, "rep2@initech.demo.local", "Initech!2026-Portal");
        await Assertions.Expect(rep.GetByTestId("home-role")).ToHaveTextAsync("Vendor representative for Initech Defense Solutions");
        await Assertions.Expect(rep.GetByTestId("stat-people")).ToContainTextAsync("15");
        await Screens.CaptureAsync(rep, "05-home-rep");
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
