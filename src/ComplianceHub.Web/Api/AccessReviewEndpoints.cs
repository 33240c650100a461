using System.Reflection;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.Web.Api;

/// <summary>A definition's settings (<c>POST /access-reviews/definitions</c>, <c>PUT …/definitions/{id}</c>).</summary>
public sealed record AccessReviewDefinitionBody(
    string Name,
    AccessReviewScope Scope,
    bool RepresentativeStage,
    Guid FallbackOfficerId,
    int DurationDays,
    IReadOnlyList<int> ReminderDays,
    DeadlineAction DeadlineAction,
    int EscalationDays,
    CommentRule CommentRule,
    Recurrence Recurrence,
    DateOnly? NextStartOn);

/// <summary>Why a definition is retired.</summary>
public sealed record AccessReviewRetireBody(string Reason);

/// <summary>One item's decision, with the comment (required for a revoke or a reduce, and to keep a sensitive grant).</summary>
public sealed record AccessReviewDecisionBody(AccessReviewDecision Decision, string? Comment);

/// <summary>
/// A bulk decision: the items by <c>ids</c> (at most 5,000) or by <c>filter</c> (the grid's filter), the decision and comment,
/// the count the confirmation named (<c>expectedCount</c>: a selection that has changed since is refused with 409), and
/// <c>dryRun</c> (what it would decide, nothing written).
/// </summary>
public sealed record AccessReviewBulkDecisionBody(
    IReadOnlyList<Guid>? Ids,
    AccessReviewItemFilter? Filter,
    AccessReviewDecision Decision,
    string? Comment,
    int? ExpectedCount,
    bool DryRun);

/// <summary>Items given to another reviewer, with the reason they read.</summary>
public sealed record AccessReviewReassignBody(IReadOnlyList<Guid> Ids, Guid ReviewerId, string Reason);

/// <summary>
/// <c>/api/v1/access-reviews</c> (ADR 0040): definitions (officers keep them; auditors read them), campaigns with their summary,
/// their items (paged and filtered as the review grid), one item's review panel, a reviewer's queue, the campaign report and
/// the items as files, and the decisions — single, bulk by ids or filter, reassignment — sent through the one write pipeline.
/// Scoped as the pages: a representative sees and decides only their own vendor's stage-one items (another vendor's campaign
/// or item is 404, as a missing one), an officer or auditor of a contracting office the items of the office's vendors;
/// auditors read every campaign and write nothing (403).
/// </summary>
internal static class AccessReviewEndpoints
{
    private const string Formats = "csv, xlsx, pdf, json";

    private static readonly string[] Readers = [Roles.Administrator, Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative];
    private static readonly string[] DefinitionReaders = [Roles.Administrator, Roles.ContractingOfficer, Roles.Auditor];

    public static void MapAccessReviewEndpoints(this RouteGroupBuilder api)
    {
        var reviews = api.MapGroup(AccessReviewUrls.Base["/api/v1".Length..]).WithTags("Access reviews");
        MapDefinitions(reviews);
        MapCampaigns(reviews);
        MapItems(reviews);
    }

