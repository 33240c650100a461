namespace ComplianceHub.Core.Domain.Systems;

/// <summary>A DoD cloud system (or enclave) that vendor staff may be granted access to.</summary>
public sealed class CloudSystem
{
    private CloudSystem() { }

    public CloudSystem(Guid id, string name, string provider, string environment, ImpactLevel impactLevel)
    {
        Id = id;
        Name = name;
        Provider = provider;
        Environment = environment;
        ImpactLevel = impactLevel;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Environment { get; private set; } = "";
    public ImpactLevel ImpactLevel { get; private set; }

    /// <summary>The facts the rules see.</summary>
    public Rules.SystemFacts ToFacts() => new(Id, Name, ImpactLevel);
}
