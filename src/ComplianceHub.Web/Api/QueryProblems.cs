using System.Globalization;
using System.Reflection;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Query-string values the framework binds but PostgreSQL or the calendar would refuse later, as a 500: a NUL character
/// in any text (PostgreSQL cannot store or compare it) and a day or instant at the ends of the calendar (the day after
/// 9999-12-31 does not exist). They are answered here, before the endpoint runs, with a 400 problem naming the field —
/// on <c>/api</c> as a problem body, elsewhere with the bare status as the framework would. The endpoint's own
/// parameters (from its handler's signature) say which values are days or instants. Values outside <see cref="ApiBounds"/>
/// (a page size of -5, text longer than any column) are answered the same way.
/// </summary>
internal static class QueryProblems
{
    /// <summary>The days the portal answers about: nothing it tracks precedes 1900 or follows 2999.</summary>
    public static readonly DateOnly FirstDay = new(1900, 1, 1);
    public static readonly DateOnly LastDay = new(2999, 12, 31);

    public static IApplicationBuilder UseQueryProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.QueryString.HasValue && Find(context) is { } problem)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] },
                    title: "The input is not valid.").ExecuteAsync(context);
            }
            return;
        }
        await next(context);
    });

    private static (string Field, string Message)? Find(HttpContext context)
    {
        var parameters = context.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [];
        foreach (var (key, values) in context.Request.Query)
        {
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }
                if (value.Contains('\0', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
                {
                    return (key.Replace("\0", "", StringComparison.Ordinal), "Remove the NUL character (%00) from this value.");
                }
                var type = parameters.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))?.ParameterType;
                type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
                if ((type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(DateTime)) && OutsideCalendar(value))
                {
                    return (key, $"Use a date between {FirstDay:yyyy-MM-dd} and {LastDay:yyyy-MM-dd}.");
                }
                if (ApiBounds.QueryProblem(key, value, type) is { } outside)
                {
                    return (key, outside);
                }
            }
        }
        return null;
    }

    /// <summary>A value that reads as a day or an instant outside <see cref="FirstDay"/>…<see cref="LastDay"/> (unreadable values are the binder's to refuse).</summary>
    private static bool OutsideCalendar(string value)
    {
        DateOnly day;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            day = d;
        }
        else if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            day = DateOnly.FromDateTime(instant.UtcDateTime);
        }
        else
        {
            return false;
        }
        return day < FirstDay || day > LastDay;
    }
}
