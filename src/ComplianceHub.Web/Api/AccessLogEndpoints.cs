using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using Microsoft.AspNetCore.Http.Features;

namespace ComplianceHub.Web.Api;

/// <summary>An identity to name a person by (<c>POST /people/{personId}/access-identity-aliases</c>).</summary>
public sealed record AccessIdentityAliasBody(string Identity);

/// <summary>
/// Access logs (issue 25): imports (multipart upload, dry run, all or nothing, idempotent by event and by file), the imports
/// of a vendor and one import, the access events (filtered, paged), the identities that matched nobody, and the aliases
/// that name the person behind an identity.
/// </summary>
internal static class AccessLogEndpoints
{
    public static void MapAccessLogEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/vendors/{vendorId:guid}/access-logs/imports", ImportAsync)
            .DisableAntiforgery() // an API upload authenticated by a bearer token (or the SameSite=Strict portal cookie)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AccessLogReader.MaxBytes + 1024 * 1024))
            .AcceptsFile("The access log: an Entra ID sign-in log (JSON or CSV), an AWS CloudTrail file (JSON, optionally gzip), sshd lines " +
                         "(auth.log or secure) or the plain CSV (GET /api/v1/access-log-template.csv).",
                new UploadField("format", "The log's format (EntraIdJson, EntraIdCsv, CloudTrailJson, SshdAuthLog, PlainCsv); detected when left out (also read from the query)."),
                new UploadField("systemId", "The cloud system the log comes from; required except for the plain CSV, whose system column names it (also read from the query).",
                    Format: "uuid"),
                new UploadField("sshdYear", "For sshd lines: the year they were written (they carry none), such as 2026 (also read from the query)."),
                new UploadField("sshdTimeZone", "For sshd lines: the server's IANA time zone, such as America/New_York or UTC (also read from the query)."))
            .Sends<ImportAccessLog>().WithTags("Access logs").WithName("ImportAccessLog")
            .WithSummary("Import an access log (Entra ID, CloudTrail, sshd or plain CSV); dryRun=true reports exactly what importing would do and writes nothing")
            .WithDescription(ImportDescription)
            .Produces<AccessLogImportReport>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Import);

        api.MapGet("/access-log-template.csv", () => TypedResults.Text(PlainCsvFile.Template, "text/csv; charset=utf-8"))
            .WithTags("Access logs").WithName("GetAccessLogTemplate")
            .WithSummary("The plain CSV access log template (user, time, address, system, id, result), with two example rows");

        api.MapGet("/vendors/{vendorId:guid}/access-logs/imports", async Task<IResult> (Guid vendorId, ApiCaller caller, HttpContext http, AccessEvidenceQuery query,
                int? page, int? pageSize) =>
                !caller.Actor.Sees(vendorId)
                    ? ApiResults.NotFound("The vendor was not found.")
                    : TypedResults.Ok(await query.ImportsAsync(caller.Actor, vendorId, new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Access logs").WithName("ListAccessLogImports")
            .WithSummary("A vendor's access-log imports, newest first, paged")
            .Produces<PagedResult<AccessLogImportRow>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/access-logs/imports/{importId:guid}", async (Guid importId, ApiCaller caller, HttpContext http, AccessEvidenceQuery query) =>
                await query.ImportAsync(caller.Actor, importId, http.RequestAborted) is { } import
                    ? TypedResults.Ok(import)
                    : ApiResults.NotFound("The access-log import was not found."))
            .WithTags("Access logs").WithName("GetAccessLogImport")
            .WithSummary("One access-log import: the file's name and SHA-256, who imported it when, its totals, the geolocation database, the sshd year and zone")
            .Produces<AccessLogImportRow>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/access-logs/events", async Task<IResult> (ApiCaller caller, HttpContext http, AccessEvidenceQuery query, Guid? vendorId, Guid? personId,
                Guid? importId, Guid? systemId, string? country, string? identity, bool? unmatched, bool? succeeded, DateOnly? from, DateOnly? to,
                int? page, int? pageSize, string? sort, bool? desc) =>
                CountryProblem(country) is { } problem
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["country"] = [problem] }, title: "The input is not valid.")
                    : TypedResults.Ok(await query.EventsAsync(caller.Actor,
                        new AccessEventFilter(vendorId, personId, importId, systemId, country, identity, unmatched ?? false, succeeded, from, to),
                        new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? true), http.RequestAborted)))
            .WithTags("Access logs").WithName("ListAccessEvents")
            .WithSummary("Access events (sign-ins and accesses of the imported logs), filtered and paged; a representative sees only their vendor's")
            .WithDescription("Filters: vendorId, personId, importId, systemId, country (an ISO 3166 alpha-2 code, or \"unknown\" for events with no " +
                             "country: private, loopback, unlisted addresses, or no address), identity (contains, case-insensitive), unmatched=true " +
                             "(events matched to nobody), succeeded, from and to (UTC days, inclusive). sort: time (default, newest first), identity, " +
                             "country, address, system, line; desc.")
            .Produces<PagedResult<AccessEventRow>>().ProducesValidationProblem();

        api.MapGet("/vendors/{vendorId:guid}/access-logs/unmatched-identities", async Task<IResult> (Guid vendorId, ApiCaller caller, HttpContext http,
                AccessEvidenceQuery query, int? page, int? pageSize) =>
                !caller.Actor.Sees(vendorId)
                    ? ApiResults.NotFound("The vendor was not found.")
                    : TypedResults.Ok(await query.UnmatchedAsync(caller.Actor, vendorId, new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Access logs").WithName("ListUnmatchedAccessIdentities")
            .WithSummary("Identities of a vendor's access logs that matched nobody, the most events first; name the person with an alias")
            .Produces<PagedResult<UnmatchedIdentityRow>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/people/{personId:guid}/access-identity-aliases", (Guid personId, AccessIdentityAliasBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AddAccessIdentityAlias(personId, body.Identity),
                    a => TypedResults.Created($"/api/v1/people/{personId}/access-identity-aliases/{a.Id}", a)))
            .Sends<AddAccessIdentityAlias>().WithTags("Access logs").WithName("AddAccessIdentityAlias")
            .WithSummary("Name the person behind an identity of the access logs; the vendor's unmatched events with it are matched to them")
            .Produces<AccessIdentityAliasView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private const string ImportDescription =
        "multipart/form-data with the file in a part named \"file\" and the fields format (detected when left out), systemId (required " +
        "except for the plain CSV), sshdYear and sshdTimeZone (required for sshd lines, which carry neither); each is also read from the " +
        "query. Each line is matched to a person of the vendor by e-mail, UPN or alias and geolocated offline. All or nothing: any problem " +
        "(listed with its line and field) and nothing is written (400 with the report's problems). Idempotent: events already imported are " +
        "skipped, and the same file (SHA-256) again writes nothing and answers with sameFile (when and by whom it was imported). " +
        "Contracting officers, and the vendor's representatives for their own vendor.";

    /// <summary>
    /// An import: refused (403) to a role that may not import before the upload is read, 404 for a vendor out of the caller's
    /// scope, then the file with its fields from the form (or the query) sent through the executor.
    /// </summary>
    private static async Task<IResult> ImportAsync(Guid vendorId, string? format, Guid? systemId, int? sshdYear, string? sshdTimeZone, bool? dryRun,
        HttpContext http)
    {
        if (Actor.FromPrincipal(http.User) is not { } actor || !(actor.IsContractingOfficer || actor.IsVendorRepresentative))
        {
            return ApiResults.Forbidden("Contracting officers and the vendor's representatives import access logs."); // before reading the upload
        }
        if (!actor.Sees(vendorId))
        {
            return ApiResults.NotFound("The vendor was not found.");
        }
        if (!http.Request.HasFormContentType)
        {
            return UploadExpected();
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = AccessLogReader.MaxBytes + 1024 * 1024 }, http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return TooLarge();
        }
        if (form.Files.GetFile("file") is not { } file)
        {
            return UploadExpected();
        }
        if (file.Length > AccessLogReader.MaxBytes)
        {
            return TooLarge();
        }
        var errors = new Dictionary<string, string[]>();
        var formatText = Field(form, "format") ?? format;
        AccessLogFormat? chosen = null;
        if (!string.IsNullOrWhiteSpace(formatText))
        {
            if (Enum.TryParse<AccessLogFormat>(formatText.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(formatText, out _))
            {
                chosen = parsed;
            }
            else
            {
                errors["format"] = [$"'{formatText.Trim()}' is not a log format: one of {string.Join(", ", Enum.GetNames<AccessLogFormat>())}, or leave it out to detect it."];
            }
        }
        if (Field(form, "systemId") is { } systemText)
        {
            if (Guid.TryParse(systemText, out var parsed))
            {
                systemId = parsed;
            }
            else
            {
                errors["systemId"] = ["Send the system's id (a GUID)."];
            }
        }
        if (Field(form, "sshdYear") is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var year))
            {
                sshdYear = year;
            }
            else
            {
                errors["sshdYear"] = ["Give the year of the log's lines as a number, such as 2026."];
            }
        }
        if (Field(form, "sshdTimeZone") is { } zone)
        {
            sshdTimeZone = zone;
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The input is not valid.");
        }
        // Read as a stream from where the form reader spooled it, never copied whole into memory.
        var content = FileUpload.FromStream(file.OpenReadStream, file.Length);
        var command = new ImportAccessLog(vendorId, systemId, file.FileName, content, chosen, sshdYear, sshdTimeZone, dryRun ?? false);
        return await ApiResults.SendAsync(http, command, report =>
            report.ProblemCount > 0 && !report.DryRun
                ? TypedResults.Problem("The file has problems; nothing was imported.", statusCode: StatusCodes.Status400BadRequest,
                    title: "The input is not valid.", extensions: new Dictionary<string, object?>
                    {
                        ["lines"] = report.Lines, ["entries"] = report.Entries, ["problemCount"] = report.ProblemCount, ["problems"] = report.Problems,
                    })
                : TypedResults.Ok(report));
    }

    /// <summary>A form field's value, null when absent or blank; a NUL is refused by the command's validation or the parsing.</summary>
    private static string? Field(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A country filter must be an ISO 3166 alpha-2 code or "unknown".</summary>
    private static string? CountryProblem(string? country) =>
        string.IsNullOrWhiteSpace(country) || country.Trim().Equals("unknown", StringComparison.OrdinalIgnoreCase)
        || Core.Domain.Reference.Iso3166.All.Any(c => c.Alpha2.Equals(country.Trim(), StringComparison.OrdinalIgnoreCase))
            ? null
            : $"'{country.Trim()}' is not a country: give an ISO 3166 two-letter code such as CN, or \"unknown\".";

    private static IResult UploadExpected() =>
        TypedResults.Problem("Upload the log as multipart/form-data with a part named \"file\".",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    private static IResult TooLarge() =>
        TypedResults.Problem($"The file is larger than {AccessLogReader.MaxBytes / 1024 / 1024} MB: split it.", statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Upload too large");
}
