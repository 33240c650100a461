using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplianceHub.Web.Api;

/// <summary>The audit trail: events, filters, chain verification, signed checkpoints and state verification (auditors and administrators).</summary>
internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder v1)
    {
        var audit = v1.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/events", async Task<IResult> (ApiCaller caller, HttpContext http, AuditTrailQuery query, string? subjectType, string? subjectId, Guid? actorUserId,
                int? eventType, DateTimeOffset? from, DateTimeOffset? to, string? correlationId, int? page, int? pageSize, bool? desc,
                string? actorName, Guid? vendorId, string? operation, string? ruleId) =>
            {
                var filter = new AuditFilter(subjectType, subjectId, actorUserId, eventType, from, to, correlationId, actorName, vendorId, operation, ruleId);
                return TypedResults.Ok(await query.ListAsync(caller.Actor, filter,
                    new Core.Common.PageRequest(page ?? 1, pageSize ?? 100, null, desc ?? false), http.RequestAborted));
            })
            .RequireRoles("The audit trail is for auditors and administrators.", Roles.Auditor, Roles.Administrator).WithName("ListAuditEvents")
            .WithSummary("The hash-chained audit trail in sequence order, filtered and paged")
            .WithDescription("Filters (combined with AND): subjectType, subjectId, actorUserId, actorName (contains, case-insensitive), vendorId (events " +
                             "about the vendor, its contracts, its people and their grants, escort assignments, sessions, requests, findings, screening " +
                             "hits and attestations, and events by someone acting for it), operation, ruleId (a rule among the event's outcomes), " +
                             "eventType (docs/audit/event-types.md), from/to (instants; from inclusive, to exclusive), correlationId. desc=true lists " +
                             "newest first. Auditors and administrators only.")
            .Produces<Core.Common.PagedResult<AuditEventView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/events/{sequence}", async (string sequence, ApiCaller caller, HttpContext http, AuditTrailQuery query) =>
            {
                // The number is parsed here, after the role check, so a malformed number is a 404 like a missing event.
                return long.TryParse(sequence, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                       && await query.GetAsync(caller.Actor, number, http.RequestAborted) is { } detail
                    ? TypedResults.Ok(detail)
                    : ApiResults.NotFound($"There is no audit event {sequence}.");
            })
            .RequireRoles("The audit trail is for auditors and administrators.", Roles.Auditor, Roles.Administrator).WithName("GetAuditEvent")
            .WithSummary("One audit event, what its subject belongs to, and the other events of the same operation")
            .WithDescription("The other events share the event's correlation id (at most 200 are listed; sameOperationTotal says how many there are).")
            .Produces<AuditEventDetail>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        audit.MapGet("/filters", async Task<IResult> (ApiCaller caller, HttpContext http, AuditTrailQuery query) =>
            {
                return TypedResults.Ok(await query.OptionsAsync(caller.Actor, http.RequestAborted));
            })
            .RequireRoles("The audit trail is for auditors and administrators.", Roles.Auditor, Roles.Administrator).WithName("GetAuditFilterOptions")
            .WithSummary("The values the audit trail's filters offer: operations recorded so far, subject types, event codes")
            .Produces<AuditFilterOptions>().ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapGet("/verify", async Task<Results<Ok<VerifyResponse>, ForbidHttpResult>> (HttpContext http, AuditChainVerifier verifier, CancellationToken ct) =>
            {
                if (Actor.FromPrincipal(http.User) is not { } actor || !(actor.IsAuditor || actor.IsAdministrator))
                {
                    return TypedResults.Forbid();
                }
                var result = await verifier.VerifyAsync(actor, ct);
                return TypedResults.Ok(new VerifyResponse(result.Valid, result.Events, result.Valid ? result.HeadHash : null,
                    result.FirstBrokenSequence, result.Problem, result.Checkpoints));
            })
            .ForRoles(Roles.Auditor, Roles.Administrator).WithName("VerifyAuditChain")
            .WithSummary("Verify the hash-chained audit trail and its signed checkpoints")
            .WithDescription("Walks every audit event in order and recomputes its SHA-256 hash and link, and checks every signed checkpoint " +
                             "(ADR 0031): its signature against the installation's own keys, and its hash against the event at its sequence. A " +
                             "rewrite that recomputed every hash is named by checkpoints.forgedRange; a removed tail, a checkpoint signed by an " +
                             "unknown key or removed from the database (found in the append-only checkpoint file) by checkpoints.problem. " +
                             "Auditors and administrators only.")
            .Produces(StatusCodes.Status401Unauthorized);

        audit.MapGet("/checkpoints", async Task<IResult> (ApiCaller caller, HttpContext http, ChainCheckpointsQuery query, int? page, int? pageSize, bool? desc, CancellationToken ct) =>
            {
                return TypedResults.Ok(await query.ListAsync(caller.Actor, new Core.Common.PageRequest(page ?? 1, pageSize ?? 100, null, desc ?? true), ct));
            })
            .RequireRoles("The chain's checkpoints are for auditors and administrators.", Roles.Auditor, Roles.Administrator).WithName("ListChainCheckpoints")
            .WithSummary("The signed checkpoints of the audit chain, newest first (desc=false: in chain order), paged")
            .WithDescription("Each checkpoint states that event `sequence` had `hash` at `signedAt`, signed (DER ECDSA, base64) with the key " +
                             "`keyId` (SHA-256 of its public key). `trusted`: the key is one the installation trusts and the signature verifies; " +
                             "`signedByCurrentKey`: it is the current signing key. Auditors and administrators only.")
            .Produces<Core.Common.PagedResult<ChainCheckpointView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        audit.MapPost("/checkpoints", async (ApiCaller caller, ChainCheckpointSigner signer, CancellationToken ct) =>
                ApiResults.From(await signer.SignAsync(caller.Actor, new SignChainCheckpoint(), ct), signing => TypedResults.Ok(signing)))
            .Sends<SignChainCheckpoint>().WithName("SignChainCheckpoint")
            .WithSummary("Sign a checkpoint of the chain head now")
            .WithDescription("Checks the events since the last checkpoint and signs the head when it moved (`status`: `Signed`, `NotDue`, " +
                             "or `Refused` with `refusal` when the events do not check out — nothing is signed then, and an integrity finding " +
                             "is opened for the administrator). 409 when another instance is signing or no signing key is configured. " +
                             "Administrators only.")
            .Produces<CheckpointSigning>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        audit.MapGet("/verify-state", async Task<IResult> (ApiCaller caller, HttpContext http, StateVerifier verifier, int? limit, CancellationToken ct) =>
            {
                if (limit is < 0 or > StateVerifier.MaxListed)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["limit"] = [$"List between 0 and {StateVerifier.MaxListed:N0} rows (every row is counted either way)."],
                    });
                }
                try
                {
                    return TypedResults.Ok(VerifyStateResponse.From(await verifier.VerifyAsync(caller.Actor, ct), limit ?? 1_000));
                }
                catch (StateVerificationBusyException busy)
                {
                    return TypedResults.Problem(busy.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
                }
            })
            .RequireRoles("Verifying the tables against the trail is for auditors and administrators.", Roles.Auditor, Roles.Administrator).WithName("VerifyAuditedTables")
            .WithSummary("Verify the tables against the audit trail (state verification)")
            .WithDescription("Replays the audit trail and compares the state it implies with the people, grants, escort assignments, findings, " +
                             "policy versions, systems, vendors and integrity findings, naming every row the trail does not explain: a value changed, a row added, " +
                             "restored or deleted outside the portal. Counts cover everything; items lists the first `limit` (default 1,000, at " +
                             "most 10,000). An auditor or officer of a contracting office gets the rows of its vendors and every installation row " +
                             "(systems, policy versions). One verification runs at a time: 409 while another does. Audited (event 8400). Auditors " +
                             "and administrators; rate limited as exports are.")
            .Produces<VerifyStateResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(Hosting.RateLimits.Export);
    }

}

