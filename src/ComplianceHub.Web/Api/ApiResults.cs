using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Api;

/// <summary>One violation of a 422 (API.md): the rule, its severity, why, the facts it used and its source; <c>title</c> and
/// <c>sentence</c> say it in words (<see cref="RefusalText"/>).</summary>
public sealed record ViolationResponse(string RuleId, Severity Severity, string Message, IReadOnlyDictionary<string, string> Facts, string Citation,
    string Title, string Sentence)
{
    public static ViolationResponse Of(RuleOutcome v)
    {
        var text = RefusalText.For(v);
        return new(v.RuleId, v.Severity, v.Message, v.Facts, v.Citation, text.Title, text.Refused);
    }
}

/// <summary>One refused item of a bulk command (in <c>refused</c> of its 422 or 404): the item, what it is, and why — a sentence or the failing rules.</summary>
public sealed record RefusedItemResponse(Guid Id, string Label, string? Reason, IReadOnlyList<ViolationResponse> Violations);

/// <summary>
/// Maps a command's <see cref="Outcome{T}"/> onto the API's status codes and RFC 9457 problem details: 400 with
/// per-field <c>errors</c>, 403, 404 (missing or outside the caller's vendor), 409, and 422 with <c>violations</c>.
/// </summary>
internal static class ApiResults
{
    public static IResult From<T>(Outcome<T> outcome, Func<T, IResult> ok) => outcome.Kind switch
    {
        OutcomeKind.Ok => ok(outcome.Value!),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(
            outcome.Errors!.ToDictionary(e => CamelCase(e.Key), e => e.Value), title: outcome.Message ?? "The input is not valid."),
        OutcomeKind.Refused => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Refused by the policy", extensions: WithRefusedItems(outcome, new Dictionary<string, object?>
            {
                ["violations"] = outcome.Violations!.Select(ViolationResponse.Of).ToList(),
            })),
        OutcomeKind.NotFound when outcome.RefusedItems.Count > 0 => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status404NotFound,
            title: "Not found", extensions: WithRefusedItems(outcome, [])),
        OutcomeKind.NotFound => NotFound(outcome.Message),
        OutcomeKind.Forbidden => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        OutcomeKind.Conflict => TypedResults.Problem(outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        _ => throw new InvalidOperationException($"Unmapped outcome {outcome.Kind}."),
    };


    /// <summary>A bulk command's refusal lists every refused item (<c>refused</c>); nothing of it was applied.</summary>
    private static Dictionary<string, object?> WithRefusedItems<T>(Outcome<T> outcome, Dictionary<string, object?> extensions)
    {
        if (outcome.RefusedItems.Count > 0)
        {
            extensions["refused"] = outcome.RefusedItems.Select(r => new RefusedItemResponse(r.Id, r.Label, r.Reason, r.Violations.Select(ViolationResponse.Of).ToList())).ToList();
        }
        return extensions;
    }

    public static IResult NotFound(string? message = null) =>
        TypedResults.Problem(message ?? "Not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A signed-in principal that is not exactly one valid role (and vendor binding) may do nothing.</summary>
    public static IResult NoActor() =>
        TypedResults.Problem("The account has no single valid role or vendor binding.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static IResult Forbidden(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>Sends a command as the caller and maps the outcome.</summary>
    public static async Task<IResult> SendAsync<T>(HttpContext http, ICommand<T> command, Func<T, IResult> ok)
    {
        if (Actor.FromPrincipal(http.User) is not { } actor)
        {
            return NoActor();
        }
        var executor = http.RequestServices.GetRequiredService<CommandExecutor>();
        return From(await executor.SendAsync(actor, command, http.RequestAborted), ok);
    }

    /// <summary>"Citizenships[1]" → "citizenships[1]": the API's field names are camelCase.</summary>
    private static string CamelCase(string field) =>
        string.Join('.', field.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
