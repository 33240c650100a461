namespace ComplianceHub.Core.Domain.Policy;

/// <summary>Lifecycle of a policy version: drafted, activated by a second officer, retired when the next one is activated.</summary>
public enum PolicyStatus { Draft, Active, Retired }

/// <summary>
/// One version of the rule parameters (country sets, cadences, thresholds, enabled rules and severities). Exactly
/// one version is active at a time; every rule outcome names the version it was evaluated under.
/// </summary>
public sealed class PolicyVersion
{
    private PolicyVersion() { }

    public PolicyVersion(Guid id, int number, string name, string parameters, Guid? draftedBy, DateTimeOffset draftedAt)
    {
        Id = id;
        Number = number;
        Name = name;
        Parameters = parameters;
        DraftedBy = draftedBy;
        DraftedAt = draftedAt;
        Status = PolicyStatus.Draft;
    }

    public Guid Id { get; private set; }

    /// <summary>1, 2, 3… in the order versions were drafted.</summary>
    public int Number { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The parameters as JSON (<see cref="Rules.PolicyJson"/>).</summary>
    public string Parameters { get; private set; } = "{}";

    public PolicyStatus Status { get; private set; }
    public Guid? DraftedBy { get; private set; }
    public DateTimeOffset DraftedAt { get; private set; }
    public Guid? ActivatedBy { get; private set; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): a draft activated or revised is activated exactly as reviewed.</summary>
    public uint Version { get; private set; }

    /// <summary>A second contracting officer activates the draft (the drafter may not: two-person rule).</summary>
    public void Activate(Guid by, DateTimeOffset at)
    {
        if (Status != PolicyStatus.Draft)
        {
            throw new InvalidOperationException($"Only a draft can be activated; version {Number} is {Status}.");
        }
        if (DraftedBy == by)
        {
            throw new InvalidOperationException("The drafter cannot activate their own policy version (two-person rule).");
        }
        Status = PolicyStatus.Active;
        ActivatedBy = by;
        ActivatedAt = at;
    }

    /// <summary>
    /// An officer revises a draft's name and parameters. The reviser becomes its drafter: the two-person rule is about
    /// the content, so whoever last shaped it may not be the one who activates it.
    /// </summary>
    public void Revise(string name, string parameters, Guid by, DateTimeOffset at)
    {
        if (Status != PolicyStatus.Draft)
        {
            throw new InvalidOperationException($"Only a draft can be revised; version {Number} is {Status}.");
        }
        Name = name;
        Parameters = parameters;
        DraftedBy = by;
        DraftedAt = at;
    }

    /// <summary>The active version steps down when the next one is activated.</summary>
    public void Retire(DateTimeOffset at)
    {
        Status = PolicyStatus.Retired;
        RetiredAt = at;
    }

    /// <summary>Version 1, active from the start (seeded by a migration, so no account drafted or activated it).</summary>
    public static PolicyVersion Seeded(Guid id, string name, string parameters, DateTimeOffset at) =>
        new(id, 1, name, parameters, null, at) { Status = PolicyStatus.Active, ActivatedAt = at };
}
