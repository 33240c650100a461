using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>DoD: sessions end after 15 minutes without activity, 10 for administrators.</summary>
public sealed class SessionTimeoutTests() : ClockedPortalTest("idle")
{
    protected override async Task ArrangeAsync()
    {
        await Portal.CreateAccountAsync("admin@idle.test", Roles.Administrator);
        await Portal.CreateAccountAsync("officer@idle.test", Roles.ContractingOfficer);
    }

    [Fact]
    public async Task IdleSessions_End_AfterTheirRolesLimit()
    {
        using var admin = PortalSession.Open(Portal);
        using var officer = PortalSession.Open(Portal);
        Assert.True(await admin.SignInAsync("admin@idle.test", DemoSeeder.DemoPassword));
        Assert.True(await officer.SignInAsync("officer@idle.test", DemoSeeder.DemoPassword));

        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);

        Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);

        Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Unauthorized, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task ASession_EndsAtItsAbsoluteLifetime_HoweverActiveItsHolderIs()
    {
        // A request every 14 minutes keeps the idle limit away (and lets Identity refresh the cookie's claims each time, which
        // must keep the session it names), but not the absolute end: sign in again after 12 hours (NIST SP 800-63B AAL2).
        using var officer = PortalSession.Open(Portal);
        Assert.True(await officer.SignInAsync("officer@idle.test", DemoSeeder.DemoPassword));
        var signedInAt = Clock.GetUtcNow();
        var step = TimeSpan.FromMinutes(14);
        while (Clock.GetUtcNow() + step - signedInAt < SessionPolicy.AbsoluteLifetime)
        {
            Clock.Advance(step);
            Assert.Equal(HttpStatusCode.OK, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);
        }
        Clock.Advance(step);
        Assert.Equal(HttpStatusCode.Unauthorized, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task TimedOutPage_SignsOut_AndSaysWhy()
    {
        using var officer = PortalSession.Open(Portal);
        Assert.True(await officer.SignInAsync("officer@idle.test", DemoSeeder.DemoPassword));
        var response = await officer.Client.GetAsync("/account/timed-out");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/consent?timedOut=true", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await officer.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(SessionEndReasons.TimedOut, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT end_reason FROM user_sessions"));
        Assert.Contains("You were signed out after a period without activity", await officer.GetHtmlAsync("/consent?timedOut=true"));
    }
}
