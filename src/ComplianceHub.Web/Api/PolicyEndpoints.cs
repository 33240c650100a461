using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Api;

/// <summary>A policy version in the API's shape: the parameters exactly as API.md "Policy parameters" writes them.</summary>
public sealed record PolicyVersionResponse(Guid Id, int Number, string Name, string Status, JsonElement Parameters, Guid? DraftedBy,
    Guid? ActivatedBy, DateTimeOffset? ActivatedAt)
{
    public static PolicyVersionResponse From(PolicyVersionView v) => new(v.Id, v.Number, v.Name, v.Status.ToString(),
        JsonDocument.Parse(PolicyJson.Serialize(v.Parameters)).RootElement.Clone(), v.DraftedBy, v.ActivatedBy, v.ActivatedAt);
}

/// <summary>A draft: a full parameters object (typically the active one, edited) and an optional name.</summary>
public sealed record PolicyDraftBody(string? Name, JsonElement Parameters);

/// <summary>
/// An activation: the new version, the run that applies it to the existing grants in batches (ADR 0029), and what the batches
/// applied while the request waited — everything when <c>run.finished</c> (200), a part when it answered before the end (202).
/// </summary>
public sealed record PolicyActivationResponse(PolicyVersionResponse Version, Core.Gate.ConsequencesView Consequences, ReevaluationRunView? Run = null);

