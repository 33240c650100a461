using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Web.Tests.Architecture;

/// <summary>
/// Every page says who may open it. The endpoint's fallback policy already refuses anonymous requests, but an open circuit
/// only leaves a page whose sign-in ends (a disabled account, an ended session) when the router knows the page needs one.
/// </summary>
public sealed class PageAuthorizationTests
{
    [Fact]
    public void EveryRoutablePage_IsMarkedAuthorizeOrAllowAnonymous()
    {
        var pages = typeof(Program).Assembly.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any()).ToList();
        Assert.True(pages.Count > 20, $"only {pages.Count} pages found");
        var unmarked = pages
            .Where(t => t.GetCustomAttribute<AuthorizeAttribute>(inherit: true) is null && t.GetCustomAttribute<AllowAnonymousAttribute>(inherit: true) is null)
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(unmarked);
    }
}
