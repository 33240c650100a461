using System.Security.Claims;
using Bunit;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Layout;
using MudBlazor.Services;

namespace ComplianceHub.Web.Tests.Layout;

public sealed class NavMenuTests : BunitContext, IAsyncLifetime
{
    private static readonly Guid Acme = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");

    public NavMenuTests() => Services.AddMudServices();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public static TheoryData<string, string, string[]> ExpectedLinks => new()
    {
        { Roles.Administrator, "Administrator", ["/", "/vendors", "/audit", "/access", "/evidence", "/systems", "/egress-ranges", "/geolocation", "/admin/accounts", "/admin/offices", "/scalar/v1"] },
        { Roles.ContractingOfficer, "Contracting officer",
            ["/", "/dashboard", "/vendors", "/roster", "/attestations", "/sessions", "/escorts", "/findings", "/access-reviews", "/contributions", "/access-logs", "/access-logs/import", "/screening", "/approvals", "/policy", "/access", "/systems", "/egress-ranges", "/geolocation", "/scalar/v1"] },
        { Roles.VendorRepresentative, "Vendor representative",
            ["/", "/roster", "/roster/import", "/requests", "/attestations", "/sessions", "/findings", "/access-reviews", "/contributions", "/contributions/import", "/access-logs", "/access-logs/import", "/scalar/v1"] },
        { Roles.Auditor, "Auditor", ["/", "/dashboard", "/vendors", "/roster", "/attestations", "/sessions", "/escorts", "/findings", "/access-reviews", "/contributions", "/access-logs", "/screening", "/policy", "/audit", "/access", "/evidence", "/systems", "/egress-ranges", "/geolocation", "/scalar/v1"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedLinks))]
    public void NavMenu_ShowsExactlyTheRolesEntries(string role, string label, string[] hrefs)
    {
        SignIn(role, role == Roles.VendorRepresentative ? Acme : null);

        var cut = Render<NavMenu>();

        Assert.Equal(label, cut.Find("[data-testid=nav-role]").TextContent.Trim());
        var links = cut.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")).ToArray();
        Assert.Equal(hrefs, links);
    }

    [Fact]
    public void NavMenu_ShowsNothing_WhenSignedOut()
    {
        AddAuthorization();
        var cut = Render<NavMenu>();
        Assert.Empty(cut.FindAll("a"));
    }

    [Fact]
    public void NavMenu_FailsClosed_ForARepresentativeWithoutAVendor()
    {
        SignIn(Roles.VendorRepresentative, vendorId: null);
        var cut = Render<NavMenu>();
        Assert.Empty(cut.FindAll("a"));
    }

    [Fact]
    public void NavMenu_FailsClosed_ForAnAccountWithTwoRoles()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("two-hats");
        auth.SetRoles(Roles.Administrator, Roles.Auditor);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()));
        var cut = Render<NavMenu>();
        Assert.Empty(cut.FindAll("a"));
    }

    private void SignIn(string role, Guid? vendorId)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(role);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()) };
        if (vendorId is { } v)
        {
            claims.Add(new Claim(ComplianceClaimTypes.VendorId, v.ToString()));
        }
        auth.SetClaims([.. claims]);
    }
}
