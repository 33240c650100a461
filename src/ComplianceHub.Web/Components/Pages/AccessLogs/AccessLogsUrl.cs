namespace ComplianceHub.Web.Components.Pages.AccessLogs;

/// <summary>The addresses of the access-log pages.</summary>
public static class AccessLogsUrl
{
    public const string Imports = "/access-logs";
    public const string Import = "/access-logs/import";

    public static string Detail(Guid importId) => $"/access-logs/imports/{importId}";

    public static string Unmatched(Guid? vendorId) => vendorId is { } v ? $"/access-logs/unmatched?vendor={v}" : "/access-logs/unmatched";
}
