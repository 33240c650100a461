using System.Text.RegularExpressions;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The auditor's day in Chromium, as auditor@demo.local: filter the audit trail and open an event, verify the chain, ask who
/// held access to a system on a day, download the findings as XLSX and PDF, download an evidence package and verify it
/// offline — every page axe clean.
/// </summary>
public sealed class AuditorJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly Guid Il2 = Guid.Parse("0199a000-0000-7000-8000-000000005201");

    [Fact]
    public async Task AnAuditor_FiltersTheTrail_VerifiesTheChain_ReconstructsADay_AndTakesTheEvidence()
    {
        await GrantAlexAbbottIl2Async();
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");

        // The audit trail, filtered by actor name; the filter lands in the address bar.
        await page.GotoAsync("/audit");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-row-link").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var actorName = page.GetByTestId("audit-actor-name");
        await actorName.FillAsync("Casey");
        await actorName.BlurAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("actorName=Casey"));
        var rows = page.GetByTestId("audit-grid").Locator("tbody tr");
        await Assertions.Expect(rows.First).ToContainTextAsync("Casey");
        foreach (var row in await rows.AllAsync())
        {
            await Assertions.Expect(row).ToContainTextAsync("Casey"); // co1 granted the access; nobody else is named Casey
        }
        await Screens.CaptureAsync(page, "70-audit-trail");

        // One event: who, the before/after values, the chain fields.
        await page.GetByTestId("audit-row-link").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-event-title")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-event-who")).ToContainTextAsync("Casey");
        await Assertions.Expect(page.GetByTestId("audit-change-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-event-hash")).ToContainTextAsync(new Regex("[0-9a-f]{64}"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Verify the chain from the page.
        await page.GotoAsync("/audit");
        await Interactive.WaitAsync(page);
        await page.GetByTestId("chain-verify").ClickAsync();
        await Assertions.Expect(page.GetByTestId("chain-verdict")).ToHaveTextAsync("The chain is valid.");
        await Assertions.Expect(page.GetByTestId("chain-events")).ToHaveTextAsync(new Regex(@"^[1-9][\d,]*$"));
        await Assertions.Expect(page.GetByTestId("chain-head")).ToContainTextAsync(new Regex("[0-9a-f]{64}"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Who held access to the IL2 portal today, with the facts of the day and the verdict of the policy in force.
        await page.GotoAsync("/access");
        await Interactive.WaitAsync(page);
        var system = page.GetByTestId("access-system");
        await system.FillAsync("Public Portal");
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("milCloud Public Portal") }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("system=" + Il2));
        var holder = page.GetByTestId("access-holders").Locator("tbody tr").Filter(new() { HasText = "Alex Abbott" });
        await Assertions.Expect(holder).ToHaveCountAsync(1);
        await Assertions.Expect(holder.GetByTestId("access-citizenships")).ToContainTextAsync("US");
        await Assertions.Expect(holder.GetByTestId("access-verdict")).ToHaveAttributeAsync("data-passed", "true");
        await Assertions.Expect(page.GetByTestId("access-policy")).ToContainTextAsync("Policy in force: version");
        await Screens.CaptureAsync(page, "71-access-on-a-day");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The same answer opened from its address: read once while prerendering and handed to the interactive page, which
        // shows it and pages on from it.
        await page.GotoAsync($"/access?system={Il2}");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("access-holders").Locator("tbody tr").Filter(new() { HasText = "Alex Abbott" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("access-summary")).ToContainTextAsync("held access");
        await page.GetByLabel("Only those who would have failed").CheckAsync();
        await Assertions.Expect(page.GetByTestId("access-holders").Locator("tbody tr").Filter(new() { HasText = "Alex Abbott" })).ToHaveCountAsync(0);

        // The findings as a workbook and as a PDF report, straight from the server.
        await page.GotoAsync("/findings");
        await Interactive.WaitAsync(page);
        var xlsx = await DownloadAsync(page, "export-findings", "export-findings-xlsx");
        Assert.EndsWith(".xlsx", xlsx.Name, StringComparison.Ordinal);
        Assert.Equal("PK"u8.ToArray(), xlsx.Bytes[..2]);
        var pdf = await DownloadAsync(page, "export-findings", "export-findings-pdf");
        Assert.EndsWith(".pdf", pdf.Name, StringComparison.Ordinal);
        Assert.Equal("%PDF"u8.ToArray(), pdf.Bytes[..4]);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The evidence package for this month, verified offline exactly as the CLI does.
        await page.GotoAsync("/evidence");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("evidence-preview")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("evidence-download").ClickAsync());
        Assert.Matches(@"^evidence-\d{8}-\d{8}\.zip$", download.SuggestedFilename);
        await using (var zip = File.OpenRead(await download.PathAsync()))
        {
            var verification = EvidenceVerifier.Verify(zip);
            Assert.True(verification.Valid, string.Join("\n", verification.Problems.Select(p => $"{p.File}: {p.Message}")));
            Assert.True(verification.Events > 0);
        }
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("evidence-history-hash").First).ToHaveTextAsync(new Regex("[0-9a-f]{64}"));
        await Screens.CaptureAsync(page, "72-evidence");

        // Each download stands in the trail itself.
        await page.GotoAsync("/audit?operation=export");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("audit-grid").Locator("tbody tr")).ToHaveCountAsync(2);
    }

    private static async Task<(string Name, byte[] Bytes)> DownloadAsync(IPage page, string menu, string item)
    {
        await page.GetByTestId(menu).GetByRole(AriaRole.Button).First.ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId(item).ClickAsync());
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(await download.PathAsync()));
    }

    /// <summary>The demo seed holds no grants: co1 grants Alex Abbott (ACME-1001) the IL2 portal through the real executor, as the
    /// officers' pages would.</summary>
    private async Task GrantAlexAbbottIl2Async()
    {
        await using var scope = browser.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();
        var co1 = Officer(await db.Users.SingleAsync(u => u.Email == "co1@demo.local"));
        var alex = await db.People.Where(p => p.EmployeeId == "ACME-1001").Select(p => p.Id).SingleAsync();
        var executor = services.GetRequiredService<CommandExecutor>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var requested = await executor.SendAsync(co1, new RequestGrant(alex, Il2, AccessType.NonPrivileged, false, today, today.AddDays(90), "Portal support"));
        Assert.True(requested.IsOk, requested.Message);
        Assert.Equal(GrantStatus.Active, requested.Value!.Status); // an officer's own non-privileged grant needs no second approval

        static Actor Officer(ApplicationUser user) => new(user.Id, user.DisplayName, Roles.ContractingOfficer, null, null);
    }
}