/// <summary>The outcome of a state verification (<c>GET /api/v1/audit/verify-state</c>).</summary>
/// <param name="Clean">True when the trail explains every row of every audited table.</param>
/// <param name="RunId">The run: the subject of its audit event (8400).</param>
/// <param name="VerifiedAt">When the snapshot compared was taken.</param>
/// <param name="TrailHead">The last audit event replayed.</param>
/// <param name="Rows">Rows compared in all.</param>
/// <param name="Discrepancies">Everything the trail does not explain (listed or not).</param>
/// <param name="Fingerprint">SHA-256 over the set of discrepancies: equal for two runs that find the same.</param>
/// <param name="Tables">Each audited table: rows and discrepancies.</param>
/// <param name="Items">The first discrepancies, in words and as the JSON values of the trail and the table.</param>
/// <param name="Truncated">More discrepancies than items.</param>
public sealed record VerifyStateResponse(bool Clean, Guid RunId, DateTimeOffset VerifiedAt, long TrailHead, long Rows, long Discrepancies, string Fingerprint,
    IReadOnlyList<StateTableResult> Tables, IReadOnlyList<VerifyStateItem> Items, bool Truncated)
{
    public static VerifyStateResponse From(StateVerification result, int limit)
    {
        var items = result.Listed.Take(limit).Select(VerifyStateItem.From).ToList();
        return new VerifyStateResponse(result.Clean, result.RunId, result.VerifiedAt, result.TrailHead, result.Rows, result.Discrepancies,
            result.Fingerprint, result.Tables, items, items.Count < result.Discrepancies);
    }
}

