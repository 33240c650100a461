namespace ComplianceHub.Core.Rules;

/// <summary>A compliance rule: a stable id, a title, the citation it rests on, and its default severity.</summary>
public interface IRule
{
    /// <summary>Stable id such as <c>CIT-COVERED</c>; never renamed (findings, waivers and audit events cite it).</summary>
    string Id { get; }

    string Title { get; }

    string Citation { get; }

    Severity DefaultSeverity { get; }

    /// <summary>False for rules that rest on statute: no waiver can set them aside.</summary>
    bool Waivable { get; }
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
    public abstract string Id { get; }
    public abstract string Title { get; }
    public abstract string Citation { get; }
    public abstract Severity DefaultSeverity { get; }
    public virtual bool Waivable => true;

    protected RuleOutcome Fail(string subjectType, Guid subjectId, Severity severity, RuleContext context, string message,
        params (string Name, string Value)[] facts) =>
        new(Id, severity, subjectType, subjectId, message, facts.ToDictionary(f => f.Name, f => f.Value), Citation, context.PolicyVersion);

    protected RuleOutcome Fail(GrantSubject s, Severity severity, RuleContext context, string message, params (string Name, string Value)[] facts) =>
        Fail("grant", s.Grant.Id, severity, context, message, facts);

    protected RuleOutcome Fail(EscortSubject s, Severity severity, RuleContext context, string message, params (string Name, string Value)[] facts) =>
        Fail("escort-assignment", s.AssignmentId, severity, context, message, facts);

    protected static string List(IEnumerable<string> codes) => string.Join(", ", codes.Order(StringComparer.Ordinal));
}
