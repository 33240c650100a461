using System.Net;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>Either instance serves any signed-in browser and API caller: one key ring, sessions in the database.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class SharedSessionTests(ScaleOutFixture portal, ITestOutputHelper output)
{
    [Fact]
    public async Task A_sign_in_cookie_from_instance_A_is_accepted_by_instance_B()
    {
        using var atA = await PortalClient.SignInAsync(portal.A.BaseAddress, "co1@demo.local");
        // The same cookies, sent to B directly (another port on the same host: the cookie container sends them to both).
        using var atB = new HttpClient(new HttpClientHandler { CookieContainer = atA.Cookies, AllowAutoRedirect = false }) { BaseAddress = portal.B.BaseAddress };
        using var page = await atB.GetAsync("/");
        Assert.False(PortalClient.IsSignInRedirect(page), $"B sent the browser to {page.Headers.Location}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Casey Officer", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // And a browser that never signed in is sent to sign in by B: the 200 above is the cookie's doing.
        using var anonymous = PortalClient.Anonymous(portal.B.BaseAddress);
        using var refused = await anonymous.Http.GetAsync("/");
        Assert.True(PortalClient.IsSignInRedirect(refused), $"{(int)refused.StatusCode} {refused.Headers.Location}");
        output.WriteLine($"A on {portal.A.BaseAddress}, B on {portal.B.BaseAddress}");
    }

    [Fact]
    public async Task A_bearer_token_issued_by_instance_A_is_accepted_by_instance_B()
    {
        var token = await PortalClient.TokenAsync(portal.A.BaseAddress, "co1@demo.local");
        using var atB = PortalClient.ApiWithToken(portal.B.BaseAddress, token);
        using var me = await atB.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("\"displayName\":\"Casey Officer\"", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
