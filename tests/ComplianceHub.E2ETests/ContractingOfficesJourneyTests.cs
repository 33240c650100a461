using ComplianceHub.Core.Data.Seeding;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Contracting offices in the browser (ADR 0028): an administrator records an office (a bad DoDAAC is refused with why) and
/// moves NAVWAR's contract to it; NAVWAR's officer, signed in meanwhile, finds Globex gone at the next click.
/// </summary>
public sealed class ContractingOfficesJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Administrator_RecordsAnOffice_AndMovesAContract_WhichTakesItsVendorOutOfTheOldOfficesSight()
    {
        var officer = await browser.NewPageAsync();
        await Session.SignInAsync(officer, "co3@demo.local");
        await officer.GotoAsync($"/vendors/{DemoSeeder.GlobexId}");
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Globex Federal" })).ToBeVisibleAsync();
        await officer.GotoAsync("/account");
        await Assertions.Expect(officer.GetByTestId("your-office")).ToContainTextAsync("NAVWAR: you see the 1 vendor whose contracts it holds");

        var admin = await browser.NewPageAsync();
        await Session.SignInAsync(admin, "admin@demo.local");
        await admin.GetByTestId("nav-admin-offices").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Contracting offices" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(admin);
        await Assertions.Expect(admin.GetByTestId("office-row")).ToHaveCountAsync(2);
        await Accessibility.AssertNoSeriousViolationsAsync(admin);

        await admin.GetByTestId("new-office").ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("DoDAAC").FillAsync("w91");
        await dialog.GetByLabel("Name").FillAsync("ACC-APG");
        await admin.GetByTestId("office-save").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("A DoDAAC is 6 capital letters or digits");
        await dialog.GetByLabel("DoDAAC").FillAsync("w91crb");
        await admin.GetByTestId("office-save").ClickAsync();
        await Assertions.Expect(admin.GetByText("ACC-APG (W91CRB) recorded.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("office-row")).ToHaveCountAsync(3);

        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "N00039-27-F-0012" });
        await row.GetByTestId("move-contract").ClickAsync();
        var move = admin.GetByRole(AriaRole.Dialog);
        await Select.ChooseAsync(admin, move, "Contracting office", "ACC-APG (W91CRB)");
        await Screens.CaptureAsync(admin, "offices-move-contract");
        await admin.GetByTestId("move-contract-save").ClickAsync();
        await Assertions.Expect(admin.GetByText("N00039-27-F-0012 is now held by ACC-APG (W91CRB).")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "N00039-27-F-0012" })).ToContainTextAsync("ACC-APG (W91CRB)");

        // NAVWAR now holds no contract with Globex: the officer's next visit finds nothing.
        await officer.GotoAsync($"/vendors/{DemoSeeder.GlobexId}");
        await Assertions.Expect(officer.GetByText("Not found")).ToBeVisibleAsync();
        await Assertions.Expect(officer.GetByRole(AriaRole.Heading, new() { Name = "Globex Federal" })).ToHaveCountAsync(0);
    }
}
