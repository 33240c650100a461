namespace ComplianceHub.Web.Components.Account;

/// <summary>Keeps post-sign-in redirects on this site (no open redirect).</summary>
public static class ReturnUrls
{
    /// <remarks>Control and white-space characters are refused anywhere: browsers drop a tab or newline from a URL, so
    /// <c>/%09/evil.example</c> would become <c>//evil.example</c>, another site.</remarks>
    public static string Safe(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) && !returnUrl.StartsWith("/consent", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
