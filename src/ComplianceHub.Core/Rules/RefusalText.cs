using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules;

/// <summary>One fact of a rule outcome as people read it: its label and value in words, beside the key and value recorded.</summary>
/// <param name="Key">The fact's key as recorded (<c>workCountry</c>).</param>
/// <param name="Label">Its label (<c>Work location</c>).</param>
/// <param name="Value">Its value in words (<c>China (CN)</c>).</param>
/// <param name="Recorded">The value as recorded (<c>CN</c>), for auditors who compare it with the evidence.</param>
public sealed record RefusalFact(string Key, string Label, string Value, string Recorded);

/// <summary>
/// A failing rule as people read it (a refusal, a finding, a preview, a stored outcome of the audit trail): one sentence about
/// the subject, the rule's title and citation from the catalogue, and its facts as label and value in words. The one formatter
/// of rule outcomes; pages, the API's 422 and the audit viewer take their words from here.
/// </summary>
/// <param name="RuleId">The rule's stable id (<c>LOC-COVERED</c>).</param>
/// <param name="Title">The rule's title from <see cref="RuleCatalogue"/> (for a rule no longer in it, its id and that it is gone).</param>
/// <param name="Severity">The severity in force, in words ("Block").</param>
/// <param name="Sentence">The rule's message about the subject, naming them when their name is known.</param>
/// <param name="Citation">The sources the rule rests on.</param>
/// <param name="Guidance">What to do about it (<see cref="IRule.Guidance"/>).</param>
/// <param name="Facts">The facts the rule used, in words.</param>
/// <param name="PolicyVersion">The policy version the outcome was decided under, when known.</param>
public sealed record RefusalText(string RuleId, string Title, string Severity, string Sentence, string Citation, string Guidance,
    IReadOnlyList<RefusalFact> Facts, int? PolicyVersion)
{
    /// <summary>The refusal in one line: "Refused: Quinn Evans works in China (CN), a covered nation … (LOC-COVERED)."</summary>
    public string Refused => $"Refused: {Sentence.TrimEnd('.', ' ')} ({RuleId}).";

    /// <summary>The sentence with its rule: "Quinn Evans works in China (CN), a covered nation … (LOC-COVERED)."</summary>
    public string Line => $"{Sentence.TrimEnd('.', ' ')} ({RuleId}).";

    /// <summary>The facts on one line: "Work location: China (CN); Covered nations: China (CN), Iran (IR)".</summary>
    public string FactsLine => string.Join("; ", Facts.Select(f => $"{f.Label}: {f.Value}"));

    /// <summary>A rule outcome in words; <paramref name="subjectName"/> (the person the outcome is about) replaces "the person".</summary>
    public static RefusalText For(RuleOutcome outcome, string? subjectName = null) =>
        For(outcome.RuleId, outcome.Severity, outcome.Message, outcome.Facts, outcome.Citation, outcome.PolicyVersion, subjectName);

    /// <summary>A stored outcome (an audit event's or a finding's) in words.</summary>
    public static RefusalText For(string ruleId, Severity severity, string message, IEnumerable<KeyValuePair<string, string>> facts,
        string? citation, int? policyVersion, string? subjectName = null)
    {
        var rule = RuleCatalogue.Find(ruleId);
        return new RefusalText(
            ruleId,
            rule?.Title ?? $"Rule {ruleId} (no longer in the catalogue)",
            Words.Of(severity),
            Naming(message, subjectName),
            string.IsNullOrWhiteSpace(citation) ? rule?.Citation ?? "" : citation,
            rule?.Guidance ?? RuleCatalogue.GeneralGuidance,
            [.. facts.Select(f => new RefusalFact(f.Key, Words.Field(f.Key), Words.FactValue(f.Key, f.Value), f.Value))],
            policyVersion);
    }

    /// <summary>
    /// The rules say "the person" of the subject (their messages are stored with findings, where the page names the person);
    /// where the name is known the sentence uses it.
    /// </summary>
    private static string Naming(string message, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return message;
        }
        name = name.Trim();
        return message
            .Replace("The person's ", name + "'s ", StringComparison.Ordinal).Replace("the person's ", name + "'s ", StringComparison.Ordinal)
            .Replace("The person ", name + " ", StringComparison.Ordinal).Replace("the person ", name + " ", StringComparison.Ordinal)
            .Replace("the person.", name + ".", StringComparison.Ordinal);
    }
}
