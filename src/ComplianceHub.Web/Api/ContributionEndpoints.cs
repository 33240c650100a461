using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;

namespace ComplianceHub.Web.Api;

/// <summary>A review verdict (<c>POST /contributions/{id}/verdict</c>; <c>/review</c>, deprecated, takes the same).</summary>
public sealed record ReviewBody(ReviewVerdict Verdict, string? Notes, string? Version);

/// <summary>An alias to add (<c>POST /personnel/{id}/aliases</c>).</summary>
public sealed record AliasBody(string Email);

/// <summary>
/// Code contributions: imports (git log or CSV, dry run, all or nothing), the review queue and one contribution's detail,
/// verdicts, unmatched authors, and people's contributor aliases.
/// </summary>
internal static class ContributionEndpoints
{
    public static void MapContributionEndpoints(this RouteGroupBuilder api)
    {
        // API.md's address; the form carries the repository and system (the query is still read, as the old address reads it).
        DescribeImport(api.MapPost("/vendors/{vendorId:guid}/contributions/imports", ImportAsync))
            .WithName("ImportContributions")
            .WithSummary("Import code contributions to a system: git log output (name the repository) or CSV; dryRun=true writes nothing");
        // The address served before 2026-12-06 (docs/api-changes.md): the same import, deprecated.
        DescribeImport(api.MapPost("/vendors/{vendorId:guid}/contribution-imports", ImportAsync))
            .WithMetadata(new ObsoleteAttribute("Deprecated on 2026-12-06: use POST /vendors/{vendorId}/contributions/imports."))
            .WithName("ImportContributionsDeprecated")
            .WithSummary("Deprecated (2026-12-06): the same as POST /vendors/{vendorId}/contributions/imports");

        api.MapGet("/contribution-template.csv", () => TypedResults.Text(ContributionFile.CsvTemplate, "text/csv; charset=utf-8"))
            .WithTags("Contributions").WithName("GetContributionTemplate").WithSummary("The contributions CSV template, with one example row");

        var contributions = api.MapGroup("/contributions").WithTags("Contributions");
        contributions.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, ContributionsQuery query, Guid? vendorId, Guid? systemId, string? repository, string? flag,
                ReviewVerdict? verdict, bool? flagged, bool? unmatched, string? q, DateOnly? from, DateOnly? to, Guid? personId, int? page, int? pageSize,
                string? sort, bool? desc) =>
                TypedResults.Ok(await query.ListAsync(caller.Actor, new ContributionFilter(vendorId, systemId, repository, flag, verdict, flagged ?? false, unmatched ?? false,
                    q, from, to, personId), new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? true), http.RequestAborted)))
            .WithName("ListContributions").WithSummary("Code contributions, riskiest first, filtered and paged (a representative sees only their vendor's)")
            .Produces<PagedResult<ContributionRow>>();

        contributions.MapGet("/unmatched", async Task<IResult> (ApiCaller caller, HttpContext http, ContributionsQuery query, Guid? vendorId, int? page, int? pageSize) =>
                TypedResults.Ok(await query.UnmatchedAsync(caller.Actor, vendorId, new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithName("ListUnmatchedAuthors").WithSummary("Author e-mails matched to nobody (or to more than one person); resolve them with an alias")
            .Produces<PagedResult<UnmatchedAuthor>>();

        contributions.MapGet("/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, ContributionsQuery query) =>
                await query.DetailAsync(caller.Actor, id, http.RequestAborted) is { } detail ? TypedResults.Ok(detail)
                : ApiResults.NotFound("The contribution was not found."))
            .WithName("GetContribution").WithSummary("One contribution with its author's facts as of its date, grants, escorts, sessions, later findings and reviews")
            .Produces<ContributionDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        contributions.MapPost("/{id:guid}/verdict", ReviewAsync)
            .Sends<ReviewContribution>().WithName("RecordContributionVerdict")
            .WithSummary("Record a verdict (NoConcern, NeedsRemediation, Escalated) with notes; officers and auditors")
            .Produces<ReviewResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        // The address served before 2026-12-06 (docs/api-changes.md): the same verdict, deprecated.
        contributions.MapPost("/{id:guid}/review", ReviewAsync)
            .WithMetadata(new ObsoleteAttribute("Deprecated on 2026-12-06: use POST /contributions/{id}/verdict."))
            .Sends<ReviewContribution>().WithName("ReviewContribution")
            .WithSummary("Deprecated (2026-12-06): the same as POST /contributions/{id}/verdict")
            .Produces<ReviewResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var aliases = api.MapGroup("/personnel/{personId:guid}/aliases").WithTags("Contributions");
        aliases.MapGet("", async (Guid personId, ApiCaller caller, HttpContext http, ContributionsQuery query) =>
                await query.AliasesAsync(caller.Actor, personId, http.RequestAborted) is { } list ? TypedResults.Ok(list)
                : ApiResults.NotFound("The person was not found."))
            .WithName("ListContributorAliases").WithSummary("The other e-mail addresses a person commits under")
            .Produces<IReadOnlyList<ContributorAliasView>>().ProducesProblem(StatusCodes.Status404NotFound);

        aliases.MapPost("", (Guid personId, AliasBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AddContributorAlias(personId, body.Email),
                    a => TypedResults.Created($"/api/v1/personnel/{personId}/aliases/{a.Id}", a)))
            .Sends<AddContributorAlias>().WithName("AddContributorAlias").WithSummary("Add an alias; contributions by that address are matched to the person")
            .Produces<ContributorAliasView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        aliases.MapDelete("/{aliasId:guid}", (Guid personId, Guid aliasId, HttpContext http) =>
                ApiResults.SendAsync(http, new RemoveContributorAlias(personId, aliasId), _ => TypedResults.NoContent()))
            .Sends<RemoveContributorAlias>().WithName("RemoveContributorAlias").WithSummary("Remove an alias; its contributions are matched again")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>What both import addresses declare: the upload limit, the command (and so its roles), the answers.</summary>
    private static RouteHandlerBuilder DescribeImport(RouteHandlerBuilder import) => import
        .DisableAntiforgery()
        .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ContributionFile.MaxBytes + 1024 * 1024))
        .AcceptsFile("The contributions: the output of " + ContributionFile.GitLogCommand + " or a .csv file (GET /api/v1/contribution-template.csv).",
            new UploadField("systemId", "The cloud system the code belongs to (also read from the query).", Format: "uuid"),
            new UploadField("repository", "The repository's name or address; required for git log output (also read from the query)."))
        .Sends<ImportContributions>().WithTags("Contributions").WithDescription(ImportDescription)
        .Produces<ContributionImportReport>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private const string ImportDescription =
        "multipart/form-data with the file in a part named \"file\" and the fields systemId (the system the code belongs to) and " +
        "repository (required for git log output); both are also read from the query. A .csv name reads CSV (id, repository, author " +
        "name, author email, date, title, url); anything else reads the output of " + ContributionFile.GitLogCommand + ". All or " +
        "nothing; re-importing the same changes changes nothing. Contracting officers, auditors (an outside audit brings the " +
        "repository's history) and the vendor's representatives.";

    /// <summary>
    /// An import: refused (403) to a role that may not import before the upload is read, 404 for a vendor out of the caller's
    /// scope, then the file with <c>systemId</c> and <c>repository</c> from the form (or the query) sent through the executor.
    /// </summary>
    private static async Task<IResult> ImportAsync(Guid vendorId, Guid? systemId, string? repository, bool? dryRun, HttpContext http)
    {
        if (Actor.FromPrincipal(http.User) is not { } actor || !(actor.IsContractingOfficer || actor.IsAuditor || actor.IsVendorRepresentative))
        {
            return ApiResults.Forbidden("Contracting officers, auditors and the vendor's representatives import contributions."); // before reading the upload
        }
        if (!actor.Sees(vendorId))
        {
            return ApiResults.NotFound("The vendor was not found.");
        }
        if (!http.Request.HasFormContentType)
        {
            return UploadExpected();
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form.Files.GetFile("file") is not { } file)
        {
            return UploadExpected();
        }
        if (file.Length > ContributionFile.MaxBytes)
        {
            return TypedResults.Problem($"The file is larger than {ContributionFile.MaxBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Upload too large");
        }
        var formSystem = form["systemId"].ToString();
        if (formSystem.Length > 0)
        {
            if (!Guid.TryParse(formSystem, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["systemId"] = ["Send the system's id (a GUID)."] },
                    title: "The input is not valid.");
            }
            systemId = parsed;
        }
        if (form["repository"].ToString() is { Length: > 0 } formRepository)
        {
            if (formRepository.Contains('\0', StringComparison.Ordinal))
            {
                // PostgreSQL cannot store a NUL; the query's value is checked before the endpoint runs (QueryProblems), the form's here.
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["repository"] = ["Remove the NUL character from this value."] },
                    title: "The input is not valid.");
            }
            repository = formRepository;
        }
        // Read as a stream from where the form reader spooled it, never copied whole into memory.
        var content = FileUpload.FromStream(file.OpenReadStream, file.Length);
        return await ApiResults.SendAsync(http, new ImportContributions(vendorId, systemId ?? Guid.Empty, repository, file.FileName, content, dryRun ?? false),
            report => report.Errors.Count > 0 && !report.DryRun
                ? TypedResults.Problem("The file has errors; nothing was imported.", statusCode: StatusCodes.Status400BadRequest,
                    title: "The input is not valid.", extensions: new Dictionary<string, object?> { ["rows"] = report.Rows, ["errors"] = report.Errors })
                : TypedResults.Ok(report));
    }

    private static IResult UploadExpected() =>
        TypedResults.Problem("Upload the file as multipart/form-data with a part named \"file\" (git log output or CSV).",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    /// <summary>A verdict on one contribution, sent as the caller.</summary>
    private static Task<IResult> ReviewAsync(Guid id, ReviewBody body, HttpContext http) =>
        ApiResults.SendAsync(http, new ReviewContribution(id, body.Verdict, body.Notes, body.Version), r => TypedResults.Ok(r));
}
