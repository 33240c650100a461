using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>
/// A browser-like HTTP session with the portal (cookies kept, redirects visible: <c>AllowAutoRedirect</c> off), signed in as a
/// demo account the way a person does: the banner acknowledged, then the sign-in form posted with its antiforgery token.
/// </summary>
public sealed partial class PortalClient : IDisposable
{
    public const string DemoPassword = "Demo!2026-ComplianceHub";

    private PortalClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; }

    /// <summary>A session not signed in yet.</summary>
    public static PortalClient Anonymous(Uri baseAddress) => new(baseAddress);

    /// <summary>A session signed in as <paramref name="email"/> (Development: no second factor) at <paramref name="baseAddress"/>.</summary>
    public static async Task<PortalClient> SignInAsync(Uri baseAddress, string email, CancellationToken ct = default)
    {
        var client = new PortalClient(baseAddress);
        try
        {
            await client.SignInAgainAsync(email, ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The banner and the sign-in form on this session; throws unless the portal redirects into the app.</summary>
    public async Task SignInAgainAsync(string email, CancellationToken ct = default)
    {
        (await PostFormAsync("/consent", ct, ("_handler", "consent"))).Dispose();
        using var signedIn = await PostFormAsync("/account/login", ct, ("_handler", "signin"), ("Input.Email", email), ("Input.Password", DemoPassword));
        var to = signedIn.Headers.Location;
        if (signedIn.StatusCode != HttpStatusCode.Redirect || to is null || (to.IsAbsoluteUri ? to.AbsolutePath : to.OriginalString) != "/")
        {
            throw new InvalidOperationException($"sign-in as {email} at {Http.BaseAddress} failed ({(int)signedIn.StatusCode} to {to})");
        }
    }

    /// <summary>GETs <paramref name="path"/>, reads its antiforgery token and posts the form with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, CancellationToken ct, params (string Name, string Value)[] fields)
    {
        var html = await Http.GetStringAsync(path, ct);
        var token = TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no antiforgery token on {path}");
        return await Http.PostAsync(path, new FormUrlEncodedContent(fields.Append(("__RequestVerificationToken", token))
            .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))), ct);
    }

    /// <summary>True when <paramref name="response"/> sends the browser to the sign-in page (or the banner before it).</summary>
    public static bool IsSignInRedirect(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
        && response.Headers.Location is { } to
        && (to.IsAbsoluteUri ? to.AbsolutePath : to.OriginalString.Split('?')[0]) is var path
        && (path.StartsWith("/account/login", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/consent", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An API client (API.md "Authentication"): <c>POST /api/v1/auth/token</c> with the demo account's e-mail and password, then
    /// <c>Authorization: Bearer</c> on every request. The token is data-protected with the key ring every instance shares, so it
    /// is good on any instance at <paramref name="baseAddress"/>.
    /// </summary>
    public static async Task<HttpClient> ApiAsync(Uri baseAddress, string email, CancellationToken ct = default) =>
        ApiWithToken(baseAddress, await TokenAsync(baseAddress, email, ct));

    /// <summary>An API client at <paramref name="baseAddress"/> with a bearer token already issued (by any instance).</summary>
    public static HttpClient ApiWithToken(Uri baseAddress, string token)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A bearer token for a demo account from <c>POST /api/v1/auth/token</c>.</summary>
    public static async Task<string> TokenAsync(Uri baseAddress, string email, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoPassword }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"no token for {email} at {baseAddress}: {(int)response.StatusCode} {body}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
