using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.Web.Tests.Hosting;

/// <summary>The __Host- rewrite happens once per request, however often the pipeline runs again for it (the error page).</summary>
public sealed class HostCookiesMiddlewareTests
{
    [Fact]
    public async Task APipelineRunAgainForTheErrorPage_StillReadsThePortalsCookies()
    {
        var seen = new List<string?>();
        HostCookiesMiddleware? middleware = null;
        var pass = 0;
        middleware = new HostCookiesMiddleware(async context =>
        {
            seen.Add(context.Request.Cookies["ComplianceHub.Auth"]);
            if (pass++ == 0)
            {
                await middleware!.InvokeAsync(context); // as UseExceptionHandler re-executes the pipeline
            }
        }, NullLogger<HostCookiesMiddleware>.Instance);
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Headers.Cookie = "__Host-ComplianceHub.Auth=ticket; ComplianceHub.Auth=planted";

        await middleware.InvokeAsync(http);

        Assert.Equal(["ticket", "ticket"], seen);
    }

    [Fact]
    public void OutgoingCookies_BecomeHostCookies_AndOneThatDoesNotParseIsNotSent()
    {
        var rewritten = HostCookiesMiddleware.Outgoing(
            new(["ComplianceHub.Auth=ticket; path=/account; domain=example.mil; httponly", "not a cookie"]), NullLogger.Instance);

        var cookie = Assert.Single(rewritten.ToArray());
        Assert.Equal("__Host-ComplianceHub.Auth=ticket; path=/; secure; httponly", cookie);
    }
}
