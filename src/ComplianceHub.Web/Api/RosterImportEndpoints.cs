using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Api;

/// <summary>Roster imports (API.md <c>POST /vendors/{id}/roster-imports?dryRun=true</c>) and the file template.</summary>
internal static class RosterImportEndpoints
{
    public static void MapRosterImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/vendors/{vendorId:guid}/roster-imports", async (Guid vendorId, bool? dryRun, bool? reapply, HttpContext http) =>
            {
                if (Core.Authorization.Actor.FromPrincipal(http.User) is not ({ IsContractingOfficer: true } or { IsVendorRepresentative: true }))
                {
                    return ApiResults.Forbidden("Contracting officers and the vendor's representatives import rosters."); // before reading the upload
                }
                if (Core.Authorization.Actor.FromPrincipal(http.User) is { } scoped && !scoped.Sees(vendorId))
                {
                    // Another vendor's roster (or one the officer's office holds no contract with): as if it did not exist.
                    return ApiResults.NotFound("The vendor was not found.");
                }
                if (!http.Request.HasFormContentType || (await http.Request.ReadFormAsync(http.RequestAborted)).Files.GetFile("file") is not { } file)
                {
                    return TypedResults.Problem("Upload the roster as multipart/form-data with a part named \"file\" (CSV or XLSX).",
                        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
                }
                var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
                if (extension is not (".csv" or ".xlsx"))
                {
                    return TypedResults.Problem($"'{file.FileName}' is not a .csv or .xlsx roster.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported media type");
                }
                if (file.Length > RosterFile.MaxBytes)
                {
                    return TypedResults.Problem($"The file is larger than {RosterFile.MaxBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge,
                        title: "Upload too large");
                }
                // Read from where the form reader spooled the upload (a temporary file past 64 KB), never copied whole into memory.
                var content = FileUpload.FromStream(file.OpenReadStream, file.Length);
                return await ApiResults.SendAsync(http, new ImportRoster(vendorId, file.FileName, content, dryRun ?? false, reapply ?? false), report =>
                    report is { AlreadyApplied: { } earlier, Applied: false, DryRun: false }
                        ? TypedResults.Problem(earlier.Describe("send it again with reapply=true"), statusCode: StatusCodes.Status409Conflict,
                            title: "This file was already applied", extensions: new Dictionary<string, object?>
                            {
                                ["alreadyApplied"] = earlier, ["import"] = earlier.Link, ["sha256"] = report.Sha256,
                            })
                    : report.Errors.Count > 0 && !report.DryRun
                        ? TypedResults.Problem("The file has errors; nothing was imported.", statusCode: StatusCodes.Status400BadRequest,
                            title: "The input is not valid.", extensions: new Dictionary<string, object?>
                            {
                                ["rows"] = report.Rows, ["accepted"] = report.Accepted, ["rejected"] = report.Rejected,
                                ["errors"] = report.Errors, ["violations"] = report.Violations,
                            })
                        : TypedResults.Ok(report));
            })
            .DisableAntiforgery() // an API upload authenticated by a bearer token (or the SameSite=Strict portal cookie)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RosterFile.MaxBytes + 1024 * 1024))
            .AcceptsFile("The roster: a .csv or .xlsx file with the columns of API.md \"Roster file\" (GET /api/v1/roster-template.csv).")
            .Sends<ImportRoster>().WithTags("Personnel").WithName("ImportRoster")
            .WithSummary("Import a roster file (CSV or XLSX); dryRun=true reports exactly what applying would do and writes nothing")
            .WithDescription("Send multipart/form-data with the file in a part named \"file\". Columns as API.md \"Roster file\". All or nothing: a bad row and nothing is written; the report lists each row and field. " +
                             "Known employee ids update people (fact changes with consequences), new ids add people, employmentStatus Terminated offboards. " +
                             "A file whose exact bytes (SHA-256) were applied to this vendor's roster before is refused with 409 and a pointer to that import " +
                             "(alreadyApplied, import), nothing changed — applying an old file again would undo newer edits; reapply=true applies it again on purpose. " +
                             "A dry run reports alreadyApplied too.")
            .Produces<RosterImportReport>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Import);

        api.MapGet("/vendors/{vendorId:guid}/roster-imports/{importId:guid}", async (Guid vendorId, Guid importId, ApiCaller caller, HttpContext http,
                RosterImportsQuery query) =>
                await query.GetAsync(caller.Actor, vendorId, importId, http.RequestAborted) is { } import
                    ? TypedResults.Ok(import)
                    : ApiResults.NotFound("The roster import was not found."))
            .WithTags("Personnel").WithName("GetRosterImport")
            .WithSummary("An applied roster file: its name, SHA-256, when and by whom it was (last) applied, and its totals")
            .Produces<RosterImportView>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/roster-template.csv", () => TypedResults.Text(RosterFile.CsvTemplate, "text/csv; charset=utf-8"))
            .WithTags("Personnel").WithName("GetRosterTemplate").WithSummary("The roster file template (CSV, with one example row)");
    }
}
