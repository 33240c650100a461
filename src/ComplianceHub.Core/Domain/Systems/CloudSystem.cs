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

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): the API's <c>version</c>.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// Changes the system's description and impact level. A new impact level is a fact change: the gate re-evaluates every
    /// current grant on the system (raising it to IL4 can suspend non-US persons' access at once).
    /// </summary>
    public void Change(string name, string provider, string environment, ImpactLevel impactLevel)
    {
        Name = name;
        Provider = provider;
        Environment = environment;
        ImpactLevel = impactLevel;
    }
}
