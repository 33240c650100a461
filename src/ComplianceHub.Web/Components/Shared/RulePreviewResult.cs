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
    /// <summary>
    /// True when a passing answer has consequences the reader must weigh (it suspends grants or opens findings): the preview
    /// shows it as a warning, not as good news.
    /// </summary>
    public bool Caution { get; init; }

    /// <summary>
    /// The preview of an outcome; <paramref name="okText"/> says what applying would do ("Would be active at once"),
    /// <paramref name="caution"/> whether that passing answer suspends or opens something.
    /// </summary>
    public static RulePreviewResult From<T>(Outcome<T> outcome, Func<T, string> okText, Func<T, bool>? caution = null) => new(outcome.Kind,
        outcome.IsOk ? okText(outcome.Value!) : null, outcome.Violations ?? [], outcome.Warnings, outcome.Errors ?? new Dictionary<string, string[]>(),
        outcome.Message)
    {
        Caution = outcome.IsOk && caution is not null && caution(outcome.Value!),
    };

    /// <summary>The rule ids that refuse it, joined ("CIT-COVERED and LOC-COVERED").</summary>
    public string RefusingRules => Join(Violations.Select(v => v.RuleId).Distinct().ToList());

    /// <summary>
    /// One rule's outcome as a sentence, from the one formatter of outcomes (<see cref="RefusalText"/>): its message, then the
    /// rule and its citation ("A citizenship is a covered nation (CIT-COVERED, 10 U.S.C. 4872)."; the catalogue's citation when
    /// the outcome carries none).
    /// </summary>
    public static string Sentence(RuleOutcome outcome)
    {
        var text = RefusalText.For(outcome);
        return string.IsNullOrWhiteSpace(text.Citation) ? text.Line : $"{text.Sentence.TrimEnd('.', ' ')} ({text.RuleId}, {text.Citation}).";
    }

    /// <summary>The facts a rule used, in words ("Citizenships: United States (US), China (CN)"); empty when it used none.</summary>
    public static string FactsOf(RuleOutcome outcome) => string.Join("; ", outcome.Facts.Select(f => $"{Words.Field(f.Key)}: {FactValue(f.Key, f.Value)}"));

    /// <summary>A fact as the rules record it (lists joined with commas) in words, each item on its own.</summary>
    private static string FactValue(string key, string value) =>
        string.Join(", ", value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Words.FactValue(key, v)));

    /// <summary>One violation as a line: "CIT-COVERED — Citizenships: United States (US), China (CN)".</summary>
    public static string Line(RuleOutcome outcome) =>
        outcome.Facts.Count == 0 ? outcome.RuleId : $"{outcome.RuleId} — {FactsOf(outcome)}";

    /// <summary>
    /// Why the form's submit button is disabled, said beside it; null when it may be submitted. <paramref name="missing"/> is
    /// what the form still lacks before the rules can be asked ("Choose a system to continue."): until then nothing is previewed.
    /// While a new answer is awaited the button stays usable (submitting checks every rule again).
    /// </summary>
    public static string? Blocker(RulePreviewResult? result, bool loading, string? missing) =>
        missing ?? (loading ? null : result?.Kind switch
        {
            OutcomeKind.Refused => $"Refused by {result.RefusingRules}: cannot submit. Change the form, or cancel.",
            OutcomeKind.Invalid => "Correct the fields marked in red to continue.",
            _ => null,
        });

    private static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "the rules",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
