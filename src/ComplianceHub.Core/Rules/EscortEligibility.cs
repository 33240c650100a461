using System.Linq.Expressions;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// Whether a person may act as an escort: the one definition that ESCORT-QUALIFIED, ESCORT-REQUIRED and the read models
/// (dashboard, roster, escort board) share. Three questions, each adding checks to the one before:
/// <list type="bullet">
/// <item><see cref="Standing"/>: employed, a US citizen, working in the policy's <c>US_AREAS</c>. Facts of the escort alone
/// that change after an assignment is approved; ESCORT-REQUIRED keeps checking them for every grant the escort covers.</item>
/// <item><see cref="Today"/>: standing, and holding an escort qualification at all. What the read models call "a qualified
/// escort"; <see cref="MayEscortToday"/> is the same checks as a query, so the SQL is built from this definition
/// (<c>EscortEligibilitySqlTests</c> runs both on the same people against PostgreSQL).</item>
/// <item><see cref="ForWork"/>: standing, and vetted and technically qualified for the system and the access supervised.
/// ESCORT-QUALIFIED checks it when an assignment is made.</item>
/// </list>
/// Withdrawing an escort qualification therefore shows on the board and the dashboard at once, but does not by itself
/// suspend the grants the escort covers: ESCORT-REQUIRED re-checks the standing only (DESIGN.md section 5), and an officer
/// acts on the board's "no escort qualification".
/// </summary>
public static class EscortEligibility
{
    /// <summary>One reason a person may not escort: the check, the rules' wording ("the escort is …") and the board's ("…").</summary>
    public sealed record Problem(string Check, string Message, string Brief);

    /// <summary>A check of the escort's own facts, written once as an expression: compiled for the rules, translated for the queries.</summary>
    private sealed class Check(string name, Expression<Func<PersonFacts, IReadOnlyCollection<string>, bool>> passes, Func<PersonFacts, (string Message, string Brief)> describe)
    {
        public string Name { get; } = name;
        public Expression<Func<PersonFacts, IReadOnlyCollection<string>, bool>> Passes { get; } = passes;
        public Func<PersonFacts, IReadOnlyCollection<string>, bool> Compiled { get; } = passes.Compile();

        public Problem Describe(PersonFacts escort)
        {
            var (message, brief) = describe(escort);
            return new(Name, message, brief);
        }
    }

    private const string UsCitizenship = "US";

    private static readonly Check Qualification = new("qualification",
        (e, _) => e.EscortQualification != EscortQualification.None,
        _ => ("the escort has no escort qualification", "no escort qualification"));

    // Written with Enumerable.Contains so the same expression applies to Person (List, text[] in SQL) and PersonFacts (a set).
    private static readonly Check[] StandingChecks =
    [
        new("employed", (e, _) => e.EmploymentStatus == EmploymentStatus.Active,
            _ => ("the escort is no longer employed", "no longer employed")),
        new("us-citizen", (e, _) => Enumerable.Contains(e.Citizenships, UsCitizenship),
            e => ($"the escort is not a US citizen (citizenships: {Words.Countries(e.Citizenships.Order(StringComparer.Ordinal))})",
                $"not a US citizen ({Words.Countries(e.Citizenships.Order(StringComparer.Ordinal))})")),
        new("us-areas", (e, areas) => Enumerable.Contains(areas, e.WorkCountry),
            e => ($"the escort works in {Words.Country(e.WorkCountry)}, outside the US and its outlying areas",
                $"works in {Words.Country(e.WorkCountry)}, outside the US areas")),
    ];

    private static readonly Check[] TodayChecks = [Qualification, .. StandingChecks];

    /// <summary>Why <paramref name="escort"/> may not escort anyone, whatever the system (empty when they may).</summary>
    public static IReadOnlyList<Problem> Standing(PersonFacts escort, IReadOnlyCollection<string> usAreas) => Run(StandingChecks, escort, usAreas);

    /// <summary>Why <paramref name="escort"/> is not a qualified escort today (empty when they are): <see cref="MayEscortToday"/> in C#.</summary>
    public static IReadOnlyList<Problem> Today(PersonFacts escort, IReadOnlyCollection<string> usAreas) => Run(TodayChecks, escort, usAreas);

