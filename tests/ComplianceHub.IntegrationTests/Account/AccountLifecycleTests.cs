using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>
/// AC-2 and AC-12: access can be taken away, and it goes at once. Sessions are held on the server; signing out, disabling an
/// account, changing its role, resetting its password and an administrator ending its sessions refuse every credential
/// issued before — cookie, sign-in bearer token, personal access token — on its next request.
/// </summary>
public sealed class AccountLifecycleTests() : ApiTestBase("life")
{
    private static readonly Actor ServerAdmin = Actor.ServerOperator;
    private Guid officer;
    private Guid acmeRep;
    private Guid acmeSync;

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        officer = await db.Users.Where(u => u.Email == Co1Email).Select(u => u.Id).SingleAsync();
        acmeRep = await db.Users.Where(u => u.Email == AcmeEmail).Select(u => u.Id).SingleAsync();
        acmeSync = await Portal.CreateAccountAsync("hr-sync@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId, serviceAccount: true);
    }

    /// <summary>A read-write personal access token of the Acme service account.</summary>
    private async Task<HttpClient> ServiceTokenAsync()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var created = await adminClient.PostAsJsonAsync("/api/v1/tokens",
            new { name = "Acme HR sync", ownerUserId = acmeSync, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd"), scope = "ReadWrite" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return WithBearer((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
    }

    private async Task<T> WithAccountsAsync<T>(Func<AccountService, Task<T>> act)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<AccountService>());
    }

    private async Task<(PortalSession Browser, HttpClient Copy)> SignedInBrowserAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        var browser = PortalSession.Open(Portal);
        await browser.AcknowledgeBannerAsync();
        var response = await browser.PostSignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // What an attacker who copied the cookie holds: the same value, sent from another client.
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ComplianceHub.Auth=", StringComparison.Ordinal));
        var copy = Anonymous();
        copy.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        return (browser, copy);
    }

    private async Task<string> BearerTokenAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        using var anonymous = Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private HttpClient WithBearer(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient client) => (await client.GetAsync("/api/v1/me")).StatusCode;

    [Fact]
    public async Task SigningOut_EndsTheSessionOnTheServer_SoACopiedCookieIsRefused()
    {
        var (browser, copy) = await SignedInBrowserAsync(Co1Email);
        using (browser)
        using (copy)
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(copy));
            var token = await browser.AntiforgeryTokenAsync("/account/password");
            var signOut = await browser.Client.PostAsync("/account/logout",
                new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

            // The cookie's own expiry is 15 minutes away, but its session is over.
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(copy));
            var ended = await TestDatabase.ScalarAsync(Database.AppConnectionString,
                $"SELECT end_reason FROM user_sessions WHERE user_id = '{officer}'");
            Assert.Equal(SessionEndReasons.SignedOut, ended);
            var audited = await SingleEventAsync(e => e.Operation == "account.sign-out");
            Assert.Equal("session", audited.SubjectType);
            Assert.Equal(officer, audited.ActorUserId);
        }
    }

    [Fact]
    public async Task SignOut_WithoutAnAntiforgeryToken_IsRefused_AndTheSessionStaysOpen()
    {
        var (browser, copy) = await SignedInBrowserAsync(Co1Email);
        using (browser)
        using (copy)
        {
            var forged = await browser.Client.PostAsync("/account/logout", new FormUrlEncodedContent([]));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("use Sign out there", await forged.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, await MeAsync(copy));
        }
    }

    [Fact]
    public async Task DisablingAnAccount_RefusesItsCookieBearerTokenAndAccessToken_AtTheirNextRequest()
    {
        var (browser, cookie) = await SignedInBrowserAsync(AcmeEmail);
        using var bearer = WithBearer(await BearerTokenAsync(AcmeEmail));
        using var pat = await ServiceTokenAsync();
        using (browser)
        using (cookie)
        {
            foreach (var client in new[] { cookie, bearer, pat })
            {
                Assert.Equal(HttpStatusCode.OK, await MeAsync(client));
            }

            var disabled = await WithAccountsAsync(a => a.DisableAsync(ServerAdmin, acmeRep, "Left Acme on 2026-12-04"));
            Assert.True(disabled.Succeeded);
            Assert.True((await WithAccountsAsync(a => a.DisableAsync(ServerAdmin, acmeSync, "HR system retired"))).Succeeded);

            foreach (var client in new[] { cookie, bearer, pat })
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client));
            }
            // A page asks the browser to sign in again, and the cookie is deleted.
            var page = await browser.Client.GetAsync("/roster");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/account/login", page.Headers.Location!.AbsolutePath);
            // The right password opens nothing, with the same message as a wrong one.
            using var again = PortalSession.Open(Portal);
            Assert.False(await again.SignInAsync(AcmeEmail, DemoSeeder.DemoPassword));
            using var anonymous = Anonymous();
            var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = AcmeEmail, password = DemoSeeder.DemoPassword });
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);

            var open = await TestDatabase.ScalarAsync(Database.AppConnectionString,
                $"SELECT count(*) FROM user_sessions WHERE user_id = '{acmeRep}' AND ended_at IS NULL");
            Assert.Equal(0L, open);
            var audited = await SingleEventAsync(e => e.Operation == "account.disable" && e.SubjectType == "account" && e.SubjectId == acmeRep.ToString());
            Assert.Contains("Left Acme on 2026-12-04", audited.Changes, StringComparison.Ordinal);

            // Enabled again, the account signs in anew; nothing issued before comes back.
            Assert.True((await WithAccountsAsync(a => a.EnableAsync(ServerAdmin, acmeRep))).Succeeded);
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cookie));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(bearer));
            using var back = PortalSession.Open(Portal);
            Assert.True(await back.SignInAsync(AcmeEmail, DemoSeeder.DemoPassword));
        }
    }

    [Fact]
    public async Task ChangingARole_EndsTheSessions_RevokesTheAccessTokens_AndTheNextSignInHasTheNewRole()
    {
        using var bearer = WithBearer(await BearerTokenAsync(AcmeEmail));
        using var pat = await ServiceTokenAsync();
        Assert.Equal(HttpStatusCode.OK, await MeAsync(pat));

        var changed = await WithAccountsAsync(a => a.ChangeRoleAsync(ServerAdmin, acmeRep, Roles.VendorRepresentative, DemoSeeder.GlobexId));
        Assert.True(changed.Succeeded);
        Assert.True((await WithAccountsAsync(a => a.ChangeRoleAsync(ServerAdmin, acmeSync, Roles.Auditor, null))).Succeeded);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(bearer));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(pat));
        Assert.NotNull(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT revoked_at FROM api_tokens WHERE owner_user_id = '{acmeSync}'"));
        using var fresh = WithBearer(await BearerTokenAsync(AcmeEmail));
        var me = await (await fresh.GetAsync("/api/v1/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(DemoSeeder.GlobexId, me.GetProperty("vendorId").GetGuid());
    }

    [Theory]
    [InlineData(Roles.VendorRepresentative, false, "VendorId")]
    [InlineData(Roles.ContractingOfficer, true, "VendorId")]
    [InlineData("Superuser", false, "Role")]
    public async Task ARoleChange_ThatBreaksTheBindingRules_IsRefused_AndChangesNothing(string role, bool withVendor, string field)
    {
        var before = await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events");
        var result = await WithAccountsAsync(a => a.ChangeRoleAsync(ServerAdmin, officer, role, withVendor ? DemoSeeder.AcmeId : null));
        Assert.False(result.Succeeded);
        Assert.Contains(field, result.Errors.Keys);
        Assert.Equal(before, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"));
        using var client = WithBearer(await BearerTokenAsync(Co1Email));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client));
    }

    [Fact]
    public async Task APasswordReset_OpensNothing_UntilItsHolderChoosesTheirOwn()
    {
        var (before, copy) = await SignedInBrowserAsync(Co1Email);
        using (before)
        using (copy)
        {
            const string temporary = "Temporary-Pass-2026!";
            var weak = await WithAccountsAsync(a => a.ResetPasswordAsync(ServerAdmin, officer, "short"));
            Assert.False(weak.Succeeded);
            Assert.Contains("Password", weak.Errors.Keys);
            // Long and mixed, but built on a common password, or on the holder's name: refused too, with why.
            var common = await WithAccountsAsync(a => a.ResetPasswordAsync(ServerAdmin, officer, "Password2026!!!!"));
            Assert.Contains("most common passwords", string.Join(" ", common.Errors["Password"]), StringComparison.Ordinal);
            var personal = await WithAccountsAsync(a => a.ResetPasswordAsync(ServerAdmin, officer, "Casey-Rides-Bikes-26!"));
            Assert.Contains("\"casey\"", string.Join(" ", personal.Errors["Password"]), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await MeAsync(copy));

            Assert.True((await WithAccountsAsync(a => a.ResetPasswordAsync(ServerAdmin, officer, temporary))).Succeeded);
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(copy));

            // The temporary password signs in, but every page leads to the change and the API refuses.
            var (browser, _) = await SignedInBrowserAsync(Co1Email, temporary);
            using (browser)
            {
                var home = await browser.Client.GetAsync("/roster");
                Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
                Assert.Equal("/account/password?returnUrl=%2Froster", home.Headers.Location!.OriginalString);
                var api = await browser.Client.GetAsync("/api/v1/me");
                Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
                Assert.Contains("Password change required", await api.Content.ReadAsStringAsync());
                using (var anonymous = Anonymous())
                {
                    var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = temporary });
                    Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
                }
                var page = await browser.GetHtmlAsync("/account/password?returnUrl=%2Froster");
                Assert.Contains("data-testid=\"password-change-required\"", page);

                // A wrong current password, then a mismatch, then the change.
                var wrong = await PostPasswordAsync(browser, "Wrong-Password-123!", "Chosen-By-Me-2026!", "Chosen-By-Me-2026!");
                Assert.Contains("The current password is not correct.", wrong);
                var same = await PostPasswordAsync(browser, temporary, temporary, temporary);
                Assert.Contains("Choose a password different from the current one.", same);
                var token2 = await browser.AntiforgeryTokenAsync("/account/password?returnUrl=%2Froster");
                var done = await browser.Client.PostAsync("/account/password?returnUrl=%2Froster", new FormUrlEncodedContent([
                    new("_handler", "change-password"), new("__RequestVerificationToken", token2),
                    new("Input.CurrentPassword", temporary), new("Input.NewPassword", "Chosen-By-Me-2026!"), new("Input.ConfirmPassword", "Chosen-By-Me-2026!")]));
                Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
                Assert.EndsWith("/roster", done.Headers.Location!.OriginalString, StringComparison.Ordinal);

                // The same browser goes on (its cookie was re-issued with the new stamp); the new password is the one that works.
                Assert.Equal(HttpStatusCode.OK, await MeAsync(browser.Client));
                using var anonymous2 = Anonymous();
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous2.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = temporary })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await anonymous2.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = "Chosen-By-Me-2026!" })).StatusCode);
            }
        }
    }

    private static async Task<string> PostPasswordAsync(PortalSession browser, string current, string next, string confirm)
    {
        var token = await browser.AntiforgeryTokenAsync("/account/password");
        var response = await browser.Client.PostAsync("/account/password", new FormUrlEncodedContent([
            new("_handler", "change-password"), new("__RequestVerificationToken", token),
            new("Input.CurrentPassword", current), new("Input.NewPassword", next), new("Input.ConfirmPassword", confirm)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task ChangingMyPassword_EndsMyOtherSessions_ButNotThisOne()
    {
        var (here, _) = await SignedInBrowserAsync(AcmeEmail);
        var (elsewhere, _) = await SignedInBrowserAsync(AcmeEmail);
        using (here)
        using (elsewhere)
        {
            var token = await here.AntiforgeryTokenAsync("/account/password");
            var done = await here.Client.PostAsync("/account/password", new FormUrlEncodedContent([
                new("_handler", "change-password"), new("__RequestVerificationToken", token),
                new("Input.CurrentPassword", DemoSeeder.DemoPassword), new("Input.NewPassword", "Another-Secret-2026!"),
                new("Input.ConfirmPassword", "Another-Secret-2026!")]));
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
            Assert.Equal(HttpStatusCode.OK, await MeAsync(here.Client));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(elsewhere.Client));
            var reasons = await TestDatabase.ScalarAsync(Database.AppConnectionString,
                $"SELECT string_agg(coalesce(end_reason, 'open'), ',' ORDER BY created_at) FROM user_sessions WHERE user_id = '{acmeRep}'");
            Assert.Equal($"open,{SessionEndReasons.PasswordChanged}", reasons);
        }
    }

    [Fact]
    public async Task ANewPassword_IsNoneOfTheLastFive_AndAResetDoesNotOpenAWayBack()
    {
        var rep = new Actor(acmeRep, "Riley Acme", Roles.VendorRepresentative, DemoSeeder.AcmeId, "Acme Cloud Services");
        var current = DemoSeeder.DemoPassword;
        async Task<AccountResult> ChangeAsync(string next)
        {
            var (result, _) = await WithAccountsAsync(a => a.ChangeOwnPasswordAsync(rep, Guid.NewGuid(), current, next));
            if (result.Succeeded)
            {
                current = next;
            }
            return result;
        }
        static void AssertUsedRecently(AccountResult result)
        {
            Assert.False(result.Succeeded);
            Assert.Contains("none of your last 5 passwords", Assert.Single(result.Errors["NewPassword"]), StringComparison.Ordinal);
        }

        // Five generations: the demo password, then four of the holder's own.
        string[] own = ["Generation-One-2026!", "Generation-Two-2026!", "Generation-Three-2026!", "Generation-Four-2026!"];
        foreach (var next in own)
        {
            Assert.True((await ChangeAsync(next)).Succeeded);
        }
        foreach (var earlier in own[..3].Prepend(DemoSeeder.DemoPassword))
        {
            AssertUsedRecently(await ChangeAsync(earlier));
        }
        Assert.Equal("Generation-Four-2026!", current); // nothing refused was set

        // A fifth new one moves the demo password out of the window: it may come back.
        Assert.True((await ChangeAsync("Generation-Five-2026!")).Succeeded);
        Assert.True((await ChangeAsync(DemoSeeder.DemoPassword)).Succeeded);

        // An administrator's temporary password is not checked against the history (the form would tell them which ones
        // the holder used), but the password it replaces joins it: the holder cannot go back to it after the reset.
        Assert.True((await WithAccountsAsync(a => a.ResetPasswordAsync(ServerAdmin, acmeRep, "Generation-Five-2026!"))).Succeeded);
        current = "Generation-Five-2026!";
        AssertUsedRecently(await ChangeAsync(DemoSeeder.DemoPassword));
        Assert.True((await ChangeAsync("Generation-Six-2026!")).Succeeded);

        // The history holds hashes only, four of them, and none enters the audit trail.
        await using var db = await ContextAsync();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == acmeRep);
        Assert.Equal(IdentitySetup.PasswordGenerations - 1, user.PreviousPasswordHashes.Count);
        Assert.DoesNotContain(user.PreviousPasswordHashes, h => h.Contains("Generation", StringComparison.Ordinal));
        var trail = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "account").Select(e => e.Changes).ToListAsync();
        Assert.Contains(trail, c => c.Contains("previousPasswordHashes", StringComparison.Ordinal)); // the change is recorded…
        Assert.DoesNotContain(trail, c => user.PreviousPasswordHashes.Any(h => c.Contains(h, StringComparison.Ordinal))); // …not its values
    }

    [Fact]
    public async Task AnAdministrator_EndsEverySessionOfAnAccount_WhichStaysEnabled()
    {
        var (browser, cookie) = await SignedInBrowserAsync(Co1Email);
        using var bearer = WithBearer(await BearerTokenAsync(Co1Email));
        using (browser)
        using (cookie)
        {
            await using (var scope = Portal.Services.CreateAsyncScope())
            {
                var sessions = await scope.ServiceProvider.GetRequiredService<UserSessions>().ListAsync(ServerAdmin, officer);
                Assert.Equal(2, sessions.Count(s => s.IsOpen));
                Assert.Contains(sessions, s => s.MethodText == "Sign-in form");
                Assert.Contains(sessions, s => s.MethodText == "API bearer token");
            }
            var ended = await WithAccountsAsync(a => a.EndSessionsAsync(ServerAdmin, officer));
            Assert.True(ended.Succeeded);
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(cookie));
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(bearer));
            var none = await WithAccountsAsync(a => a.EndSessionsAsync(ServerAdmin, officer));
            Assert.False(none.Succeeded);
            using var again = WithBearer(await BearerTokenAsync(Co1Email));
            Assert.Equal(HttpStatusCode.OK, await MeAsync(again));
        }
    }

    [Fact]
    public async Task OnlyAdministrators_ManageAccounts_AndNoneDisablesOrDemotesThemselves()
    {
        foreach (var actor in new[] { Co1, AcmeRep, Auditor })
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAccountsAsync(a => a.DisableAsync(actor, officer, "x")));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAccountsAsync(a => a.ChangeRoleAsync(actor, officer, Roles.Auditor, null)));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAccountsAsync(a => a.ResetPasswordAsync(actor, officer, "Temporary-Pass-2026!")));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WithAccountsAsync(a => a.EndSessionsAsync(actor, officer)));
            await using var scope = Portal.Services.CreateAsyncScope();
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => scope.ServiceProvider.GetRequiredService<UserSessions>().ListAsync(actor, officer));
        }
        await using (var db = await ContextAsync())
        {
            var adminId = await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync();
            var admin = new Actor(adminId, "Admin", Roles.Administrator, null, null);
            Assert.Contains("Account", (await WithAccountsAsync(a => a.DisableAsync(admin, adminId, "testing"))).Errors.Keys);
            Assert.Contains("Role", (await WithAccountsAsync(a => a.ChangeRoleAsync(admin, adminId, Roles.Auditor, null))).Errors.Keys);
            Assert.True((await WithAccountsAsync(a => a.DisableAsync(admin, Guid.NewGuid(), "gone"))).NotFound);
        }
    }

    [Fact]
    public async Task ACredentialNamingNoSession_IsRefused()
    {
        // A bearer token minted with the portal's own key but without a server-side session (as tokens were before sessions
        // were kept, or as a forger holding the key would make one) is refused: the check fails closed.
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(officer.ToString()))!);
        var now = Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddMinutes(10) },
            IdentityConstants.BearerScheme);
        var protector = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme).BearerTokenProtector;
        using var client = WithBearer(protector.Protect(ticket));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client));
    }
}
