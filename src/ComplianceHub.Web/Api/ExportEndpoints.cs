using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Api;

/// <summary>
/// <c>GET /api/v1/exports/{kind}?format=csv|xlsx|pdf|json</c> (API.md): a screen's rows as a file, with the screen's
/// filters, streamed to the client as they are read. The portal's export menus link here (the sign-in cookie is accepted).
/// </summary>
internal static class ExportEndpoints
{
    private const string Kinds = "findings, roster, grants, escorts, attestations, audit, contributions, accessevents, accessevidence";
    private const string Formats = "csv, xlsx, pdf, json";

    public static void MapExportEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/exports/{kind}", (string kind, string? format, string? sort, bool? desc, ApiCaller caller, HttpContext http) =>
                Export(kind, format, sort, desc, caller.Actor, http))
            .WithTags("Exports").WithName("Export")
            .ForRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)
            .WithSummary("Export a screen's rows as CSV, XLSX, PDF or JSON, streamed")
            .WithDescription(
                $"kind: {Kinds}; format: {Formats}. The filters are the screen's query parameters: findings vendor, person, rule, severity, " +
                "status, open, overdue, q; roster q, vendor, citizenship, group, country, system, impact, grantStatus, escorted, employer, " +
                "attestation, status; grants state (All, Pending, Granted, Ended), q, vendor; escorts q, vendor, qualification, valid, atCapacity; " +
                "attestations vendor; audit subjectType, subjectId, actorUserId, actorName, vendorId, operation, ruleId, eventType, from, to, " +
                "correlationId (as GET /audit/events); contributions vendor, system, repository, flag, verdict, flagged, unmatched, q, from, to, person; " +
                "accessevents vendorId, personId, importId, systemId, country, identity, unmatched, succeeded, from, to (as GET /access-logs/events); " +
                "accessevidence person (required), days (the person page's \"Where access came from\": a row per country, 90 days unless said); " +
                "and sort, desc for every kind. " +
                "A vendor representative exports only their own vendor's rows and may not export the audit trail (403, as for officers: " +
                "the audit trail is for auditors and administrators). CSV and XLSX neutralise spreadsheet formulas; the PDF report holds the " +
                $"summaries of every row and the first {PdfReport.MaxDetailRows:N0} detail rows. Each completed export is audit event 8100 " +
                "with the SHA-256 of the file.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status200OK, contentType: ExportRequest.ContentType(ExportFormat.Xlsx))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);
    }

    private static IResult Export(string kind, string? format, string? sort, bool? desc, Actor actor, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ExportRequest.TryParseKind(kind, out var exportKind))
        {
            errors["kind"] = [$"'{kind}' is not an export kind: one of {Kinds}."];
        }
        if (!ExportRequest.TryParseFormat(format, out var exportFormat))
        {
            errors["format"] = [format is null ? $"The format is required: one of {Formats}." : $"'{format}' is not an export format: one of {Formats}."];
        }
        var filter = errors.ContainsKey("kind") ? null : ExportQuery.Bind(exportKind, http.Request.Query, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The export request is not valid.");
        }
        if (!ExportService.MayExport(actor, exportKind))
        {
            return ApiResults.Forbidden("The audit trail is for auditors and administrators; it cannot be exported from this account.");
        }
        return new ExportFileResult(actor, new ExportRequest(exportKind, exportFormat, filter, sort, desc ?? false));
    }

    /// <summary>Writes the export straight into the response body: headers first, then each page of rows as it is read.</summary>
    private sealed class ExportFileResult(Actor actor, ExportRequest request) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var exports = http.RequestServices.GetRequiredService<ExportService>();
            return StreamedDownload.SendAsync(http, typeof(ExportEndpoints), $"{ExportRequest.Name(request.Kind)} as {ExportRequest.Name(request.Format)}",
                ExportRequest.ContentType(request.Format), exports.FileName(request), (body, ct) => exports.ExportAsync(actor, request, body, ct));
        }
    }
}
