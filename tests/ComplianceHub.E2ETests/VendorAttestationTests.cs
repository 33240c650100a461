using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>The representative's attestation page, bell and sessions page in Chromium: signing with one correction, axe clean.</summary>
public sealed class VendorAttestationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ARepresentative_PreviewsAndSignsAnAttestation_WithOneCorrection()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "rep@acme.demo.local");

        // The bell names its count and opens with the keyboard.
        var bell = page.GetByTestId("notification-bell").GetByRole(AriaRole.Button);
        await Assertions.Expect(bell).ToHaveAttributeAsync("aria-label", new Regex("^Notifications: \\d+ items? need"));
        await bell.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("notification-attestation-overdue").Or(page.GetByTestId("notification-attestation-due-soon")).First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync("/attestations");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Location attestations" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("attestation-form")).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "60-attestations");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Attest only the first person due, correcting their city.
        await page.Locator("[data-testid=attestation-select-all] input, input[data-testid=attestation-select-all]").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("attestation-summary")).ToContainTextAsync("0 selected");
        var line = page.GetByTestId("attestation-line").First;
        await line.Locator("[data-testid=attestation-line-select] input, input[data-testid=attestation-line-select]").First.ClickAsync();
        var city = line.GetByTestId("attestation-line-city");
        await city.FillAsync("Alexandria");
        await city.BlurAsync();
        await Assertions.Expect(line.GetByTestId("attestation-line-corrected")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("attestation-summary")).ToContainTextAsync("1 selected, 1 with corrections");

        await page.GetByTestId("attestation-preview-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("attestation-preview")).ToContainTextAsync("1 people attested, 1 corrected");

        await page.GetByTestId("attestation-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("attestation-signed")).ToContainTextAsync("Signed by Riley Acme");
        await Assertions.Expect(page.GetByTestId("attestation-hash")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));
        await Screens.CaptureAsync(page, "61-attestation-signed");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "See exactly what was attested" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("attestation-verify")).ToContainTextAsync("Hash verified");
        await Assertions.Expect(page.GetByTestId("attestation-detail-people")).ToContainTextAsync("Alexandria");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task TheSessionsPage_AndItsRecordDialog_AreAxeClean()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "rep@acme.demo.local");
        await page.GotoAsync("/sessions");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Escorted sessions" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sessions-grid")).ToBeVisibleAsync();
        await Screens.CaptureAsync(page, "62-sessions");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByTestId("record-session").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Record an escorted session" })).ToBeVisibleAsync();
        await page.GetByTestId("record-session-submit").ClickAsync();
        await Assertions.Expect(page.GetByText("Choose the escort assignment the session was done under.")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }
}
