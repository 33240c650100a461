using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>DoD: three failed sign-ins within 15 minutes lock the account; the error never says which accounts exist.</summary>
public sealed class LockoutTests() : ClockedPortalTest("lock")
{
    protected override async Task ArrangeAsync()
    {
        await Portal.CreateAccountAsync("officer@lock.test", Roles.ContractingOfficer);
        await Portal.CreateAccountAsync("slow@lock.test", Roles.Auditor);
        await Portal.CreateAccountAsync("burst@lock.test", Roles.ContractingOfficer);
    }

    [Fact]
    public async Task TenConcurrentWrongPasswords_LockTheAccount_NoFailureIsLost()
    {
        // Ten wrong passwords at once through the token endpoint (the same check as the form): every failure is counted,
        // none swallowed as a concurrency conflict, so the account ends locked and the right password is refused.
        var attempts = Enumerable.Range(0, 10).Select(async _ =>
        {
            using var client = Portal.CreateClient();
            return await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "burst@lock.test", password = "Wrong-Password-123!" });
        });
        foreach (var response in await Task.WhenAll(attempts))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var lockedUntil = await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "SELECT lockout_end FROM users WHERE email = 'burst@lock.test'");
        Assert.IsType<DateTime>(lockedUntil);
        using var again = Portal.CreateClient();
        var right = await again.PostAsJsonAsync("/api/v1/auth/token", new { email = "burst@lock.test", password = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        // Every recorded attempt is in the trail, with the account as the actor.
        var audited = await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "SELECT count(*) FROM audit_events e JOIN users u ON e.subject_id = u.id::text WHERE u.email = 'burst@lock.test' AND e.operation = 'account.sign-in'");
        Assert.True(Convert.ToInt64(audited) >= 3, $"{audited} sign-in events");
    }

    [Fact]
    public async Task ThreeFailures_LockTheAccount_EvenForTheRightPassword()
    {
        using var session = PortalSession.Open(Portal);
        for (var i = 0; i < IdentitySetup.MaxFailedSignIns; i++)
        {
            await session.AcknowledgeBannerAsync();
            var failed = await session.PostSignInAsync("officer@lock.test", "Wrong-Password-123!");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            Assert.Contains("data-testid=\"signin-error\"", await failed.Content.ReadAsStringAsync());
        }

        Assert.False(await session.SignInAsync("officer@lock.test", DemoSeeder.DemoPassword));
        var lockedUntil = await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "SELECT lockout_end FROM users WHERE email = 'officer@lock.test'");
        var expected = Clock.GetUtcNow() + IdentitySetup.LockoutWindow;
        var actual = new DateTimeOffset(Assert.IsType<DateTime>(lockedUntil), TimeSpan.Zero);
        Assert.InRange(actual, expected.AddSeconds(-1), expected.AddSeconds(1));
    }

    [Fact]
    public async Task FailuresSpreadBeyondTheWindow_DoNotLock()
    {
        using var session = PortalSession.Open(Portal);
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");
        Clock.Advance(TimeSpan.FromMinutes(16));
        await session.AcknowledgeBannerAsync();
        await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!");

        Assert.True(await session.SignInAsync("slow@lock.test", DemoSeeder.DemoPassword));
    }

    [Fact]
    public async Task TheError_IsTheSame_ForUnknownAccountsAndWrongPasswords()
    {
        using var session = PortalSession.Open(Portal);
        await session.AcknowledgeBannerAsync();
        var unknown = await (await session.PostSignInAsync("nobody@lock.test", "Wrong-Password-123!")).Content.ReadAsStringAsync();
        await session.AcknowledgeBannerAsync();
        var wrong = await (await session.PostSignInAsync("slow@lock.test", "Wrong-Password-123!")).Content.ReadAsStringAsync();

        Assert.Equal(ErrorText(unknown), ErrorText(wrong));
        Assert.DoesNotContain("not exist", unknown, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("locked", ErrorText(unknown).Split("After")[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RefusalsThatChangeNothing_AreStillAudited_UnknownNamesOnlyAsHashes()
    {
        using var client = Portal.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Sprayer/1.0");
        await client.PostAsJsonAsync("/api/v1/auth/token", new { email = " Nobody@Lock.test ", password = "Wrong-Password-123!" });
        for (var i = 0; i <= IdentitySetup.MaxFailedSignIns; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "slow@lock.test", password = "Wrong-Password-123!" });
        }

        var refused = await TestDatabase.QueryAsync(Database.AppConnectionString,
            "SELECT subject_type, subject_id, actor_user_id, changes::text FROM audit_events WHERE event_type = 8300 ORDER BY sequence");
        Assert.Equal(2, refused.Count);
        var unknown = refused[0];
        Assert.Equal("sign-in", unknown[0]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("nobody@lock.test"u8)), unknown[1]);
        Assert.Null(unknown[2]);
        Assert.Contains("unknown account", (string)unknown[3]!, StringComparison.Ordinal);
        Assert.Contains("Sprayer/1.0", (string)unknown[3]!, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody", (string)unknown[3]!, StringComparison.OrdinalIgnoreCase);
        // The fourth attempt met a locked account: refused without a password check's write, and audited as such.
        var locked = refused[1];
        Assert.Equal("account", locked[0]);
        Assert.Equal(locked[1], locked[2]?.ToString());
        Assert.Contains("account locked out", (string)locked[3]!, StringComparison.Ordinal);
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("data-testid=\"signin-error\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no sign-in error shown");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }
}
