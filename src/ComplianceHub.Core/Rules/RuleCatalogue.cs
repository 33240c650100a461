using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules.Catalogue;

namespace ComplianceHub.Core.Rules;

/// <summary>Every rule of the catalogue (DESIGN.md section 5), in the order outcomes are reported.</summary>
public static class RuleCatalogue
{
    public static IReadOnlyList<IRule> All { get; } =
    [
        new LocCovered(), new CitCovered(), new LocAdversary(), new CitConcern(), new Il45UsPerson(), new Il6Citizen(),
        new Il45Investigation(), new Il2Investigation(), new Nda(), new LocUsAreas(), new EscortRequired(),
        new EscortQualified(), new EscortRatio(), new EscortSessionLog(), new AttestFresh(), new VettingCurrent(), new Termination(), new GrantTerms(), new ScreeningMatch(),
        new LocEvidenceCovered(), new LocEvidenceMismatch(),
    ];

    public static IRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);

    /// <summary>What to answer for a finding of a rule no longer in the catalogue (or an id the portal does not know).</summary>
    public const string GeneralGuidance =
        "Correct the facts if they are wrong, or acknowledge the finding with your answer; the contracting officer decides what else is needed.";

    /// <summary>How to respond to a finding of <paramref name="ruleId"/>: the rule's <see cref="IRule.Guidance"/>, or <see cref="GeneralGuidance"/>.</summary>
    public static string GuidanceFor(string ruleId) => Find(ruleId)?.Guidance ?? GeneralGuidance;
}

/// <summary>
/// Runs the enabled rules of a policy over a subject. Pure and deterministic: no database, no clock (the day is in
/// the <see cref="RuleContext"/>), so the whole population can be re-evaluated after a policy change.
/// </summary>
public sealed class PolicyEvaluator(IReadOnlyList<IRule> rules)
{
    public static PolicyEvaluator Default { get; } = new(RuleCatalogue.All);

    // Each kind of rule once, in catalogue order: a re-evaluation runs them for every grant.
    private readonly IGrantRule[] grantRules = [.. rules.OfType<IGrantRule>()];
    private readonly IEscortRule[] escortRules = [.. rules.OfType<IEscortRule>()];
    private readonly ISessionRule[] sessionRules = [.. rules.OfType<ISessionRule>()];

    public IReadOnlyList<RuleOutcome> Evaluate(GrantSubject subject, RuleContext context)
    {
        var outcomes = new List<RuleOutcome>();
        foreach (var rule in grantRules)
        {
            if (context.Policy.SettingFor(rule) is { Enabled: true } setting && rule.Check(subject, context, setting.Severity) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }
        return outcomes;
    }

    public IReadOnlyList<RuleOutcome> Evaluate(EscortSubject subject, RuleContext context) =>
        Run(escortRules, context, (rule, severity) => rule.Check(subject, context, severity));

    public IReadOnlyList<RuleOutcome> Evaluate(SessionSubject subject, RuleContext context) =>
        Run(sessionRules, context, (rule, severity) => rule.Check(subject, context, severity));

    private static List<RuleOutcome> Run<TRule>(TRule[] rules, RuleContext context, Func<TRule, Severity, RuleOutcome?> check) where TRule : IRule
    {
        var outcomes = new List<RuleOutcome>();
        foreach (var rule in rules)
        {
            if (context.Policy.SettingFor(rule) is { Enabled: true } setting && check(rule, setting.Severity) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }
        return outcomes;
    }
}
