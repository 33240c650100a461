using System.Linq.Expressions;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>
/// The population groups, defined once for home, the dashboard, the roster's filters and every export: a partition (each
/// person in exactly one group), taken in this order of precedence, as the rules read the same facts:
/// <list type="number">
/// <item><see cref="CitizenshipGroup.CoveredNation"/>: any citizenship, or the country of birth, in the policy's COVERED set —
/// what CIT-COVERED reads, so a US citizen born in China or holding Chinese citizenship is here, not among US citizens.</item>
/// <item><see cref="CitizenshipGroup.UsCitizen"/>: US citizenship, or born in Puerto Rico, Guam, the US Virgin Islands or the
/// Northern Mariana Islands (<see cref="UsNationality"/>).</item>
/// <item><see cref="CitizenshipGroup.UsPerson"/>: a US person who is not a citizen — a lawful permanent resident or a US
/// national of American Samoa.</item>
/// <item><see cref="CitizenshipGroup.OtherForeign"/>: everyone else.</item>
/// </list>
/// Who needs an escort is a different question, ESCORT-REQUIRED's: people who are not US persons
/// (<see cref="NotUsPerson"/>). A dual US and Chinese citizen is in the covered-nation group but needs no escort (CIT-COVERED,
/// not an escort, deals with them).
/// Each question is written once as an expression with the covered set as its second parameter: translated to SQL for the
/// counts and filters, compiled for rows already read (the roster's rows and exports).
/// </summary>
public static class Population
{
    // The three questions, each written once; the groups and filters below are built from them.
    private static readonly Expression<Func<Person, IReadOnlyCollection<string>, bool>> Covered = (p, covered) =>
        p.Citizenships.Any(c => Enumerable.Contains(covered, c)) || Enumerable.Contains(covered, p.CountryOfBirth);

    private static readonly Expression<Func<Person, IReadOnlyCollection<string>, bool>> UsCitizen = (p, _) =>
        p.Citizenships.Contains(UsNationality.Us) || Enumerable.Contains(UsNationality.CitizenByBirth, p.CountryOfBirth);

    private static readonly Expression<Func<Person, IReadOnlyCollection<string>, bool>> OtherUsPerson = (p, _) =>
        p.UsLawfulPermanentResident || p.Citizenships.Any(c => Enumerable.Contains(UsNationality.NationalByBirth, c))
        || Enumerable.Contains(UsNationality.NationalByBirth, p.CountryOfBirth);

    private static readonly ParameterExpression PersonParameter = Expression.Parameter(typeof(Person), "p");
    private static readonly ParameterExpression CoveredParameter = Expression.Parameter(typeof(IReadOnlyCollection<string>), "covered");

    private static readonly Func<Person, IReadOnlyCollection<string>, CitizenshipGroup> Compiled =
        Expression.Lambda<Func<Person, IReadOnlyCollection<string>, CitizenshipGroup>>(GroupBody(CoveredParameter), PersonParameter, CoveredParameter).Compile();

    /// <summary>The group of a person already read, under the covered set <paramref name="covered"/>.</summary>
    public static CitizenshipGroup GroupOf(Person person, IReadOnlyCollection<string> covered) => Compiled(person, covered);

    /// <summary>The group as a query expression (the covered set sent as a parameter).</summary>
    public static Expression<Func<Person, CitizenshipGroup>> Group(IReadOnlyCollection<string> covered) =>
        Expression.Lambda<Func<Person, CitizenshipGroup>>(GroupBody(Codes(covered)), PersonParameter);

    /// <summary>
    /// People in <paramref name="group"/>, as a query filter: the group's own condition and the negation of those before it,
    /// so that the covered-nation filter stays an array overlap the index serves.
    /// </summary>
    public static Expression<Func<Person, bool>> InGroup(CitizenshipGroup group, IReadOnlyCollection<string> covered)
    {
        var codes = Codes(covered);
        Expression covers = Body(Covered, codes), citizen = Body(UsCitizen, codes), usPerson = Body(OtherUsPerson, codes);
        var body = group switch
        {
            CitizenshipGroup.CoveredNation => covers,
            CitizenshipGroup.UsCitizen => Expression.AndAlso(Expression.Not(covers), citizen),
            CitizenshipGroup.UsPerson => Expression.AndAlso(Expression.Not(covers), Expression.AndAlso(Expression.Not(citizen), usPerson)),
            _ => Expression.AndAlso(Expression.Not(covers), Expression.AndAlso(Expression.Not(citizen), Expression.Not(usPerson))),
        };
        return Expression.Lambda<Func<Person, bool>>(body, PersonParameter);
    }

    /// <summary>
    /// People who are not US persons — neither a citizen, a national nor a permanent resident — and so work only escorted
    /// (ESCORT-REQUIRED; <c>PersonFacts.IsUsPerson</c> in the rules), whatever their group.
    /// </summary>
    public static Expression<Func<Person, bool>> NotUsPerson() => UsPersonIs(false);

    /// <summary>US persons (citizens, nationals, permanent residents) when <paramref name="yes"/>, the others when not.</summary>
    public static Expression<Func<Person, bool>> UsPersonIs(bool yes)
    {
        var none = Codes([]);
        Expression usPerson = Expression.OrElse(Body(UsCitizen, none), Body(OtherUsPerson, none));
        return Expression.Lambda<Func<Person, bool>>(yes ? usPerson : Expression.Not(usPerson), PersonParameter);
    }

    private static ConditionalExpression GroupBody(Expression covered) =>
        Expression.Condition(Body(Covered, covered), Expression.Constant(CitizenshipGroup.CoveredNation),
            Expression.Condition(Body(UsCitizen, covered), Expression.Constant(CitizenshipGroup.UsCitizen),
                Expression.Condition(Body(OtherUsPerson, covered), Expression.Constant(CitizenshipGroup.UsPerson),
                    Expression.Constant(CitizenshipGroup.OtherForeign))));

    /// <summary>A question's body over the shared person parameter, with <paramref name="covered"/> for its country set.</summary>
    private static Expression Body(Expression<Func<Person, IReadOnlyCollection<string>, bool>> question, Expression covered) =>
        new Replace(question.Parameters[0], PersonParameter, question.Parameters[1], covered).Visit(question.Body);

    private static MemberExpression Codes(IReadOnlyCollection<string> covered) =>
        Expression.Property(Expression.Constant(new CodesParameter([.. covered])), nameof(CodesParameter.Codes));

    /// <summary>Holds the covered set so that a query sends it as a parameter rather than inlining it.</summary>
    private sealed class CodesParameter(string[] codes)
    {
        public string[] Codes { get; } = codes;
    }

    private sealed class Replace(ParameterExpression person, Expression newPerson, ParameterExpression covered, Expression newCovered) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == person ? newPerson : node == covered ? newCovered : base.VisitParameter(node);
    }
}
