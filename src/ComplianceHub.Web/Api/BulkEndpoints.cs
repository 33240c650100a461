using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Screening;

namespace ComplianceHub.Web.Api;

/// <summary>The grants of a bulk approval.</summary>
public sealed record BulkIdsBody(IReadOnlyList<Guid> Ids);

/// <summary>The grants of a bulk rejection, and the reason the requesters read.</summary>
public sealed record BulkReasonBody(IReadOnlyList<Guid> Ids, string Reason);

/// <summary>The findings of a bulk acknowledgement, and the one response recorded on each.</summary>
public sealed record BulkAcknowledgeBody(IReadOnlyList<Guid> Ids, string Response);

/// <summary>The screening hits of a bulk adjudication, the decision and the due diligence behind it.</summary>
public sealed record BulkAdjudicateBody(IReadOnlyList<Guid> Ids, HitDecision Decision, string Notes);

/// <summary>The contributions of a bulk review and the one verdict (notes required unless there is no concern).</summary>
public sealed record BulkReviewBody(IReadOnlyList<Guid> Ids, ReviewVerdict Verdict, string? Notes);

/// <summary>
/// The queues' bulk actions, beside the single-item ones: an explicit list of at most 5,000 ids, applied all or nothing. 200
/// with <see cref="BulkResult"/>; 400 per field; 403 for a role that may not; 404 when an item is missing or another vendor's,
/// and 422 when any is refused (by a rule, the two-person rule, or no longer pending) — both with <c>refused</c>, every refused
/// item with its reason or failing rules, and nothing applied.
/// </summary>
internal static class BulkEndpoints
{
    private const string AllOrNothing = "All or nothing, in one transaction: when any item is refused nothing is applied, and `refused` lists every " +
                                        "refused item with its reason or its failing rules (rule id, message, citation). At most 5,000 distinct ids.";

    public static void MapBulkEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/grants/approve", (BulkIdsBody body, HttpContext http) => SendAsync(http, new ApproveGrants(body.Ids)))
            .Sends<ApproveGrants>().WithTags("Grants").WithName("ApproveGrants").WithSummary("Approve many pending grants at once")
            .WithDescription("Each grant as `POST /grants/{id}/approve` approves one (the rules run again; not the caller's own requests). " + AllOrNothing)
            .Declares();

        api.MapPost("/grants/reject", (BulkReasonBody body, HttpContext http) => SendAsync(http, new RejectGrants(body.Ids, body.Reason)))
            .Sends<RejectGrants>().WithTags("Grants").WithName("RejectGrants").WithSummary("Reject many pending grant requests at once, with one reason")
            .WithDescription("Each request is revoked as `POST /grants/{id}/revoke` revokes one. " + AllOrNothing)
            .Declares();

        api.MapPost("/findings/acknowledge", (BulkAcknowledgeBody body, HttpContext http) => SendAsync(http, new AcknowledgeFindings(body.Ids, body.Response)))
            .Sends<AcknowledgeFindings>().WithTags("Findings").WithName("AcknowledgeFindings").WithSummary("Acknowledge many open findings with one response")
            .WithDescription("Each finding as `POST /findings/{id}/acknowledge` acknowledges one. " + AllOrNothing)
            .Declares();

        api.MapPost("/screening/hits/adjudicate", (BulkAdjudicateBody body, HttpContext http) =>
                SendAsync(http, new AdjudicateScreeningHits(body.Ids, body.Decision, body.Notes)))
            .Sends<AdjudicateScreeningHits>().WithTags("Screening").WithName("AdjudicateScreeningHits")
            .WithSummary("Adjudicate many pending screening hits at once (typically false positives)")
            .WithDescription("A false positive releases the person's held grants once no other hit is pending; a true match keeps them held. " + AllOrNothing)
            .Declares();

        api.MapPost("/contributions/review", (BulkReviewBody body, HttpContext http) =>
                SendAsync(http, new ReviewContributions(body.Ids, body.Verdict, body.Notes)))
            .Sends<ReviewContributions>().WithTags("Contributions").WithName("ReviewContributions").WithSummary("Record one verdict on many contributions")
            .WithDescription("Each as `POST /contributions/{id}/review` records one (auditors and officers). " + AllOrNothing)
            .Declares();
    }

    private static Task<IResult> SendAsync(HttpContext http, ICommand<BulkResult> command) => ApiResults.SendAsync(http, command, r => TypedResults.Ok(r));

    /// <summary>What every bulk endpoint answers, for the OpenAPI document.</summary>
    private static RouteHandlerBuilder Declares(this RouteHandlerBuilder builder) =>
        builder.Produces<BulkResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
