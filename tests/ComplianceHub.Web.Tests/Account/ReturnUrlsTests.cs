using ComplianceHub.Web.Components.Account;

namespace ComplianceHub.Web.Tests.Account;

public sealed class ReturnUrlsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/admin/accounts?x=1", "/admin/accounts?x=1")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("evil", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    [InlineData("/account/login", "/")]
    [InlineData("/consent?returnUrl=/", "/")]
    [InlineData("/\t/evil.example", "/")] // browsers drop the tab: //evil.example
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/ /evil.example", "/")]
    [InlineData("/account", "/account")]
    public void Safe_KeepsRedirectsOnThisSite(string? input, string expected) => Assert.Equal(expected, ReturnUrls.Safe(input));
}
