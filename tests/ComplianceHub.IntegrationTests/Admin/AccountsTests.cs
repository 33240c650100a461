using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Admin;

public sealed class AccountsTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "admin", Roles.Administrator, null, null);

    [Fact]
    public async Task CreateAccount_BindsARepresentativeToExactlyOneVendor()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();

        var noVendor = await accounts.CreateAsync(Admin, new NewAccount("rep2@acme.test", "Rep Two", Roles.VendorRepresentative, null, DemoSeeder.DemoPassword));
        Assert.False(noVendor.Succeeded);
        Assert.Contains(nameof(NewAccount.VendorId), noVendor.Errors.Keys);

        var unknownVendor = await accounts.CreateAsync(Admin, new NewAccount("rep3@acme.test", "Rep Three", Roles.VendorRepresentative, Guid.NewGuid(), DemoSeeder.DemoPassword));
        Assert.Equal("The vendor does not exist.", Assert.Single(unknownVendor.Errors[nameof(NewAccount.VendorId)]));

        var officerWithVendor = await accounts.CreateAsync(Admin, new NewAccount("co9@demo.test", "Officer", Roles.ContractingOfficer, DemoSeeder.AcmeId, DemoSeeder.DemoPassword));
        Assert.Contains(nameof(NewAccount.VendorId), officerWithVendor.Errors.Keys);

        var ok = await accounts.CreateAsync(Admin, new NewAccount("rep4@acme.test", "Rep Four", Roles.VendorRepresentative, DemoSeeder.AcmeId, DemoSeeder.DemoPassword));
        Assert.True(ok.Succeeded);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "SELECT count(*) FROM users WHERE email IN ('rep2@acme.test','rep3@acme.test','co9@demo.test')"));
    }

    [Fact]
    public async Task CreateAccount_WithAWeakPassword_WritesNothing()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(Admin, new NewAccount("weak@demo.test", "Weak", Roles.Auditor, null, "short"));
        Assert.Contains(nameof(NewAccount.Password), result.Errors.Keys);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT count(*) FROM users WHERE email = 'weak@demo.test'"));
    }

    [Theory]
    [InlineData(Roles.ContractingOfficer)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.VendorRepresentative)]
    public async Task OnlyAdministrators_CreateOrListAccounts(string role)
    {
        var actor = new Actor(Guid.NewGuid(), "x", role, role == Roles.VendorRepresentative ? DemoSeeder.AcmeId : null, null);
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(actor, new NewAccount($"{role}@x.test", "X", Roles.Administrator, null, DemoSeeder.DemoPassword)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => scope.ServiceProvider.GetRequiredService<AccountDirectory>()
            .ListAsync(actor, new AccountFilter(), new PageRequest()));
    }

    [Fact]
    public async Task AccountList_IsFilteredSortedAndPaged_OnTheServer()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<AccountDirectory>();
        var officers = await directory.ListAsync(Admin, new AccountFilter(Role: Roles.ContractingOfficer), new PageRequest(1, 1, "email", Desc: true));
        Assert.True(officers.Total >= 2);
        Assert.Equal("co3@demo.local", Assert.Single(officers.Items).Email);

        var acme = await directory.ListAsync(Admin, new AccountFilter(Search: "acme cloud"), new PageRequest());
        Assert.All(acme.Items, a => Assert.Equal("Acme Cloud Services", a.VendorName));

        // The status filter, after an account is disabled and another given a temporary password.
        var disabledId = await fixture.Portal.CreateAccountAsync("gone@status.test", Roles.Auditor);
        var resetId = await fixture.Portal.CreateAccountAsync("reset@status.test", Roles.Auditor);
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        Assert.True((await accounts.DisableAsync(Admin, disabledId, "Contract ended")).Succeeded);
        Assert.True((await accounts.ResetPasswordAsync(Admin, resetId, "Temporary-Pass-2026!")).Succeeded);
        var disabled = await directory.ListAsync(Admin, new AccountFilter(Search: "status.test", Status: AccountStatuses.Disabled), new PageRequest());
        var row = Assert.Single(disabled.Items);
        Assert.Equal(("gone@status.test", "Disabled", "Contract ended"), (row.Email, AccountStatuses.Describe(row.Status), row.DisabledReason));
        var due = await directory.ListAsync(Admin, new AccountFilter(Search: "status.test", Status: AccountStatuses.PasswordChangeDue), new PageRequest());
        Assert.Equal("reset@status.test", Assert.Single(due.Items).Email);
        Assert.Empty((await directory.ListAsync(Admin, new AccountFilter(Search: "status.test", Status: AccountStatuses.Active), new PageRequest())).Items);
    }

    [Theory]
    [InlineData("co1@demo.local")]
    [InlineData("auditor@demo.local")]
    [InlineData("rep@acme.demo.local")]
    public async Task AccountsPage_AndExport_AreForAdministratorsOnly(string email)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        var page = await session.Client.GetAsync("/admin/accounts");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/access-denied", page.Headers.Location!.OriginalString);
        var export = await session.Client.GetAsync("/admin/accounts/export.csv");
        Assert.NotEqual(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task AccountsExport_GivesTheFilteredRows_AsCsv()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("admin@demo.local", DemoSeeder.DemoPassword));
        Assert.Contains("New account", await session.GetHtmlAsync("/admin/accounts"));
        var csv = await session.GetHtmlAsync($"/admin/accounts/export.csv?role={Roles.VendorRepresentative}&sort=email");
        var lines = csv.TrimStart('\uFEFF').Trim().Split('\n');
        Assert.Equal("email,displayName,role,vendor,status,createdAt,lastSignInAt,lockedOutUntil,disabledAt,disabledReason,signIn,office", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains("\"Vendor representative\",", l));
        Assert.All(lines.Skip(1), l => Assert.Contains("\"Active\",", l));
        Assert.Contains(lines, l => l.StartsWith("\"rep@acme.demo.local\"", StringComparison.Ordinal));
        // How each signs in: the Acme representative's card is bound by the demo seed, the Globex one has only a password.
        Assert.Contains(lines, l => l.StartsWith("\"rep@acme.demo.local\"", StringComparison.Ordinal)
            && l.EndsWith(",\"smart card (DoD ID 1000000005) or password\",", StringComparison.Ordinal)); // no office: a representative
        Assert.Contains(lines, l => l.StartsWith("\"rep@globex.demo.local\"", StringComparison.Ordinal) && l.EndsWith(",\"password only\",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unlock_EndsALockout()
    {
        var id = await fixture.Portal.CreateAccountAsync("locked@demo.test", Roles.Auditor);
        using (var session = PortalSession.Open(fixture.Portal))
        {
            for (var i = 0; i < IdentitySetup.MaxFailedSignIns; i++)
            {
                await session.AcknowledgeBannerAsync();
                await session.PostSignInAsync("locked@demo.test", "Wrong-Password-123!");
            }
            Assert.False(await session.SignInAsync("locked@demo.test", DemoSeeder.DemoPassword));
        }
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccountService>().UnlockAsync(Admin, id));
        }
        using var again = PortalSession.Open(fixture.Portal);
        Assert.True(await again.SignInAsync("locked@demo.test", DemoSeeder.DemoPassword));
    }

    [Fact]
    public async Task AccountChanges_RunOnAContextOfTheirOwn_NotOnTheOneOfTheScopeThatHoldsTheService()
    {
        // A page keeps AccountService for as long as its circuit (a scope) lives: no change may save through that scope's context.
        await using var circuit = fixture.Portal.Services.CreateAsyncScope();
        var circuitContext = circuit.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var savesOnTheCircuitsContext = 0;
        circuitContext.SavingChanges += (_, _) => savesOnTheCircuitsContext++;
        var accounts = circuit.ServiceProvider.GetRequiredService<AccountService>();

        var created = await accounts.CreateAsync(Admin, new NewAccount("own-context@scope.test", "Own Context", Roles.Auditor, null, DemoSeeder.DemoPassword));
        Assert.True(created.Succeeded);
        Assert.True((await accounts.DisableAsync(Admin, created.UserId!.Value, "Contract ended")).Succeeded);
        Assert.True((await accounts.EnableAsync(Admin, created.UserId.Value)).Succeeded);

        Assert.Equal(0, savesOnTheCircuitsContext);
        Assert.Empty(circuitContext.ChangeTracker.Entries());
        Assert.Equal(0L, await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "SELECT count(*) FROM users WHERE email = 'own-context@scope.test' AND disabled_at IS NOT NULL"));
    }
}
