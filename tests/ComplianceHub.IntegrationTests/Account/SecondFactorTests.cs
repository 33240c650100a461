using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>
/// IA-2(1), IA-2(2), IA-2(8): a second factor — a one-time code from an authenticator app, accepted once, or a single-use
/// recovery code — on the sign-in form and on the token endpoint; required for every account where the installation says so.
/// </summary>
public sealed partial class SecondFactorTests() : ApiTestBase("mfa")
{
    private Guid officer;

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        officer = await db.Users.Where(u => u.Email == Co1Email).Select(u => u.Id).SingleAsync();
    }

    private Actor Officer => new(officer, "Casey Officer", Roles.ContractingOfficer, null, null);

    /// <summary>Enrols the officer's authenticator through the service; returns its key and the recovery codes.</summary>
    private async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolAsync()
    {
        var factors = Portal.Services.GetRequiredService<SecondFactors>();
        var setup = await factors.BeginEnrolmentAsync(Officer, Co1Email);
        Assert.NotNull(setup);
        Assert.StartsWith("otpauth://totp/ComplianceHub:co1%40demo.local?secret=", setup.Uri, StringComparison.Ordinal);
        var enrolled = await factors.ConfirmEnrolmentAsync(Officer, CodeNow(setup.Key));
        Assert.True(enrolled.Succeeded, enrolled.Error);
        Assert.Equal(10, enrolled.RecoveryCodes.Count);
        NextStep(); // the enrolment spent this step's code
        return (setup.Key, enrolled.RecoveryCodes);
    }

    private string CodeNow(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(Clock.GetUtcNow().UtcDateTime);

    private void NextStep() => Clock.Advance(TimeSpan.FromSeconds(30));

    private async Task<HttpResponseMessage> PostCodeAsync(PortalSession browser, string code)
    {
        var token = await browser.AntiforgeryTokenAsync("/account/login/code");
        return await browser.Client.PostAsync("/account/login/code", new FormUrlEncodedContent([
            new("_handler", "signin-code"), new("__RequestVerificationToken", token), new("Input.Code", code)]));
    }

    private async Task<PortalSession> PasswordStepAsync()
    {
        var browser = PortalSession.Open(Portal);
        await browser.AcknowledgeBannerAsync();
        var response = await browser.PostSignInAsync(Co1Email, DemoSeeder.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login/code", response.Headers.Location!.AbsolutePath);
        return browser;
    }

    private async Task<HttpStatusCode> TokenAsync(string? totp)
    {
        using var anonymous = Anonymous();
        return (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = DemoSeeder.DemoPassword, totp })).StatusCode;
    }

    [Fact]
    public async Task WithAnAuthenticator_TheRightPasswordAlone_OpensNothing_AndTheCodeStepDoes()
    {
        var (key, _) = await EnrolAsync();
        using var browser = await PasswordStepAsync();
        // The password step issued no portal cookie: nothing opens yet.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Contains("Enter your code", await browser.GetHtmlAsync("/account/login/code"));

        var wrong = await PostCodeAsync(browser, "000000" == CodeNow(key) ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("data-testid=\"code-error\"", await wrong.Content.ReadAsStringAsync());

        var right = await PostCodeAsync(browser, CodeNow(key));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal("password+otp", await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT method FROM user_sessions WHERE user_id = '{officer}' AND ended_at IS NULL"));
    }

    [Fact]
    public async Task ACode_IsAcceptedOnce()
    {
        var (key, _) = await EnrolAsync();
        var code = CodeNow(key);
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(code));
        // The same code again, within its 30 seconds, from the form or the API: refused (someone watching cannot reuse it).
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(code));
        using var browser = await PasswordStepAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostCodeAsync(browser, code)).StatusCode);
        NextStep();
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(CodeNow(key)));
    }

    [Fact]
    public async Task TheTokenEndpoint_WantsTheCode_AndWrongCodesLockTheAccount()
    {
        var (key, _) = await EnrolAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(null));
        for (var i = 0; i < IdentitySetup.MaxFailedSignIns; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync("123456" == CodeNow(key) ? "654321" : "123456"));
        }
        // Three wrong codes after the right password lock the account like three wrong passwords: the right code is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(CodeNow(key)));
        Assert.IsType<DateTime>(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT lockout_end FROM users WHERE id = '{officer}'"));
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce()
    {
        var (_, codes) = await EnrolAsync();
        Assert.Matches(RecoveryCodeShape(), codes[0]);
        using (var browser = await PasswordStepAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PostCodeAsync(browser, codes[0].ToLowerInvariant())).StatusCode);
        }
        using (var again = await PasswordStepAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await PostCodeAsync(again, codes[0])).StatusCode);
        }
        var status = await Portal.Services.GetRequiredService<SecondFactors>().StatusAsync(Officer);
        Assert.Equal((true, 9), (status.Enabled, status.RecoveryCodesLeft));
        // Recovery codes are stored only as hashes.
        var stored = (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT value FROM user_tokens WHERE user_id = '{officer}' AND name = 'RecoveryCodes'"))!;
        Assert.DoesNotContain(codes[1].Replace("-", "", StringComparison.Ordinal), stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrollingThroughThePage_ShowsTheKeyAndQrCode_ThenTheRecoveryCodesOnce()
    {
        var (browser, _) = (PortalSession.Open(Portal), 0);
        using (browser)
        {
            Assert.True(await browser.SignInAsync(Co1Email, DemoSeeder.DemoPassword));
            // Every visit shows a new key (one seen before, by anyone, is never handed out again); the form's post keeps it.
            var first = KeyShown().Match(await browser.GetHtmlAsync("/account/second-factor")).Groups[1].Value;
            var page = await browser.GetHtmlAsync("/account/second-factor");
            Assert.Contains("<svg", page, StringComparison.Ordinal);
            var key = KeyShown().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
            Assert.Equal(32, key.Length);
            Assert.NotEqual(first.Replace(" ", "", StringComparison.Ordinal), key);
            var token = System.Net.WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);
            var done = await browser.Client.PostAsync("/account/second-factor", new FormUrlEncodedContent([
                new("_handler", "enrol-authenticator"), new("__RequestVerificationToken", token), new("Input.Code", CodeNow(key))]));
            var html = await done.Content.ReadAsStringAsync();
            Assert.Contains("data-testid=\"recovery-codes-shown\"", html);
            Assert.Equal(10, RecoveryCodeShape().Matches(html).Count);
            // The enrolment kept this session (no new stamp); the page now says the factor is on.
            Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
            Assert.Contains("data-testid=\"second-factor-on\"", await browser.GetHtmlAsync("/account/second-factor"));
            var audited = await SingleEventAsync(e => e.Operation == "account.second-factor-enrol" && e.SubjectType == "account");
            Assert.Contains("twoFactorEnabled", audited.Changes, StringComparison.Ordinal);
            Assert.DoesNotContain(key, string.Join("", (await EventsOfAsync(officer)).Select(e => e.Changes)), StringComparison.Ordinal);
        }
    }

    private async Task<List<Core.Auditing.AuditEvent>> EventsOfAsync(Guid actor)
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.Where(e => e.ActorUserId == actor).ToListAsync();
    }

    [Fact]
    public async Task WhereTheInstallationRequiresIt_AnAccountWithoutOne_EnrolsBeforeAnythingElse()
    {
        await using var required = Portal.WithWebHostBuilder(b => b.UseSetting("SignIn:RequireSecondFactor", "true"));
        using var browser = PortalSession.Open(required);
        Assert.True(await browser.SignInAsync(Co1Email, DemoSeeder.DemoPassword));
        var roster = await browser.Client.GetAsync("/roster");
        Assert.Equal(HttpStatusCode.Redirect, roster.StatusCode);
        Assert.Equal("/account/second-factor?returnUrl=%2Froster", roster.Headers.Location!.OriginalString);
        var api = await browser.Client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("Second factor required", await api.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"second-factor-required\"", await browser.GetHtmlAsync("/account/second-factor"));
        using (var anonymous = required.CreateClient())
        {
            var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = DemoSeeder.DemoPassword });
            Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
        }

        var (key, _) = await EnrolAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
        using var client = required.CreateClient();
        var withCode = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = DemoSeeder.DemoPassword, totp = CodeNow(key) });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        Assert.True((await withCode.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task AnAdministrator_ResetsALostSecondFactor_AndEverySessionEnds()
    {
        var (key, _) = await EnrolAsync();
        using var browser = await PasswordStepAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostCodeAsync(browser, CodeNow(key))).StatusCode);
        var factors = Portal.Services.GetRequiredService<SecondFactors>();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => factors.ResetAsync(Co2, officer));
        Assert.True((await factors.ResetAsync(Actor.ServerOperator, officer)).Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.False((await factors.StatusAsync(Officer)).Enabled);
        // The password alone signs in again (Development does not require a second factor), ready to enrol a new phone.
        NextStep();
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(null));
    }

    [Fact]
    public async Task NewRecoveryCodes_TakeAFreshCodeFromTheApp_NotARecoveryCodeOrAnOpenSessionAlone()
    {
        var (key, codes) = await EnrolAsync();
        var factors = Portal.Services.GetRequiredService<SecondFactors>();

        var noCode = await factors.NewRecoveryCodesAsync(Officer, "");
        Assert.False(noCode.Succeeded);
        Assert.Contains("6-digit code", noCode.Error, StringComparison.Ordinal);
        var withRecoveryCode = await factors.NewRecoveryCodesAsync(Officer, codes[0]);
        Assert.False(withRecoveryCode.Succeeded);
        Assert.Contains("a recovery code does not work here", withRecoveryCode.Error, StringComparison.Ordinal);
        Assert.Empty(withRecoveryCode.RecoveryCodes);
        Assert.Equal(10, (await factors.StatusAsync(Officer)).RecoveryCodesLeft); // the recovery code was not spent either

        var renewed = await factors.NewRecoveryCodesAsync(Officer, CodeNow(key));
        Assert.True(renewed.Succeeded, renewed.Error);
        Assert.Equal(10, renewed.RecoveryCodes.Count);
        Assert.Empty(renewed.RecoveryCodes.Intersect(codes));
        // The same code again is a replay (one code, one use), and the old recovery codes stopped working.
        Assert.False((await factors.NewRecoveryCodesAsync(Officer, CodeNow(key))).Succeeded);
        using (Core.Auditing.AuditScope.Begin(Officer, "account.sign-in")) // as the sign-in form checks a code
        {
            Assert.False(await factors.VerifyAsync(officer, codes[1]));
            Assert.True(await factors.VerifyAsync(officer, renewed.RecoveryCodes[0]));
        }
        // Audited: the wrong attempts (counted) and the renewal, never a code.
        var audited = (await EventsOfAsync(officer)).Where(e => e.Operation == "account.second-factor-recovery-codes").ToList();
        Assert.Contains(audited, e => e.Changes.Contains("lastSecondFactorStep", StringComparison.Ordinal));
        Assert.Contains(audited, e => e.Changes.Contains("recentFailedSignIns", StringComparison.Ordinal));
        Assert.DoesNotContain(audited, e => renewed.RecoveryCodes.Concat(codes).Any(c => e.Changes.Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WrongCodesForNewRecoveryCodes_CountAsFailedSignIns_AndLockTheAccount()
    {
        await EnrolAsync();
        var factors = Portal.Services.GetRequiredService<SecondFactors>();
        EnrolmentResult last = null!;
        for (var i = 0; i < IdentitySetup.MaxFailedSignIns; i++)
        {
            last = await factors.NewRecoveryCodesAsync(Officer, "000000");
            Assert.False(last.Succeeded);
        }
        Assert.Contains("locked the account", last.Error, StringComparison.Ordinal);
        Assert.IsType<DateTime>(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT lockout_end FROM users WHERE id = '{officer}'"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(null)); // the password alone no longer signs in
    }

    [Fact]
    public async Task ConcurrentWrongCodesForNewRecoveryCodes_GetNoMoreGuessesThanTheLockOutAllows()
    {
        var (key, _) = await EnrolAsync();
        var factors = Portal.Services.GetRequiredService<SecondFactors>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => factors.NewRecoveryCodesAsync(Officer, "000000")));

        Assert.All(results, r => Assert.False(r.Succeeded));
        Assert.Single(results, r => r.Error!.Contains("have locked the account", StringComparison.Ordinal)); // the third wrong one
        Assert.Equal(IdentitySetup.MaxFailedSignIns - 1, results.Count(r => r.Error!.StartsWith("The code is not right. Enter", StringComparison.Ordinal)));
        Assert.Equal(8 - IdentitySetup.MaxFailedSignIns, results.Count(r => r.Error == "The account is disabled or locked; sign in again later."));
        // Locked, even the right code gets no check.
        var right = await factors.NewRecoveryCodesAsync(Officer, CodeNow(key));
        Assert.Equal("The account is disabled or locked; sign in again later.", right.Error);
    }

    [Fact]
    public async Task ThePage_AsksForACodeFromTheApp_BeforeItShowsNewRecoveryCodes()
    {
        var (key, _) = await EnrolAsync();
        using var browser = await PasswordStepAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostCodeAsync(browser, CodeNow(key))).StatusCode);
        NextStep();

        async Task<string> PostAsync(string code)
        {
            var page = await browser.GetHtmlAsync("/account/second-factor");
            Assert.Contains("for=\"renew-code\"", page, StringComparison.Ordinal);
            var token = System.Net.WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);
            var response = await browser.Client.PostAsync("/account/second-factor", new FormUrlEncodedContent([
                new("_handler", "new-recovery-codes"), new("__RequestVerificationToken", token), new("Renew.Code", code)]));
            return await response.Content.ReadAsStringAsync();
        }

        var refused = await PostAsync("123456");
        Assert.Contains("data-testid=\"renew-error\"", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"recovery-codes-shown\"", refused, StringComparison.Ordinal);
        var shown = await PostAsync(CodeNow(key));
        Assert.Contains("data-testid=\"recovery-codes-shown\"", shown, StringComparison.Ordinal);
        Assert.Equal(10, RecoveryCodeShape().Matches(shown).Count);
    }

    [GeneratedRegex(@"[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}")]
    private static partial Regex RecoveryCodeShape();

    [GeneratedRegex("data-testid=\"authenticator-key\">([A-Z2-7 ]+)<")]
    private static partial Regex KeyShown();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [Fact]
    public async Task AKeyShownButNeverConfirmed_GoesWithAPasswordReset()
    {
        var factors = Portal.Services.GetRequiredService<SecondFactors>();
        Assert.NotNull(await factors.BeginEnrolmentAsync(Officer, Co1Email));
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AccountService>().ResetPasswordAsync(Actor.ServerOperator, officer, "Temporary-Pass-2026!")).Succeeded);
        }
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM user_tokens WHERE user_id = '{officer}' AND name = 'AuthenticatorKey'"));
    }
}
