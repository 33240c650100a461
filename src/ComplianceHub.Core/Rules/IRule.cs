using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;

namespace ComplianceHub.Core.Rules;

/// <summary>
/// A compliance rule, described in one place: a stable id, a title, the sources it rests on, its default severity, whether
/// a waiver can set it aside, and what to do about a finding. <c>docs/rules/&lt;Id&gt;.md</c> repeats these word for word
/// and a test (<c>RuleDocsTests</c>) fails, naming the rule and the field, when the page and the class differ.
/// </summary>
public interface IRule
{
    /// <summary>Stable id such as <c>CIT-COVERED</c>; never renamed (findings, waivers and audit events cite it).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>
    /// Each source the rule rests on, source and section as written in the rule's docs page (e.g. <c>FY2026 NDAA (P.L.
    /// 119-60) Sec. 1692</c>). A rule that goes beyond its sources as a policy choice says so in its last entry.
    /// </summary>
    IReadOnlyList<string> Citations { get; }

    /// <summary>The citations joined by "; ": what every outcome, finding and audit event of the rule carries.</summary>
    string Citation { get; }

    Severity DefaultSeverity { get; }

    /// <summary>False for rules that rest on statute: no waiver can set them aside.</summary>
    bool Waivable { get; }

    /// <summary>
    /// How to respond to a finding, in the words a vendor representative needs: what to change (and where in the portal),
    /// or why nothing but ending the access will do. Shown with every finding and in the findings export.
    /// </summary>
    string Guidance { get; }

    /// <summary>
    /// Whether the rule runs in a policy version that does not mention it. False for rules added after policies were in force
    /// whose effect is new (the access-log evidence rules): they run only once a version that enables them is activated.
    /// </summary>
    bool OnByDefault => true;
}

/// <summary>A rule over a grant (a person's access to a system). Pure: same facts and policy, same answer.</summary>
public interface IGrantRule : IRule
{
    /// <summary>The failure, or null when the grant passes. <paramref name="severity"/> is the one in force.</summary>
    RuleOutcome? Check(GrantSubject subject, RuleContext context, Severity severity);
}

/// <summary>A rule over an escort assignment.</summary>
public interface IEscortRule : IRule
{
    RuleOutcome? Check(EscortSubject subject, RuleContext context, Severity severity);
}

/// <summary>A rule over an escorted session.</summary>
public interface ISessionRule : IRule
{
    RuleOutcome? Check(SessionSubject subject, RuleContext context, Severity severity);
}

/// <summary>Small helpers for rule classes.</summary>
public abstract class RuleBase : IRule
{
    private string? citation;

    public abstract string Id { get; }
    public abstract string Title { get; }
    public abstract IReadOnlyList<string> Citations { get; }
    public string Citation => citation ??= string.Join("; ", Citations);
    public abstract Severity DefaultSeverity { get; }
    public virtual bool Waivable => true;
    public abstract string Guidance { get; }
    public virtual bool OnByDefault => true;

    protected RuleOutcome Fail(string subjectType, Guid subjectId, Severity severity, RuleContext context, string message,
        params (string Name, string Value)[] facts) =>
        new(Id, severity, subjectType, subjectId, message, facts.ToDictionary(f => f.Name, f => f.Value), Citation, context.PolicyVersion);

    protected RuleOutcome Fail(GrantSubject s, Severity severity, RuleContext context, string message, params (string Name, string Value)[] facts) =>
        Fail("grant", s.Grant.Id, severity, context, message, facts);

    protected RuleOutcome Fail(EscortSubject s, Severity severity, RuleContext context, string message, params (string Name, string Value)[] facts) =>
        Fail("escort-assignment", s.AssignmentId, severity, context, message, facts);

    protected static string List(IEnumerable<string> codes) => string.Join(", ", codes.Order(StringComparer.Ordinal));

    /// <summary>A person's citizenships in words, in code order ("China (CN), United States (US)").</summary>
    protected static string CitizenshipsOf(PersonFacts person) => Words.Countries(person.Citizenships.Order(StringComparer.Ordinal));

    /// <summary>Countries in words, in code order.</summary>
    protected static string InWords(IEnumerable<string> codes) => Words.Countries(codes.Order(StringComparer.Ordinal));
}
