namespace ComplianceHub.Web.Components.Shared;

/// <summary>Reads one filter value of a page's address; a malformed value is no value (the page's default), never an error.</summary>
public static class UrlValue
{
    /// <summary>An enum member by its name (any case); numbers and unknown names are null.</summary>
    public static T? Enum<T>(string? value) where T : struct, System.Enum =>
        value is not null && !int.TryParse(value, out _) && System.Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed)
            && System.Enum.IsDefined(parsed) ? parsed : null;

    /// <summary>A search text, trimmed; blank is null.</summary>
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An address with the query parameters that have a value (<see cref="FilterQuery.Build"/>).</summary>
    public static string Build(string path, params (string Key, string? Value)[] parameters) => FilterQuery.Build(path, parameters);
}
