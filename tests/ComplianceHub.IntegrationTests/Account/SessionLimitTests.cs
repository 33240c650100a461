using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.IntegrationTests.Api;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>
/// ASVS 5.0 V7.1.2: an account holds at most <see cref="SignInPolicyOptions.MaxOpenSessions"/> sessions open (10 by default);
/// a sign-in beyond it ends the oldest, whose credential is refused from then on — concurrent sign-ins included.
/// </summary>
public sealed class SessionLimitTests() : ApiTestBase("seslimit")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private async Task<string> TokenAsync()
    {
        using var anonymous = Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Co2Email, password = DemoSeeder.DemoPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private async Task<HttpStatusCode> MeAsync(string token)
    {
        using var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/v1/me")).StatusCode;
    }

    private async Task<List<UserSession>> SessionsAsync()
    {
        await using var db = await ContextAsync();
        var co2 = await db.Users.Where(u => u.Email == Co2Email).Select(u => u.Id).SingleAsync();
        return await db.UserSessions.AsNoTracking().Where(s => s.UserId == co2).OrderBy(s => s.CreatedAt).ToListAsync();
    }

    [Fact]
    public async Task TheEleventhSignIn_EndsTheOldestSession_AndTheOthersStayOpen()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            tokens.Add(await TokenAsync());
        }
        Assert.All(await SessionsAsync(), s => Assert.Null(s.EndedAt));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(tokens[0]));

        tokens.Add(await TokenAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(tokens[0]));
        foreach (var token in tokens.Skip(1))
        {
            Assert.Equal(HttpStatusCode.OK, await MeAsync(token));
        }
        var sessions = await SessionsAsync();
        Assert.Equal(10, sessions.Count(s => s.EndedAt is null));
        Assert.Equal(SessionEndReasons.TooManySessions, sessions[0].EndReason);
        Assert.Contains("most sessions allowed", SessionEndReasons.Describe(sessions[0].EndReason), StringComparison.Ordinal);

        // Concurrent sign-ins queue on the account's row: never more than ten open.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TokenAsync()));
        Assert.Equal(10, (await SessionsAsync()).Count(s => s.EndedAt is null));
    }
}