/// <summary>One row (and, for a changed value, one field) the trail does not explain.</summary>
/// <param name="Table">The table, e.g. <c>people</c>.</param>
/// <param name="RowId">The row's id.</param>
/// <param name="Kind"><c>Changed</c>, <c>NoCreatingEvent</c> (added outside the portal), <c>DeletedInTrail</c> (restored), <c>Gone</c> (deleted).</param>
/// <param name="Explanation">The discrepancy in one sentence.</param>
/// <param name="Subject">The row in words.</param>
/// <param name="Field">The changed field, as the trail names it.</param>
/// <param name="FieldName">The field in words.</param>
/// <param name="Expected">The value the trail implies, in words.</param>
/// <param name="Found">The value the table holds, in words.</param>
/// <param name="VendorId">The row's vendor, when it has one.</param>
/// <param name="TrailValue">The trail's value as the audit event records it.</param>
/// <param name="TableValue">The table's value, in the trail's representation.</param>
public sealed record VerifyStateItem(string Table, string RowId, StateDiscrepancyKind Kind, string Explanation, string Subject, string? Field,
    string? FieldName, string? Expected, string? Found, Guid? VendorId, System.Text.Json.JsonElement? TrailValue, System.Text.Json.JsonElement? TableValue)
{
    public static VerifyStateItem From(StateDiscrepancy d) => new(d.Table, d.RowId, d.Kind, d.Explanation, d.Subject, d.Field, d.FieldName,
        d.Expected, d.Found, d.VendorId, Json(d.TrailValue), Json(d.TableValue));

    private static System.Text.Json.JsonElement? Json(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>The outcome of a chain verification.</summary>
/// <param name="Valid">True when every event checks out and every checkpoint agrees.</param>
/// <param name="Events">Events checked (up to the first broken one; for a rewrite, those the last good checkpoint vouches for).</param>
/// <param name="HeadHash">The hash of the last event, when the chain is valid.</param>
/// <param name="FirstBrokenSequence">The first sequence number that does not check out or that no trusted checkpoint vouches for
/// (null when only the checkpoints' records were tampered with).</param>
/// <param name="Problem">What is wrong there.</param>
/// <param name="Checkpoints">What the signed checkpoints say: how many were checked, the last good one, the events after it, the
/// first forged range and the first problem, and whether the append-only checkpoint file was compared.</param>
public sealed record VerifyResponse(bool Valid, long Events, string? HeadHash, long? FirstBrokenSequence, string? Problem, CheckpointVerification Checkpoints);
