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

/// <summary>An activation: the new version and everything its re-evaluation caused.</summary>
public sealed record PolicyActivationResponse(PolicyVersionResponse Version, Core.Data.ConsequencesView Consequences);

/// <summary>The policy lifecycle: read versions, draft, preview the impact (changes nothing), activate by a second officer.</summary>
internal static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy/versions").WithTags("Policy");

        policy.MapGet("", async (PolicyVersionsQuery query, CancellationToken ct) =>
                TypedResults.Ok((await query.ListAsync(ct)).Select(PolicyVersionResponse.From).ToList()))
            .WithName("ListPolicyVersions").WithSummary("Every policy version, newest first").Produces<List<PolicyVersionResponse>>();

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

        policy.MapPost("/{id:guid}/preview", async (Guid id, HttpContext http, PolicyImpactQuery preview) =>
            {
                if (Actor.FromPrincipal(http.User) is not { } actor)
                {
                    return ApiResults.NoActor();
                }
                if (!actor.IsContractingOfficer)
                {
                    return ApiResults.Forbidden("Only contracting officers preview policy versions.");
                }
                return await preview.PreviewAsync(actor, id, http.RequestAborted) is { } impact
                    ? TypedResults.Ok(impact)
                    : ApiResults.NotFound("No draft with this id.");
            })
            .ForRoles(ComplianceHub.Core.Authorization.Roles.ContractingOfficer).WithName("PreviewPolicyVersion").WithSummary("What activating a draft would do: grants newly violating, grants cured, counts per vendor")
            .WithDescription("Read-only: evaluates every current grant under the active version and the draft and reports the difference.")
            .Produces<PolicyImpact>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        policy.MapPost("/{id:guid}/activate", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new ActivatePolicyVersion(id),
                    r => TypedResults.Ok(new PolicyActivationResponse(PolicyVersionResponse.From(r.Version), r.Consequences))))
            .Sends<ActivatePolicyVersion>().WithName("ActivatePolicyVersion").WithSummary("Activate a draft (a contracting officer other than the drafter); everything is re-evaluated")
            .Produces<PolicyActivationResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
