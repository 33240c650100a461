using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The bounds of the API's input, in one table that both enforces them (a 400 naming the field:
/// <see cref="QueryProblems"/> for query parameters, <see cref="NulFreeStrings"/> for body text, the bulk commands'
/// validators for id lists) and declares them in the OpenAPI document (<see cref="OpenApiConventions"/>). A bound is
/// here only when the server keeps it; Core's validators may refuse tighter limits per field (a name of 200 characters).
/// </summary>
public static class ApiBounds
{
    /// <summary>The longest text any request may send in one value, body or query string: the longest column any of it is stored in.</summary>
    public const int MaxText = 4000;

    /// <summary>Integer query parameters by name: inclusive bounds, the same on every endpoint that takes them.</summary>
    public static readonly IReadOnlyDictionary<string, (int Minimum, int Maximum)> Integers = new Dictionary<string, (int, int)>(StringComparer.OrdinalIgnoreCase)
    {
        ["page"] = (1, int.MaxValue),
        ["pageSize"] = (1, PageRequest.MaxPageSize),
        ["limit"] = (0, StateVerifier.MaxListed),
    };

    /// <summary>Request-body arrays by property name: the most items the command takes (its validator refuses more).</summary>
    public static readonly IReadOnlyDictionary<string, int> Arrays = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["ids"] = Bulk.MaxItems,
    };

    /// <summary>What is wrong with a query value under the table, or null when it is within its bounds (or unreadable: the binder's to refuse).</summary>
    internal static string? QueryProblem(string name, string value, Type? parameterType)
    {
        if (value.Length > MaxText)
        {
            return $"Use at most {MaxText:N0} characters.";
        }
        if (parameterType != typeof(int) || !Integers.TryGetValue(name, out var bounds)
            || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        return number < bounds.Minimum || number > bounds.Maximum
            ? bounds.Maximum == int.MaxValue ? $"Use a whole number of at least {bounds.Minimum}." : $"Use a whole number from {bounds.Minimum} to {bounds.Maximum:N0}."
            : null;
    }
}
