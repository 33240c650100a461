using ComplianceHub.Core.Common;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// What the rules say about a proposed change, as <see cref="RulePreview"/> shows it: built from the outcome of the
/// command sent as a dry run (or for real), with the sentence to show when it would pass.
/// </summary>
public sealed record RulePreviewResult(OutcomeKind Kind, string? OkText, IReadOnlyList<RuleOutcome> Violations, IReadOnlyList<RuleOutcome> Warnings,
    IReadOnlyDictionary<string, string[]> Errors, string? Message)
{
    /// <summary>The preview of an outcome; <paramref name="okText"/> says what applying would do ("Would be active at once").</summary>
    public static RulePreviewResult From<T>(Outcome<T> outcome, Func<T, string> okText) => new(outcome.Kind,
        outcome.IsOk ? okText(outcome.Value!) : null, outcome.Violations ?? [], outcome.Warnings, outcome.Errors ?? new Dictionary<string, string[]>(),
        outcome.Message);

    /// <summary>One violation as a line: "CIT-COVERED — citizenships: US, CN".</summary>
    public static string Line(RuleOutcome outcome) =>
        outcome.Facts.Count == 0 ? outcome.RuleId : $"{outcome.RuleId} — {string.Join("; ", outcome.Facts.Select(f => $"{f.Key}: {f.Value}"))}";
}
