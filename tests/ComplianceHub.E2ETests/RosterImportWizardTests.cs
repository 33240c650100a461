using System.Text;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>The representative's import wizard: a file with errors is reported row by row and cannot be applied; the fixed file applies.</summary>
public sealed class RosterImportWizardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Header = "employeeId,fullName,email,employerType,citizenships,countryOfBirth,usLawfulPermanentResident,workCountry,workCity," +
                                  "investigationTier,adjudicatedOn,continuousVetting,clearance,ndaSignedOn,escortQualification,escortTrainingOn,employmentStatus\n";

    private static FilePayload File(string rows) => new() { Name = "roster.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Header + rows) };

    [Fact]
    public async Task AFileWithErrors_IsReported_AndTheFixedFileApplies()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "rep@acme.demo.local");
        await page.GotoAsync("/roster/import");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("import-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("import-apply")).ToBeDisabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // MudFileUpload keeps a fresh <input type=file> after each pick; the last one is the active one.
        Assert.Equal(1, await page.GetByTestId("import-upload").CountAsync());
        var input = page.Locator("input[type=file]").Last;
        await input.SetInputFilesAsync(File(
            "E2E-1,Ella Easton,ella@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "E2E-2,Bad Enum,bad@acme.example,Contractor,US,US,false,US,Reston,None,,false,None,,None,,Active\n"));
        await Assertions.Expect(page.GetByTestId("import-file")).ToContainTextAsync("roster.csv");
        await page.GetByTestId("import-dryrun").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-report")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("import-error-count")).ToContainTextAsync("1 with errors");
        await Assertions.Expect(page.GetByTestId("import-row-error").First).ToContainTextAsync("employerType");
        await Assertions.Expect(page.GetByTestId("import-apply")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByTestId("import-errors-download")).ToBeEnabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByTestId("import-restart").ClickAsync();
        await input.SetInputFilesAsync(File(
            "E2E-1,Ella Easton,ella@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "E2E-2,Ben Baker,ben@acme.example,Subcontractor,US,US,false,US,Reston,None,,false,None,,None,,Active\n"));
        await page.GetByTestId("import-dryrun").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-error-count")).ToContainTextAsync("0 with errors", new() { Timeout = 60_000 });
        await page.GetByTestId("import-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-result")).ToContainTextAsync("2 added", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("import-roster-link")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("import-dryrun")).ToBeDisabledAsync(); // applied: the file is done
        await Screens.CaptureAsync(page, "30-roster-import");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }
}
