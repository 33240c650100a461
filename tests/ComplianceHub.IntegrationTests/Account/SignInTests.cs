using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Account;

public sealed class SignInTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private sealed record Me(Guid UserId, string DisplayName, string Role, Guid? VendorId, string? VendorName);

    public static TheoryData<string, string, string[], string[]> RoleNavigation => new()
    {
        { "admin@demo.local", "Administrator", ["nav-", "nav-admin-accounts", "nav-scalar-v1"], [] },
        { "co1@demo.local", "Contracting officer", ["nav-", "nav-scalar-v1"], ["nav-admin-accounts"] },
        { "auditor@demo.local", "Auditor", ["nav-", "nav-scalar-v1"], ["nav-admin-accounts"] },
        { "rep@acme.demo.local", "Vendor representative", ["nav-", "nav-scalar-v1"], ["nav-admin-accounts"] },
    };

    [Theory]
    [MemberData(nameof(RoleNavigation))]
    public async Task EachDemoRole_SignsIn_AndSeesItsOwnNavigation(string email, string roleLabel, string[] visible, string[] hidden)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));

        var html = await session.GetHtmlAsync("/");
        Assert.Contains($"data-testid=\"nav-role\"", html);
        Assert.Contains(roleLabel, html);
        foreach (var id in visible)
        {
            Assert.Contains($"data-testid=\"{id}\"", html);
        }
        foreach (var id in hidden)
        {
            Assert.DoesNotContain($"data-testid=\"{id}\"", html);
        }
    }

    [Fact]
    public async Task VendorRepresentative_ClaimNamesTheirVendor()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("rep@acme.demo.local", DemoSeeder.DemoPassword));
        var me = await session.Client.GetFromJsonAsync<Me>("/api/v1/me");
        Assert.NotNull(me);
        Assert.Equal(Roles.VendorRepresentative, me.Role);
        Assert.Equal(DemoSeeder.AcmeId, me.VendorId);
        Assert.Equal("Acme Cloud Services", me.VendorName);

        using var other = PortalSession.Open(fixture.Portal);
        Assert.True(await other.SignInAsync("rep@globex.demo.local", DemoSeeder.DemoPassword));
        var globex = await other.Client.GetFromJsonAsync<Me>("/api/v1/me");
        Assert.Equal(DemoSeeder.GlobexId, globex!.VendorId);
    }

    [Fact]
    public async Task OtherRoles_CarryNoVendorClaim()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("co2@demo.local", DemoSeeder.DemoPassword));
        var me = await session.Client.GetFromJsonAsync<Me>("/api/v1/me");
        Assert.Equal(Roles.ContractingOfficer, me!.Role);
        Assert.Null(me.VendorId);
    }

    [Fact]
    public async Task VendorRepresentative_HomePage_CountsOnlyTheirOwnRoster()
    {
        using var acme = PortalSession.Open(fixture.Portal);
        Assert.True(await acme.SignInAsync("rep@acme.demo.local", DemoSeeder.DemoPassword));
        var acmeHtml = await acme.GetHtmlAsync("/");
        Assert.Matches("People on your roster</p>.*?>25</p>", Flatten(acmeHtml));
        Assert.DoesNotContain("data-testid=\"stat-vendors\"", acmeHtml);

        using var co = PortalSession.Open(fixture.Portal);
        Assert.True(await co.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        Assert.Matches("People on vendor rosters</p>.*?>60</p>", Flatten(await co.GetHtmlAsync("/")));
    }

    [Fact]
    public async Task SignIn_WithoutAcknowledgingTheBanner_IsSentToTheBanner()
    {
        using var session = PortalSession.Open(fixture.Portal);
        var login = await session.Client.GetAsync("/account/login?returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/consent", login.Headers.Location!.OriginalString.Replace("http://localhost", ""));

        var banner = await session.GetHtmlAsync("/consent");
        Assert.Contains("You are accessing a U.S. Government (USG) Information System (IS)", banner);
        Assert.Contains("See User Agreement for details.", banner);
    }

    [Fact]
    public async Task AnonymousRequests_AreRedirectedOrRefused()
    {
        using var session = PortalSession.Open(fixture.Portal);
        var home = await session.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/account/login", home.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
        // The OpenAPI document holds no data and is public (issue 22): client generators fetch it without credentials.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndShowsTheBannerAgain()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("auditor@demo.local", DemoSeeder.DemoPassword));
        var token = await session.AntiforgeryTokenAsync("/");
        var signOut = await session.Client.PostAsync("/account/logout",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/consent", signOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("/api/v1/me")).StatusCode);
        // The acknowledgement was consumed by the sign-in: signing in again needs the banner again.
        Assert.Equal(HttpStatusCode.Redirect, (await session.Client.GetAsync("/account/login")).StatusCode);
    }

    private static string Flatten(string html) => html.Replace("\n", " ").Replace("\r", " ");
}
