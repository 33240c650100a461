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
    ];

    public static IRule? Find(string id) => All.FirstOrDefault(r => r.Id == id);
}

/// <summary>
/// Runs the enabled rules of a policy over a subject. Pure and deterministic: no database, no clock (the day is in
/// the <see cref="RuleContext"/>), so the whole population can be re-evaluated after a policy change.
/// </summary>
public sealed class PolicyEvaluator(IReadOnlyList<IRule> rules)
{
    public static PolicyEvaluator Default { get; } = new(RuleCatalogue.All);

    public IReadOnlyList<RuleOutcome> Evaluate(GrantSubject subject, RuleContext context) =>
        Run<IGrantRule>(context, (rule, severity) => rule.Check(subject, context, severity));

    public IReadOnlyList<RuleOutcome> Evaluate(EscortSubject subject, RuleContext context) =>
        Run<IEscortRule>(context, (rule, severity) => rule.Check(subject, context, severity));

    public IReadOnlyList<RuleOutcome> Evaluate(SessionSubject subject, RuleContext context) =>
        Run<ISessionRule>(context, (rule, severity) => rule.Check(subject, context, severity));

    private List<RuleOutcome> Run<TRule>(RuleContext context, Func<TRule, Severity, RuleOutcome?> check) where TRule : IRule =>
        rules.OfType<TRule>()
            .Select(rule => (rule, setting: context.Policy.SettingFor(rule)))
            .Where(x => x.setting.Enabled)
            .Select(x => check(x.rule, x.setting.Severity))
            .OfType<RuleOutcome>()
            .ToList();
}
