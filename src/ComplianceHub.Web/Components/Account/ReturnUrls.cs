namespace ComplianceHub.Web.Components.Account;

/// <summary>Keeps post-sign-in redirects on this site (no open redirect).</summary>
public static class ReturnUrls
{
    public static string Safe(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) && !returnUrl.StartsWith("/consent", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