/// <summary>The policy lifecycle: read versions, draft, preview the impact (changes nothing), activate by a second officer.</summary>
internal static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy/versions").WithTags("Policy");

        policy.MapGet("", async (PolicyVersionsQuery query, Core.Domain.Policy.PolicyStatus? status, int? page, int? pageSize, string? sort, bool? desc,
                CancellationToken ct) =>
            {
                var versions = await query.PageAsync(status, new Core.Common.PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? true), ct);
                return TypedResults.Ok(new Core.Common.PagedResult<PolicyVersionResponse>(versions.Items.Select(PolicyVersionResponse.From).ToList(),
                    versions.Page, versions.PageSize, versions.Total));
            })
            .WithName("ListPolicyVersions").WithSummary("Policy versions, newest first, filtered and paged")
            .WithDescription("status: Draft, Active or Retired; sort by number (default, newest first), activatedAt or name.")
            .Produces<Core.Common.PagedResult<PolicyVersionResponse>>();

        policy.MapGet("/active", async (PolicyVersionsQuery query, CancellationToken ct) =>
                TypedResults.Ok(PolicyVersionResponse.From(await query.ActiveAsync(ct))))
            .WithName("GetActivePolicyVersion").WithSummary("The policy version in force").Produces<PolicyVersionResponse>();

        policy.MapPost("", async (PolicyDraftBody body, HttpContext http) =>
            {
                if (Actor.FromPrincipal(http.User) is not { IsContractingOfficer: true })
                {
                    return ApiResults.Forbidden("Only contracting officers draft policy versions."); // before reading the body
                }
                PolicyParameters parameters;
                try
                {
                    parameters = PolicyJson.Deserialize(body.Parameters.GetRawText());
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException or NullReferenceException or InvalidOperationException)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["parameters"] = ["Send a full parameters object: countrySets, attestationDays, escortMaxSupervised, maxGrantDays, " +
                                          "vettingMaxAgeYears, findingDueDays, sessionSignOffHours, rules (and optionally screening)."],
                    }, title: "The input is not valid.");
                }
                return await ApiResults.SendAsync(http, new DraftPolicyVersion(string.IsNullOrWhiteSpace(body.Name) ? "Draft" : body.Name, parameters),
                    v => TypedResults.Created($"/api/v1/policy/versions/{v.Id}", PolicyVersionResponse.From(v)));
            })
            .Sends<DraftPolicyVersion>().WithName("DraftPolicyVersion").WithSummary("Draft a new policy version")
            .Produces<PolicyVersionResponse>(StatusCodes.Status201Created).ProducesValidationProblem();

        policy.MapPost("/{id:guid}/preview", async (Guid id, ApiCaller caller, HttpContext http, PolicyImpactQuery preview) =>
                await preview.PreviewAsync(caller.Actor, id, http.RequestAborted) is { } impact
                    ? TypedResults.Ok(impact)
                    : ApiResults.NotFound("No draft with this id."))
            .RequireRoles("Only contracting officers preview policy versions.", Roles.ContractingOfficer).WithName("PreviewPolicyVersion").WithSummary("What activating a draft would do: grants newly violating, grants cured, counts per vendor")
            .WithDescription("Read-only: evaluates every current grant under the active version and the draft and reports the difference.")
            .Produces<PolicyImpact>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        policy.MapPost("/{id:guid}/activate", async (Guid id, ApiCaller caller, HttpContext http, Core.Common.CommandExecutor executor, ReevaluationRunner runner,
                IConfiguration configuration) =>
            {
                var outcome = await executor.SendAsync(caller.Actor, new ActivatePolicyVersion(id), http.RequestAborted);
                if (!outcome.IsOk || outcome.Value!.Run is not { } run)
                {
                    return ApiResults.From(outcome, r => TypedResults.Ok(new PolicyActivationResponse(PolicyVersionResponse.From(r.Version), r.Consequences, r.Run)));
                }
                // The version is active now. Its consequences on existing grants are applied in batches: here for as long as the
                // caller is willing to wait, then by the background worker (which this wakes) until the run is done.
                var wait = TimeSpan.FromSeconds(configuration.GetValue("Reevaluation:ApiWaitSeconds", 20));
                var applied = await runner.DriveAsync(run.Id, wait, ct: http.RequestAborted);
                runner.Wake();
                var body = new PolicyActivationResponse(PolicyVersionResponse.From(outcome.Value.Version), applied?.Consequences ?? outcome.Value.Consequences,
                    applied?.Run ?? run);
                // Done means applied under this version: a run superseded by a newer activation meanwhile is not.
                return body.Run is { Finished: true, SupersededByVersion: null }
                    ? TypedResults.Ok(body)
                    : TypedResults.Accepted($"/api/v1/policy/reevaluations/{run.Id}", body);
            })
            .Sends<ActivatePolicyVersion>().WithName("ActivatePolicyVersion")
            .WithSummary("Activate a draft (a contracting officer other than the drafter); every current grant is re-evaluated under it")
            .WithDescription("The version is active from the moment this returns: every change after it is evaluated under it. Its consequences " +
                             "on existing grants (suspensions, findings) are applied in batches, each its own audited transaction (ADR 0029). " +
                             "The request waits up to Reevaluation:ApiWaitSeconds (20 s) for them: 200 when the run finished, otherwise (or when " +
                             "a newer activation superseded it) 202 with the run so far and its address (GET /policy/reevaluations/{id}). " +
                             "consequences lists what the batches this request applied did; the run's counts are the totals (the background " +
                             "worker may apply some batches meanwhile).")
            .Produces<PolicyActivationResponse>().Produces<PolicyActivationResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        var runs = api.MapGroup("/policy/reevaluations").WithTags("Policy");
        runs.MapGet("", async Task<IResult> (ReevaluationRunner runner, CancellationToken ct) =>
                TypedResults.Ok(await runner.LatestAsync(20, ct)))
            .RequireRoles(RunsRefusal, Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator).WithName("ListReevaluations").WithSummary("The latest re-evaluation runs (policy activations and the scheduler's), newest first")
            .Produces<IReadOnlyList<ReevaluationRunView>>().ProducesProblem(StatusCodes.Status403Forbidden);
        runs.MapGet("/{id:guid}", async (Guid id, ReevaluationRunner runner, CancellationToken ct) =>
                await runner.GetAsync(id, ct) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound("The re-evaluation was not found."))
            .RequireRoles(RunsRefusal, Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator).WithName("GetReevaluation").WithSummary("One re-evaluation run: how far it has come and what it did")
            .Produces<ReevaluationRunView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Runs count every vendor's grants: officers, auditors and administrators read them; anyone else is refused.</summary>
    private const string RunsRefusal = "Re-evaluation runs are for contracting officers, auditors and administrators.";
}