    /// <summary>
    /// Why <paramref name="escort"/> may not supervise <paramref name="access"/> work on <paramref name="system"/> (empty when
    /// they may): the standing, the investigation the system requires, SECRET on IL6, and a technical qualification at least
    /// the level of the access.
    /// </summary>
    public static IReadOnlyList<Problem> ForWork(PersonFacts escort, SystemFacts system, AccessType access, IReadOnlyCollection<string> usAreas)
    {
        var problems = Run(StandingChecks, escort, usAreas);
        var tier = RequiredTier(system.ImpactLevel, access);
        if (escort.InvestigationTier < tier)
        {
            problems.Add(new("investigation", $"the escort has {Words.Investigation(escort.InvestigationTier)}, the system needs {Words.Of(tier)}",
                $"has {Words.Investigation(escort.InvestigationTier)}, the system needs {Words.Of(tier)}"));
        }
        if (system.ImpactLevel == ImpactLevel.IL6 && escort.Clearance < Clearance.Secret)
        {
            problems.Add(new("clearance", $"the escort has {Words.ClearancePhrase(escort.Clearance)}, IL6 needs {Words.ClearancePhrase(Clearance.Secret)}",
                $"{Words.ClearancePhrase(escort.Clearance)}, IL6 needs {Words.ClearancePhrase(Clearance.Secret)}"));
        }
        var level = RequiredQualification(access);
        if (escort.EscortQualification < level)
        {
            var work = Words.Of(access).ToLowerInvariant();
            var has = escort.EscortQualification == EscortQualification.None ? "is not qualified to escort" : $"is qualified as {Words.QualifiedAs(escort.EscortQualification)} only";
            problems.Add(new("qualification-level", $"the escort {has}; {work} work needs {Words.QualifiedAs(level)}",
                $"{has}; {work} work needs {Words.QualifiedAs(level)}"));
        }
        return problems;
    }

    /// <summary>The investigation the system requires of anyone working on it at that access level.</summary>
    public static InvestigationTier RequiredTier(ImpactLevel level, AccessType access) => level switch
    {
        ImpactLevel.IL2 => InvestigationTier.T1,
        ImpactLevel.IL6 => InvestigationTier.T5,
        _ => access == AccessType.Privileged ? InvestigationTier.T5 : InvestigationTier.T3,
    };

    /// <summary>The technical qualification supervising <paramref name="access"/> work needs: privileged work an engineer.</summary>
    public static EscortQualification RequiredQualification(AccessType access) =>
        access == AccessType.Privileged ? EscortQualification.Engineer : EscortQualification.Operator;

    /// <summary>
    /// <see cref="Today"/> as a predicate over stored people, for queries: the same check expressions, each member of the
    /// facts read from the entity's member of the same name, the US areas a query parameter.
    /// </summary>
    public static Expression<Func<Person, bool>> MayEscortToday(IReadOnlyCollection<string> usAreas)
    {
        var person = Expression.Parameter(typeof(Person), "p");
        var areas = Expression.Property(Expression.Constant(new AreasParameter([.. usAreas])), nameof(AreasParameter.Codes));
        var body = TodayChecks
            .Select(c => new ToEntity(c.Passes.Parameters[0], person, c.Passes.Parameters[1], areas).Visit(c.Passes.Body))
            .Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<Person, bool>>(body, person);
    }

    private static List<Problem> Run(Check[] checks, PersonFacts escort, IReadOnlyCollection<string> usAreas) =>
        [.. checks.Where(c => !c.Compiled(escort, usAreas)).Select(c => c.Describe(escort))];

    /// <summary>Holds the US areas so that the query sends them as a parameter rather than inlining them.</summary>
    private sealed class AreasParameter(string[] codes)
    {
        public string[] Codes { get; } = codes;
    }

    /// <summary>Rewrites a check over <see cref="PersonFacts"/> into one over <see cref="Person"/>, member by member.</summary>
    private sealed class ToEntity(ParameterExpression facts, ParameterExpression entity, ParameterExpression areasParameter, Expression areas) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == facts ? Expression.Property(entity, node.Member.Name) : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == areasParameter ? areas
            : node == facts ? throw new InvalidOperationException("An escort check may read the facts only through their members.")
            : base.VisitParameter(node);
    }
}
