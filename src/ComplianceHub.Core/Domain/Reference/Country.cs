namespace ComplianceHub.Core.Domain.Reference;

/// <summary>An ISO 3166-1 country or area; reference data seeded by a migration.</summary>
public sealed class Country
{
    private Country() { }

    public Country(string alpha2, string alpha3, string name)
    {
        Alpha2 = alpha2;
        Alpha3 = alpha3;
        Name = name;
    }

    /// <summary>ISO 3166-1 alpha-2 code, the key used everywhere (citizenships, locations, country sets).</summary>
    public string Alpha2 { get; private set; } = "";
    public string Alpha3 { get; private set; } = "";
    public string Name { get; private set; } = "";
}
