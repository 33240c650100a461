using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>DoD: three failed sign-ins within 15 minutes lock the account; the error never says which accounts exist.</summary>
public sealed class LockoutTests : IAsyncLifetime
{
    // Identity compares LockoutEnd with the real clock, so the fake clock starts at real time.
    private readonly FakeTimeProvider clock = new(TimeProvider.System.GetUtcNow());
    private TestDatabase database = null!;
    private PortalFactory portal = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("lock");
        portal = new PortalFactory(database, clock);
        await portal.CreateAccountAsync("officer@lock.test", Roles.ContractingOfficer);
        await portal.CreateAccountAsync("slow@lock.test", Roles.Auditor);
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task ThreeFailures_LockTheAccount_EvenForTheRightPassword()
    {
        using var session = PortalSession.Open(portal);
        for (var i = 0; i < IdentitySetup.MaxFailedSignIns; i++)
        {
            await session.AcknowledgeBannerAsync();
            var failed = await session.PostSignInAsync("officer@lock.test", "Wrong-Password-123!");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("data-testid=\"signin-error\"", await failed.Content.ReadAsStringAsync());
        }

        Assert.False(await session.SignInAsync("officer@lock.test", DemoSeeder.DemoPassword));
        var lockedUntil = await TestDatabase.ScalarAsync(database.AppConnectionString,
            "SELECT lockout_end FROM users WHERE email = 'officer@lock.test'");
        var expected = clock.GetUtcNow() + IdentitySetup.LockoutWindow;
        var actual = new DateTimeOffset(Assert.IsType<DateTime>(lockedUntil), TimeSpan.Zero);
        Assert.InRange(actual, expected.AddSeconds(-1), expected.AddSeconds(1));
    }

    [Fact]
    public async Task FailuresSpreadBeyondTheWindow_DoNotLock()
    {
        using var session = PortalSession.Open(portal);
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");
        clock.Advance(TimeSpan.FromMinutes(16));
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");

        Assert.True(await session.SignInAsync("slow@lock.test", DemoSeeder.DemoPassword));
    }

    [Fact]
    public async Task TheError_IsTheSame_ForUnknownAccountsAndWrongPasswords()
    {
        using var session = PortalSession.Open(portal);
        await session.AcknowledgeBannerAsync();
        var unknown = await (await session.PostSignInAsync("nobody@lock.test", "Wrong-Password-123!")).Content.ReadAsStringAsync();
        await session.AcknowledgeBannerAsync();
        var wrong = await (await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!")).Content.ReadAsStringAsync();

        Assert.Equal(ErrorText(unknown), ErrorText(wrong));
        Assert.DoesNotContain("not exist", unknown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("locked", ErrorText(unknown).Split("After")[0], StringComparison.OrdinalIgnoreCase);
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("data-testid=\"signin-error\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no sign-in error shown");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }
}
