using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The addresses of access reviews' downloads, in one place for the pages (plain download links, sent with the sign-in
/// cookie) and the endpoints that serve them (ADR 0040). An item filter travels as query parameters named as in
/// <see cref="AccessReviewItemFilter"/>: <c>vendorId</c> and <c>systemId</c> (repeated), <c>status</c>, <c>stage</c>,
/// <c>recommendation</c>, <c>accessType</c>, <c>escorted</c>, <c>foreignNational</c>, <c>stale</c>, <c>mine</c>, <c>search</c>.
/// </summary>
public static class AccessReviewUrls
{
    public const string Base = "/api/v1/access-reviews";

    /// <summary>The campaign report: a PDF summary per vendor, system and decision, or every item and decision as CSV, XLSX or JSON.</summary>
    public static string Report(Guid campaignId, ExportFormat format) =>
        $"{Base}/campaigns/{campaignId}/report?format={ExportRequest.Name(format)}";

    /// <summary>The items a grid shows (its filters and sort), as a file.</summary>
    public static string ItemsExport(Guid campaignId, AccessReviewItemFilter filter, ExportFormat format, string? sort, bool desc)
    {
        var query = new List<string> { $"format={ExportRequest.Name(format)}" };
        query.AddRange(Query(filter));
        if (!string.IsNullOrEmpty(sort))
        {
            query.Add($"sort={Uri.EscapeDataString(sort)}");
            if (desc)
            {
                query.Add("desc=true");
            }
        }
        return $"{Base}/campaigns/{campaignId}/items/export?{string.Join('&', query)}";
    }

    /// <summary>A filter as query parameters (without "?").</summary>
    public static IEnumerable<string> Query(AccessReviewItemFilter filter)
    {
        foreach (var v in filter.VendorIds)
        {
            yield return $"vendorId={v}";
        }
        foreach (var s in filter.SystemIds)
        {
            yield return $"systemId={s}";
        }
        if (filter.Status is { } status) yield return $"status={status}";
        if (filter.Stage is { } stage) yield return $"stage={stage}";
        if (filter.Recommendation is { } r) yield return $"recommendation={r}";
        if (filter.AccessType is { } a) yield return $"accessType={a}";
        if (filter.Escorted is { } e) yield return $"escorted={(e ? "true" : "false")}";
        if (filter.ForeignNational is { } f) yield return $"foreignNational={(f ? "true" : "false")}";
        if (filter.Stale is { } st) yield return $"stale={(st ? "true" : "false")}";
        if (filter.Mine) yield return "mine=true";
        if (!string.IsNullOrWhiteSpace(filter.Search)) yield return $"search={Uri.EscapeDataString(filter.Search.Trim())}";
    }
}
