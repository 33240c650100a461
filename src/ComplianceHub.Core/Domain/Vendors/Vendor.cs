namespace ComplianceHub.Core.Domain.Vendors;

/// <summary>A company that supplies people to work on DoD cloud systems.</summary>
public sealed class Vendor
{
    private Vendor() { }

    public Vendor(Guid id, string name, string cageCode, string uei)
    {
        Id = id;
        Name = name;
        CageCode = cageCode;
        Uei = uei;
        Status = VendorStatus.Active;
    }

    public Guid Id { get; private set; }

    /// <summary>Legal name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Commercial and Government Entity code: 5 alphanumerics.</summary>
    public string CageCode { get; private set; } = "";

    /// <summary>Unique Entity Identifier (SAM.gov): 12 alphanumerics.</summary>
    public string Uei { get; private set; } = "";

    public VendorStatus Status { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin): the API's <c>version</c>.</summary>
    public uint Version { get; private set; }

    /// <summary>Corrects the vendor's legal name and identifiers.</summary>
    public void Change(string name, string cageCode, string uei)
    {
        Name = name;
        CageCode = cageCode;
        Uei = uei;
    }
}
