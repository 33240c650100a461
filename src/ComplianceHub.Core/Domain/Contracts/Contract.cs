namespace ComplianceHub.Core.Domain.Contracts;

/// <summary>
/// A contract under which a vendor works on DoD cloud systems: its number, the vendor, the contracting officers
/// responsible for it, its period of performance, and the systems it covers (a system's owning contracts).
/// </summary>
public sealed class Contract
{
    private Contract() { }

    public Contract(Guid id, Guid vendorId, string number, string title, DateOnly startsOn, DateOnly endsOn,
        IEnumerable<Guid> responsibleOfficerIds, IEnumerable<Guid> systemIds, Guid? officeId = null)
    {
        Id = id;
        VendorId = vendorId;
        OfficeId = officeId;
        Number = number;
        Change(title, startsOn, endsOn, responsibleOfficerIds, systemIds);
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }

    /// <summary>
    /// The contracting office that holds the contract. Its officers (and auditors scoped to it) see and act on the vendor. Null
    /// for a contract no office holds yet: then only installation-wide officers and auditors see the vendor through it.
    /// </summary>
    public Guid? OfficeId { get; private set; }

    /// <summary>The contract (or order) number, unique in the installation, e.g. HC1028-26-C-0042.</summary>
    public string Number { get; private set; } = "";
    public string Title { get; private set; } = "";

    /// <summary>Period of performance, first and last day.</summary>
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }

    /// <summary>The contracting officers (account ids) responsible for the contract, sorted.</summary>
    public List<Guid> ResponsibleOfficerIds { get; private set; } = [];

    /// <summary>The cloud systems the contract covers, sorted.</summary>
    public List<Guid> SystemIds { get; private set; } = [];

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    /// <summary>Moves the contract to another contracting office (or to none).</summary>
    public void MoveTo(Guid? officeId) => OfficeId = officeId;

    public bool InForceOn(DateOnly day) => StartsOn <= day && day <= EndsOn;

    /// <summary>Changes the title, the period, the responsible officers and the systems covered.</summary>
    public void Change(string title, DateOnly startsOn, DateOnly endsOn, IEnumerable<Guid> responsibleOfficerIds, IEnumerable<Guid> systemIds)
    {
        if (endsOn < startsOn)
        {
            throw new ArgumentException("The period of performance ends before it starts.", nameof(endsOn));
        }
        Title = title;
        StartsOn = startsOn;
        EndsOn = endsOn;
        ResponsibleOfficerIds = responsibleOfficerIds.Distinct().Order().ToList();
        SystemIds = systemIds.Distinct().Order().ToList();
    }
}