    private static void MapDefinitions(RouteGroupBuilder reviews)
    {
        const string DefinitionsRefusal = "Access review definitions are kept by contracting officers; a vendor representative reviews items in their queue.";
        reviews.MapGet("/definitions", async (ApiCaller caller, HttpContext http, AccessReviewsQuery query, bool? includeRetired, int? page, int? pageSize,
                string? sort, bool? desc) =>
                TypedResults.Ok(await query.DefinitionsAsync(caller.Actor, includeRetired ?? false, new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false),
                    http.RequestAborted)))
            .RequireRoles(DefinitionsRefusal, DefinitionReaders)
            .WithName("ListAccessReviewDefinitions").WithSummary("Access review definitions, newest first (sort: name, nextStartOn, createdAt)")
            .WithDescription("Retired definitions are left out unless includeRetired=true. Each carries its fallback officer's name and how many campaigns it started.")
            .Produces<PagedResult<AccessReviewDefinitionView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        reviews.MapGet("/definitions/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                await query.DefinitionAsync(caller.Actor, id, http.RequestAborted) is { } definition ? TypedResults.Ok(definition)
                : ApiResults.NotFound("The access review definition was not found."))
            .RequireRoles(DefinitionsRefusal, DefinitionReaders)
            .WithName("GetAccessReviewDefinition").WithSummary("One access review definition")
            .Produces<AccessReviewDefinitionView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapPost("/definitions", (AccessReviewDefinitionBody body, HttpContext http) =>
                ApiResults.SendAsync(http, Save(null, body), d => TypedResults.Created($"{AccessReviewUrls.Base}/definitions/{d.Id}", d)))
            .Sends<SaveAccessReviewDefinition>().WithName("CreateAccessReviewDefinition")
            .WithSummary("Define an access review: scope, stages, reviewers, duration, reminders, deadline action, comments, recurrence")
            .WithDescription("A recurring definition (recurrence other than None) is started by the scheduler on nextStartOn and then at each interval; " +
                             "start one now with POST /access-reviews/definitions/{id}/start.")
            .Produces<AccessReviewDefinitionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        reviews.MapPut("/definitions/{id:guid}", (Guid id, AccessReviewDefinitionBody body, HttpContext http) =>
                ApiResults.SendAsync(http, Save(id, body), d => TypedResults.Ok(d)))
            .Sends<SaveAccessReviewDefinition>().WithName("ChangeAccessReviewDefinition")
            .WithSummary("Change a definition's settings; campaigns already started keep theirs")
            .Produces<AccessReviewDefinitionView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        reviews.MapPost("/definitions/{id:guid}/retire", (Guid id, AccessReviewRetireBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RetireAccessReviewDefinition(id, body.Reason), d => TypedResults.Ok(d)))
            .Sends<RetireAccessReviewDefinition>().WithName("RetireAccessReviewDefinition")
            .WithSummary("Retire a definition: it starts no more campaigns; its campaigns stay")
            .Produces<AccessReviewDefinitionView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapPost("/definitions/{id:guid}/start", (Guid id, bool? dryRun, HttpContext http) =>
                ApiResults.SendAsync(http, new StartAccessReviewCampaign(id, dryRun ?? false), c => c.Preview
                    ? TypedResults.Ok(c)
                    : TypedResults.Created($"{AccessReviewUrls.Base}/campaigns/{c.Id}", c)))
            .Sends<StartAccessReviewCampaign>().WithName("StartAccessReviewCampaign")
            .WithSummary("Start a campaign of a definition now: the items (every current grant in scope) are frozen")
            .WithDescription("dryRun=true answers 200 with how many items the campaign would hold (preview: true) and writes nothing; otherwise 201 " +
                             "with the campaign. The start is an audit event that commits to the SHA-256 of the frozen item list (itemsDigest).")
            .Produces<AccessReviewCampaignView>(StatusCodes.Status201Created).Produces<AccessReviewCampaignView>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapCampaigns(RouteGroupBuilder reviews)
    {
        reviews.MapGet("/campaigns", async (ApiCaller caller, HttpContext http, AccessReviewsQuery query, CampaignStatus? status, Guid? definitionId,
                string? search, int? page, int? pageSize, string? sort, bool? desc) =>
                TypedResults.Ok(await query.CampaignsAsync(caller.Actor, new CampaignListFilter(status, definitionId, search),
                    new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted)))
            .ForRoles(Readers)
            .WithName("ListAccessReviewCampaigns").WithSummary("Access review campaigns, newest first (sort: name, deadline, startedAt)")
            .WithDescription("A representative, or an officer or auditor of a contracting office, sees only the campaigns holding items they may see, " +
                             "and their counts (itemCount, pendingCount) count those items only.")
            .Produces<PagedResult<AccessReviewCampaignView>>();

        reviews.MapGet("/campaigns/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                await query.SummaryAsync(caller.Actor, id, http.RequestAborted) is { } summary ? TypedResults.Ok(summary)
                : ApiResults.NotFound("The campaign was not found."))
            .ForRoles(Readers)
            .WithName("GetAccessReviewCampaign").WithSummary("One campaign with its summary per vendor, system and reviewer")
            .Produces<AccessReviewCampaignSummary>().ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapGet("/campaigns/{id:guid}/items", async (Guid id, ApiCaller caller, HttpContext http, AccessReviewsQuery query,
                Guid[]? vendorId, Guid[]? systemId, AccessReviewItemStatus? status, int? stage, AccessReviewRecommendation? recommendation,
                AccessType? accessType, bool? escorted, bool? foreignNational, bool? stale, bool? mine, string? search,
                int? page, int? pageSize, string? sort, bool? desc) =>
            {
                if (await query.CampaignAsync(caller.Actor, id, http.RequestAborted) is null)
                {
                    return ApiResults.NotFound("The campaign was not found.");
                }
                var filter = Filter(vendorId, systemId, status, stage, recommendation, accessType, escorted, foreignNational, stale, mine, search);
                return TypedResults.Ok(await query.ItemsAsync(caller.Actor, id, filter, new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false),
                    http.RequestAborted));
            })
            .ForRoles(Readers)
            .WithName("ListAccessReviewItems").WithSummary("A campaign's items, filtered and paged (sort: person, system, vendor, status, recommendation, decidedAt)")
            .WithDescription("The filters are the review grid's: vendorId and systemId (repeatable), status, stage (1 or 2), recommendation, accessType, " +
                             "escorted, foreignNational, stale, mine (only the items the caller may decide now) and search (a person's name or e-mail, or a " +
                             "system's name). canDecide says whether the caller may decide the item now; keepNeedsComment whether keeping it needs a comment.")
            .Produces<PagedResult<AccessReviewItemView>>().ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapGet("/campaigns/{id:guid}/items/export", async (Guid id, string? format, ApiCaller caller, HttpContext http, AccessReviewsQuery query,
                Guid[]? vendorId, Guid[]? systemId, AccessReviewItemStatus? status, int? stage, AccessReviewRecommendation? recommendation,
                AccessType? accessType, bool? escorted, bool? foreignNational, bool? stale, bool? mine, string? search) =>
            {
                if (Format(format) is not { } exportFormat)
                {
                    return FormatProblem(format);
                }
                if (await query.CampaignAsync(caller.Actor, id, http.RequestAborted) is not { } campaign)
                {
                    return ApiResults.NotFound("The campaign was not found.");
                }
                var filter = Filter(vendorId, systemId, status, stage, recommendation, accessType, escorted, foreignNational, stale, mine, search);
                return new ReportFile(caller.Actor, campaign, exportFormat, filter);
            })
            .ForRoles(Readers)
            .WithName("ExportAccessReviewItems").WithSummary("A campaign's items as the grid filters them, as CSV, XLSX, PDF or JSON, streamed")
            .WithDescription($"format: {Formats}; the filters as GET /access-reviews/campaigns/{{id}}/items. Items are written in a stable order (by item). " +
                             "Each completed export is audit event 8100 (kind access-review-items) with the SHA-256 of the file.")
            .ProducesFiles().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);

        reviews.MapGet("/campaigns/{id:guid}/report", async (Guid id, string? format, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
            {
                if (Format(format) is not { } exportFormat)
                {
                    return FormatProblem(format);
                }
                return await query.CampaignAsync(caller.Actor, id, http.RequestAborted) is { } campaign
                    ? new ReportFile(caller.Actor, campaign, exportFormat, null)
                    : ApiResults.NotFound("The campaign was not found.");
            })
            .ForRoles(Readers)
            .WithName("GetAccessReviewReport").WithSummary("The campaign report: a PDF summary, or every item and decision as CSV, XLSX or JSON")
            .WithDescription($"format: {Formats}. The PDF holds the campaign's header (scope in words, start, deadline, how it closed, the digest of " +
                             $"its frozen item list), a table per vendor, per system and per reviewer, and the first {AccessReviewReport.MaxPdfItems:N0} " +
                             "decisions; CSV, XLSX and JSON hold every item with the reviewer, time, comment and the facts the decision was made on. " +
                             "A representative's report holds their vendor's items only. Each completed report is audit event 8100 (kind " +
                             "access-review-report) with the SHA-256 of the file.")
            .ProducesFiles().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);

        reviews.MapPost("/campaigns/{id:guid}/decisions", (Guid id, AccessReviewBulkDecisionBody body, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                SendForCampaignAsync(id, caller, http, query,
                    new DecideAccessReviewItems(id, body.Ids, body.Filter, body.Decision, body.Comment, body.ExpectedCount, body.DryRun)))
            .Sends<DecideAccessReviewItems>().WithName("DecideAccessReviewItems")
            .WithSummary("Decide many items of a campaign at once: by ids (at most 5,000) or by the grid's filter")
            .WithDescription("A filter is always narrowed to the items the caller may decide now. All or nothing: an item the caller may not decide, " +
                             "or one that needs a comment and has none, refuses the whole selection and is listed in `refused`. expectedCount: the count " +
                             "the confirmation named; a selection that has changed since is refused with 409. dryRun=true decides nothing.")
            .Produces<AccessReviewDecisionResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        reviews.MapPost("/campaigns/{id:guid}/reassign", (Guid id, AccessReviewReassignBody body, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                SendForCampaignAsync(id, caller, http, query, new ReassignAccessReviewItems(id, body.Ids, body.ReviewerId, body.Reason)))
            .Sends<ReassignAccessReviewItems>().WithName("ReassignAccessReviewItems")
            .WithSummary("Give items to another reviewer, with the reason they read (never to the grant's requester)")
            .Produces<BulkResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        reviews.MapGet("/queue", async (ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                TypedResults.Ok(await query.QueueAsync(caller.Actor, http.RequestAborted)))
            .ForRoles(Readers)
            .WithName("GetAccessReviewQueue").WithSummary("The caller's review queue: per open campaign, what waits for them and what they decided")
            .Produces<IReadOnlyList<ReviewerQueueEntry>>();
    }

    private static void MapItems(RouteGroupBuilder reviews)
    {
        reviews.MapGet("/items/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
                await query.ItemAsync(caller.Actor, id, http.RequestAborted) is { } item ? TypedResults.Ok(item)
                : ApiResults.NotFound("The access review item was not found."))
            .ForRoles(Readers)
            .WithName("GetAccessReviewItem")
            .WithSummary("One item's review panel: the facts with their source and age, open findings, failing rules, last escorted session, contributions")
            .Produces<AccessReviewItemDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        reviews.MapPost("/items/{id:guid}/decision", async (Guid id, AccessReviewDecisionBody body, ApiCaller caller, HttpContext http, AccessReviewsQuery query) =>
            {
                if (!DecisionRoles.Contains(caller.Actor.Role))
                {
                    return ApiResults.Forbidden("Only contracting officers and vendor representatives decide access review items.");
                }
                return await query.CampaignOfItemAsync(caller.Actor, id, http.RequestAborted) is { } campaign
                    ? await ApiResults.SendAsync(http, new DecideAccessReviewItems(campaign, [id], null, body.Decision, body.Comment), r => TypedResults.Ok(r))
                    : ApiResults.NotFound("The access review item was not found.");
            })
            .Sends<DecideAccessReviewItems>().WithName("DecideAccessReviewItem")
            .WithSummary("Decide one item: keep, revoke or reduce to non-privileged, with a comment")
            .WithDescription("In stage one (the vendor's representative) the answer moves the item to the contracting officers; in stage two the " +
                             "decision takes effect through the gate (a revoke revokes the grant, a reduce revokes it and requests non-privileged access) " +
                             "and a keep is recorded with the facts it was made on.")
            .Produces<AccessReviewDecisionResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static readonly IReadOnlyList<string> DecisionRoles = typeof(DecideAccessReviewItems).GetCustomAttribute<AllowedRolesAttribute>()!.Roles;

    /// <summary>
    /// A decision or reassignment on a campaign: a role that decides nothing is refused (403) first, then a campaign out of the
    /// caller's sight is not found (404, as a missing one), then the command goes through the executor.
    /// </summary>
    private static async Task<IResult> SendForCampaignAsync<T>(Guid campaignId, ApiCaller caller, HttpContext http, AccessReviewsQuery query, ICommand<T> command)
    {
        if (!DecisionRoles.Contains(caller.Actor.Role))
        {
            return ApiResults.Forbidden("Only contracting officers and vendor representatives decide access review items.");
        }
        return await query.CampaignAsync(caller.Actor, campaignId, http.RequestAborted) is null
            ? ApiResults.NotFound("The campaign was not found.")
            : await ApiResults.SendAsync(http, command, r => TypedResults.Ok(r));
    }

    private static SaveAccessReviewDefinition Save(Guid? id, AccessReviewDefinitionBody body) =>
        new(id, body.Name, body.Scope, body.RepresentativeStage, body.FallbackOfficerId, body.DurationDays, body.ReminderDays ?? [], body.DeadlineAction,
            body.EscalationDays, body.CommentRule, body.Recurrence, body.NextStartOn);

    /// <summary>The grid's filter from its query parameters (named as <see cref="AccessReviewUrls.Query"/> writes them).</summary>
    private static AccessReviewItemFilter Filter(Guid[]? vendorId, Guid[]? systemId, AccessReviewItemStatus? status, int? stage,
        AccessReviewRecommendation? recommendation, AccessType? accessType, bool? escorted, bool? foreignNational, bool? stale, bool? mine, string? search) =>
        new()
        {
            VendorIds = vendorId ?? [], SystemIds = systemId ?? [], Status = status, Stage = stage, Recommendation = recommendation,
            AccessType = accessType, Escorted = escorted, ForeignNational = foreignNational, Stale = stale, Mine = mine ?? false,
            Search = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        };

    private static ExportFormat? Format(string? format) => ExportRequest.TryParseFormat(format, out var parsed) ? parsed : null;

    private static IResult FormatProblem(string? format) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["format"] = [format is null ? $"The format is required: one of {Formats}." : $"'{format}' is not a format: one of {Formats}."],
    }, title: "The download request is not valid.");

    private static RouteHandlerBuilder ProducesFiles(this RouteHandlerBuilder builder) => builder
        .Produces(StatusCodes.Status200OK, contentType: "text/csv")
        .Produces(StatusCodes.Status200OK, contentType: ExportRequest.ContentType(ExportFormat.Xlsx))
        .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .ProducesValidationProblem();

    /// <summary>Writes the report (no filter) or the filtered items straight into the response body as they are read.</summary>
    private sealed class ReportFile(Actor actor, AccessReviewCampaignView campaign, ExportFormat format, AccessReviewItemFilter? filter) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var report = http.RequestServices.GetRequiredService<AccessReviewReport>();
            return StreamedDownload.SendAsync(http, typeof(AccessReviewEndpoints),
                $"{(filter is null ? "access review report" : "access review items")} as {ExportRequest.Name(format)}", ExportRequest.ContentType(format),
                report.FileName(campaign, format, filter is not null),
                async (body, ct) => (filter is null
                    ? await report.WriteReportAsync(actor, campaign.Id, format, body, ct)
                    : await report.WriteItemsAsync(actor, campaign.Id, filter, format, body, ct))
                    ?? throw new InvalidOperationException("The campaign left the caller's sight during the download."));
        }
    }
}
