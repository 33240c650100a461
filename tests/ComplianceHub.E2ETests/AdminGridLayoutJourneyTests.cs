using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The cloud systems, the escort board (two grids on one page), the vendors, the escorted sessions, the accounts and a vendor's
/// roster keep their order, page, page size, hidden columns and filters in the address, in Chromium: a grid opens as its address
/// says, follows a header click, a pager click and a filter into it, keeps it through a reload, and a saved view opens it again.
/// </summary>
public sealed class AdminGridLayoutJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAuditor_OpensSystemsAndTheEscortBoardAsTheirAddressesSay_AndKeepsAViewAndAVendorsRosterSearch()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");

        // The systems by impact level, highest first, without the provider column: as the address says.
        await page.GotoAsync("/systems?sort=impactLevel&desc=true&hide=provider");
        await Interactive.WaitAsync(page);
        var systems = page.GetByTestId("systems-grid");
        await Assertions.Expect(FirstCell(systems)).ToHaveTextAsync("Joint Intelligence Enclave");
        await Assertions.Expect(Header(page, "Provider")).ToHaveCountAsync(0);
        await Assertions.Expect(Header(page, "Environment")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("systems-columns-toggle")).ToHaveTextAsync("Columns (1 hidden)");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A click on the name's header orders by name: the address follows, the hidden column stays hidden.
        await Header(page, "Name").Locator(".sortable-column-header").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/systems\?sort=name&hide=provider$"));
        await Assertions.Expect(FirstCell(systems)).ToHaveTextAsync("Air Force Maintenance Analytics");

        // A filter keeps the order and the columns, and a reload keeps all of it.
        await page.GetByTestId("systems-search").FillAsync("Navy");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/systems\?q=Navy&sort=name&hide=provider$"));
        await Assertions.Expect(systems.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("systems-search")).ToHaveValueAsync("Navy");
        await Assertions.Expect(FirstCell(systems)).ToHaveTextAsync("Navy Personnel Records");
        await Assertions.Expect(systems.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(Header(page, "Provider")).ToHaveCountAsync(0);

        // Saved as the auditor's view, it opens again from the plain list.
        await page.GetByTestId("saved-views-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await page.GetByTestId("saved-views-save").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name of the view").FillAsync("Navy, no provider");
        await page.GetByTestId("saved-view-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Navy, no provider");
        await page.GotoAsync("/systems");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(systems.Locator("tbody tr")).ToHaveCountAsync(6);
        await Assertions.Expect(Header(page, "Provider")).ToBeVisibleAsync();
        await page.GetByTestId("saved-views-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await page.GetByTestId("saved-view").Filter(new() { HasText = "Navy, no provider" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/systems\?.*q=Navy"));
        await Interactive.WaitAsync(page);
        await Assertions.Expect(systems.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(Header(page, "Provider")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Navy, no provider");

        // The escort board: ten escorts a page; its second grid's own, prefixed parameters order it by vendor, last first, and hide
        // the citizenships.
        await page.GotoAsync("/escorts?size=10&unescorted.sort=vendor&unescorted.desc=true&unescorted.hide=citizenships");
        await Interactive.WaitAsync(page);
        var escorts = page.GetByTestId("escorts-grid");
        var unescorted = page.GetByTestId("unescorted-grid");
        await Assertions.Expect(page.GetByTestId("escort-link")).ToHaveCountAsync(10);
        await Assertions.Expect(Header(unescorted, "Citizenships")).ToHaveCountAsync(0);
        await ExpectSortedAsync(Header(unescorted, "Vendor"), "desc");
        await Assertions.Expect(Header(escorts, "Vendor")).ToBeVisibleAsync();
        await Assertions.Expect(Header(escorts, "Vendor").Locator(".mud-direction-asc, .mud-direction-desc")).ToHaveCountAsync(0);
        var firstEscort = await page.GetByTestId("escort-link").First.InnerTextAsync();

        // The escorts' pager: the address follows, the second grid's parameters stay; a reload opens the same page.
        await escorts.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"[?&]page=2(&|$)"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"unescorted\.sort=vendor&unescorted\.desc=true"));
        await Assertions.Expect(page.GetByTestId("escort-link").First).Not.ToHaveTextAsync(firstEscort);
        var secondPage = await page.GetByTestId("escort-link").First.InnerTextAsync();
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("escort-link").First).ToHaveTextAsync(secondPage);
        await Assertions.Expect(Header(unescorted, "Citizenships")).ToHaveCountAsync(0);
        await ExpectSortedAsync(Header(unescorted, "Vendor"), "desc");

        // A search of the escorts starts them from their first page and keeps both grids' layouts.
        await page.GetByTestId("escorts-search").FillAsync("a");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/escorts\?q=a&"));
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex(@"[?&]page="));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"[?&]size=10(&|$)"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"unescorted\.sort=vendor&unescorted\.desc=true&unescorted\.hide=citizenships"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A vendor's roster keeps its search and its order in the vendor page's address, through a reload.
        await page.GotoAsync("/vendors");
        await Interactive.WaitAsync(page);
        await page.GetByTestId("vendor-link").Filter(new() { HasText = "Acme" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("25 people");
        await page.GetByTestId("roster-search").FillAsync("ACME-101");
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("10 people");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/vendors/[0-9a-f-]+\?q=ACME-101$"));
        var employeeId = page.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" });
        await employeeId.GetByRole(AriaRole.Button).ClickAsync();
        await employeeId.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?q=ACME-101&sort=employeeId&desc=true$"));
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("roster-search")).ToHaveValueAsync("ACME-101");
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("10 people");
        await Assertions.Expect(employeeId).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page.GetByTestId("roster-grid").Locator("tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("ACME-1019");
    }

    [Fact]
    public async Task AnAdministrator_OpensAccountsVendorsAndSessionsAsTheirAddressesSay_AndAFilterKeepsTheLayout()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "admin@demo.local");

        // Accounts: descending by email, without the role column, ten a page.
        await page.GotoAsync("/admin/accounts?sort=email&desc=true&size=10&hide=role");
        await Interactive.WaitAsync(page);
        var accounts = page.GetByTestId("accounts-grid");
        await Assertions.Expect(Header(page, "Role")).ToHaveCountAsync(0);
        await ExpectSortedAsync(Header(page, "Email"), "desc");
        await Assertions.Expect(FirstCell(accounts)).ToHaveTextAsync("rep@globex.demo.local");
        await Assertions.Expect(accounts.Locator("tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.GetByTestId("export-accounts")).ToHaveAttributeAsync("href", new Regex("sort=email&desc=true"));

        // A filter keeps the order and the columns; the export follows the filter.
        await Select.ChooseAsync(page, page.Locator("main"), "Role",
            "Contracting officer");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/admin/accounts\?role=ContractingOfficer&sort=email&desc=true&size=10&hide=role$"));
        await Assertions.Expect(accounts.Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(FirstCell(accounts)).ToHaveTextAsync("co3@demo.local");
        await Assertions.Expect(page.GetByTestId("export-accounts")).ToHaveAttributeAsync("href", new Regex("role=ContractingOfficer.*sort=email&desc=true"));

        // A header click changes the order in the address and the export; a reload keeps everything.
        await Header(page, "Name").Locator(".sortable-column-header").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?role=ContractingOfficer&sort=displayName&size=10&hide=role$"));
        await Assertions.Expect(page.GetByTestId("export-accounts")).ToHaveAttributeAsync("href", new Regex("sort=displayName&desc=false"));
        await Assertions.Expect(FirstCell(accounts)).ToHaveTextAsync("co1@demo.local");
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(accounts.Locator("tbody tr")).ToHaveCountAsync(3);
        await ExpectSortedAsync(Header(page, "Name"), "asc");
        await Assertions.Expect(FirstCell(accounts)).ToHaveTextAsync("co1@demo.local");
        await Assertions.Expect(Header(page, "Role")).ToHaveCountAsync(0);

        // The column chooser shows the column again, and the address forgets it was hidden.
        await page.GetByTestId("accounts-columns-toggle").ClickAsync();
        await page.GetByTestId("accounts-columns-role").CheckAsync();
        await Assertions.Expect(Header(page, "Role")).ToBeVisibleAsync();
        await Assertions.Expect(accounts.Locator("tbody tr").First.Locator("td").Nth(2)).ToHaveTextAsync("Contracting officer");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?role=ContractingOfficer&sort=displayName&size=10$"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Vendors: by CAGE code, descending, without the UEI.
        await page.GotoAsync("/vendors?sort=cageCode&desc=true&hide=uei");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("vendors-grid").Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(Header(page, "UEI")).ToHaveCountAsync(0);
        await ExpectSortedAsync(Header(page, "CAGE"), "desc");
        await page.GetByTestId("vendors-search").FillAsync("Globex");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/vendors\?q=Globex&sort=cageCode&desc=true&hide=uei$"));
        await Assertions.Expect(page.GetByTestId("vendor-link")).ToHaveTextAsync(["Globex Federal"]);

        // Sessions: by change ticket, without the escort and the system.
        await page.GotoAsync("/sessions?sort=changeTicket&hide=escort,system");
        await Interactive.WaitAsync(page);
        await ExpectSortedAsync(Header(page, "Change ticket"), "asc");
        await Assertions.Expect(Header(page, "Escort")).ToHaveCountAsync(0);
        await Assertions.Expect(Header(page, "System")).ToHaveCountAsync(0);
        await Assertions.Expect(Header(page, "Person")).ToBeVisibleAsync();
        await page.GetByTestId("sessions-search").FillAsync("CHG");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/sessions\?q=CHG&sort=changeTicket&hide=escort(,|%2C)system$"));
    }

    /// <summary>A grid's column header by its title (a sortable one is also named by its sort button).</summary>
    private static ILocator Header(IPage page, string name) => Header(page.Locator("main"), name);

    private static ILocator Header(ILocator grid, string name) =>
        grid.GetByRole(AriaRole.Columnheader, new() { NameRegex = new Regex($"^{Regex.Escape(name)}( Sort)?$") });

    /// <summary>The header's sort button shows the order (asc or desc).</summary>
    private static Task ExpectSortedAsync(ILocator header, string direction) =>
        Assertions.Expect(header.Locator($".sort-direction-icon.mud-direction-{direction}")).ToHaveCountAsync(1);

    private static ILocator FirstCell(ILocator grid) => grid.Locator("tbody tr").First.Locator("td").First;
}
