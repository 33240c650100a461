using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplianceHub.Tests.Shared;

/// <summary>A browser-like HTTP session against the portal: cookies kept, redirects visible, forms posted with antiforgery.</summary>
public sealed partial class PortalSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public static PortalSession Open(WebApplicationFactory<Program> factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>
    /// A session at another address, e.g. <c>https://portal.example/</c> to be served over HTTPS under a real host name, whose
    /// cookies the test can read (<see cref="Cookies"/>).
    /// </summary>
    public static PortalSession Open(WebApplicationFactory<Program> factory, Uri baseAddress)
    {
        var container = new CookieContainer();
        return new(factory.CreateDefaultClient(baseAddress, new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(container)))
        {
            container = container,
        };
    }

    private CookieContainer? container;

    /// <summary>The cookies the browser would send to <paramref name="address"/> (sessions opened with an address only).</summary>
    public IReadOnlyList<Cookie> Cookies(Uri address) =>
        (container ?? throw new InvalidOperationException("Open the session with an address to read its cookies.")).GetCookies(address).ToList();

    /// <summary>GETs the banner and posts the acknowledgement, as a person clicking "I acknowledge" does.</summary>
    public async Task<HttpResponseMessage> AcknowledgeBannerAsync()
    {
        var token = await AntiforgeryTokenAsync("/consent");
        return await Client.PostAsync("/consent", Form(("_handler", "consent"), ("__RequestVerificationToken", token)));
    }

    /// <summary>Posts the sign-in form (the banner must have been acknowledged first).</summary>
    public async Task<HttpResponseMessage> PostSignInAsync(string email, string password)
    {
        var token = await AntiforgeryTokenAsync("/account/login");
        return await Client.PostAsync("/account/login", Form(("_handler", "signin"), ("__RequestVerificationToken", token),
            ("Input.Email", email), ("Input.Password", password)));
    }

    /// <summary>Banner, then sign-in; true when the portal redirected into the app.</summary>
    public async Task<bool> SignInAsync(string email, string password)
    {
        await AcknowledgeBannerAsync();
        var response = await PostSignInAsync(email, password);
        var location = response.Headers.Location;
        return response.StatusCode == HttpStatusCode.Redirect && location is not null
            && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString) == "/";
    }

    public async Task<string> GetHtmlAsync(string path)
    {
        var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        var html = await GetHtmlAsync(path);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => Client.Dispose();
}
