using System.Text.Json;
using System.Text.RegularExpressions;

namespace ComplianceHub.Web.Api;

/// <summary>
/// A request body that is not valid JSON for the endpoint (an unknown enum name, a date that is not YYYY-MM-DD, a
/// string where a number belongs) becomes a 400 problem with a per-field message, like every other invalid input,
/// instead of the framework's bare 400. Minimal APIs throw <see cref="BadHttpRequestException"/> for it
/// (<c>RouteHandlerOptions.ThrowOnBadRequest</c>), which this middleware catches: for <c>/api</c> paths it answers
/// with the problem, elsewhere with the bare status code, as the framework would.
/// </summary>
internal static partial class JsonBindingProblems
{
    public static IApplicationBuilder UseApiBindingProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api") && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            // The API answers with its own status codes and problem bodies, never the portal's re-executed error pages
            // (re-executing a POST into a page would turn a 401 into an antiforgery 400).
            pages.Enabled = false;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = ex.StatusCode; // what the framework does when it does not throw
                return;
            }
            if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // Kestrel refuses a body over the endpoint's size limit as soon as it is read, before it is buffered.
                var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                await TypedResults.Problem(
                    limit is { } bytes ? $"The request is larger than the limit of {bytes / 1024 / 1024} MB. Split the file and send the parts." : "The request is larger than the limit.",
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.").ExecuteAsync(context);
                return;
            }
            var (field, message) = Describe(ex);
            var problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The input is not valid.");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problem.ExecuteAsync(context);
        }
    });

    private static (string Field, string Message) Describe(BadHttpRequestException ex)
    {
        if (ex.InnerException is not JsonException json)
        {
            return ("body", ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? "The request body is missing or is not JSON."
                : "The request is not valid.");
        }
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        if (json.Message.StartsWith(NulFreeStrings.Refusal, StringComparison.Ordinal))
        {
            return (field, "Remove the NUL character (\\u0000) from this text.");
        }
        if (json.Message.StartsWith(NulFreeStrings.TooLong, StringComparison.Ordinal))
        {
            return (field, $"Use at most {ApiBounds.MaxText:N0} characters.");
        }
        // The message names the body's type ("could not be converted to ...GrantRequestBody"); the path leads to the field.
        var root = TargetType().Match(json.Message) is { Success: true } m ? m.Groups[1].Value.TrimEnd('.') : null;
        var type = FieldType(root is null ? null : typeof(JsonBindingProblems).Assembly.GetType(root) ?? typeof(Core.Domain.Findings.Severity).Assembly.GetType(root), field);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var message = type switch
        {
            { IsEnum: true } => $"Use one of: {string.Join(", ", Enum.GetNames(type))}.",
            _ when type == typeof(DateOnly) => "Use a date in the form YYYY-MM-DD.",
            _ when type == typeof(Guid) => "Use an id in GUID form.",
            _ when type == typeof(bool) => "Use true or false.",
            _ when type is not null && (type == typeof(int) || type == typeof(decimal) || type == typeof(double)) => "Use a number.",
            _ => "The value is not valid for this field.",
        };
        return (field, message);
    }

    /// <summary>The type of the field at a JSON path ("items[2].workLocation") under the body type, when it can be found.</summary>
    private static Type? FieldType(Type? type, string path)
    {
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Split('[')[0];
            var property = type?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            type = property?.PropertyType;
            if (type is not null && segment.Contains('[', StringComparison.Ordinal))
            {
                type = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            }
        }
        return type;
    }

    [GeneratedRegex(@"converted to ([\w\.`+]+)")]
    private static partial Regex TargetType();
}
