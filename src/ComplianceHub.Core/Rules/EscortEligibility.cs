using System.Linq.Expressions;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;

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
/// ESCORT-QUALIFIED checks it when an assignment is made; <see cref="MayEscortFor"/> is the same checks as a query (the
/// escort picker).</item>
/// </list>
/// Withdrawing an escort qualification therefore shows on the board and the dashboard at once, but does not by itself
/// suspend the grants the escort covers: ESCORT-REQUIRED re-checks the standing only (DESIGN.md section 5), and an officer
/// acts on the board's "no escort qualification".
/// </summary>
public static class EscortEligibility
{
    /// <summary>
/// One reason a person may not escort: the check, the rules' wording ("the escort is …", kept as findings record it) and the
/// board's and the escort picker's, in words (<see cref="Words"/>: countries by name, levels and qualifications spelt out).
/// </summary>
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

    private const string UsCitizenship = UsNationality.Us;

    private static readonly Check Qualification = new("qualification",
        (e, _) => e.EscortQualification != EscortQualification.None,
        _ => ("the escort has no escort qualification", "no escort qualification"));

    // Written with Enumerable.Contains so the same expression applies to Person (List, text[] in SQL) and PersonFacts (a set).
    private static readonly Check[] StandingChecks =
    [
        new("employed", (e, _) => e.EmploymentStatus == EmploymentStatus.Active,
            _ => ("the escort is no longer employed", "no longer employed")),
        new("us-citizen", (e, _) => Enumerable.Contains(e.Citizenships, UsCitizenship) || Enumerable.Contains(UsNationality.CitizenByBirth, e.CountryOfBirth),
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
    public static IReadOnlyList<Problem> ForWork(PersonFacts escort, SystemFacts system, AccessType access, IReadOnlyCollection<string> usAreas) =>
        Run([.. StandingChecks, .. WorkChecks(system.ImpactLevel, access)], escort, usAreas);

    /// <summary>
    /// <see cref="ForWork"/> as a predicate over stored people, for the escort picker: the same check expressions, translated
    /// to SQL, so the picker offers exactly the people ESCORT-QUALIFIED would accept for this system and access.
    /// </summary>
    public static Expression<Func<Person, bool>> MayEscortFor(ImpactLevel level, AccessType access, IReadOnlyCollection<string> usAreas) =>
        Predicate([.. StandingChecks, .. WorkChecks(level, access)], usAreas);

    // Compiled once per impact level and access type (a handful), not on every evaluation.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(ImpactLevel, AccessType), Check[]> WorkChecksCache = new();

    /// <summary>The checks of the work beyond the escort's standing: investigation, SECRET on IL6, the technical qualification.</summary>
    private static Check[] WorkChecks(ImpactLevel level, AccessType access) =>
        WorkChecksCache.GetOrAdd((level, access), key => NewWorkChecks(key.Item1, key.Item2));

    private static Check[] NewWorkChecks(ImpactLevel level, AccessType access)
    {
        var tier = RequiredTier(level, access);
        var qualification = RequiredQualification(access);
        var checks = new List<Check>
        {
            new("investigation", AtLeast<InvestigationTier>(nameof(PersonFacts.InvestigationTier), tier),
                e => ($"the escort has {Words.Investigation(e.InvestigationTier)}, the system needs {Words.Of(tier)}",
                    $"has {Words.Investigation(e.InvestigationTier)}, the system needs {Words.Of(tier)}")),
        };
        if (level == ImpactLevel.IL6)
        {
            checks.Add(new("clearance", AtLeast<Clearance>(nameof(PersonFacts.Clearance), Clearance.Secret),
                e => ($"the escort has {Words.ClearancePhrase(e.Clearance)}, IL6 needs {Words.ClearancePhrase(Clearance.Secret)}",
                    $"{Words.ClearancePhrase(e.Clearance)}, IL6 needs {Words.ClearancePhrase(Clearance.Secret)}")));
        }
        checks.Add(new("qualification-level", AtLeast<EscortQualification>(nameof(PersonFacts.EscortQualification), qualification),
            e => QualificationProblem(e.EscortQualification, access, qualification)));
        return [.. checks];
    }

    private static (string Message, string Brief) QualificationProblem(EscortQualification has, AccessType access, EscortQualification needed)
    {
        var work = Words.Of(access).ToLowerInvariant();
        var what = has == EscortQualification.None ? "is not qualified to escort" : $"is qualified as {Words.QualifiedAs(has)} only";
        return ($"the escort {what}; {work} work needs {Words.QualifiedAs(needed)}", $"{what}; {work} work needs {Words.QualifiedAs(needed)}");
    }

    /// <summary>
    /// "The member is <paramref name="minimum"/> or above" as equalities with each such value: the enums are stored as their
    /// names, so an ordering comparison would not translate to SQL.
    /// </summary>
    private static Expression<Func<PersonFacts, IReadOnlyCollection<string>, bool>> AtLeast<T>(string member, T minimum) where T : struct, Enum
    {
        var facts = Expression.Parameter(typeof(PersonFacts), "e");
        var areas = Expression.Parameter(typeof(IReadOnlyCollection<string>), "_");
        var value = Expression.Property(facts, member);
        var body = Enum.GetValues<T>().Where(v => Comparer<T>.Default.Compare(v, minimum) >= 0)
            .Select(v => (Expression)Expression.Equal(value, Expression.Constant(v)))
            .Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<PersonFacts, IReadOnlyCollection<string>, bool>>(body, facts, areas);
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
    public static Expression<Func<Person, bool>> MayEscortToday(IReadOnlyCollection<string> usAreas) => Predicate(TodayChecks, usAreas);

    private static Expression<Func<Person, bool>> Predicate(Check[] checks, IReadOnlyCollection<string> usAreas)
    {
        var person = Expression.Parameter(typeof(Person), "p");
        var areas = Expression.Property(Expression.Constant(new AreasParameter([.. usAreas])), nameof(AreasParameter.Codes));
        var body = checks
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
