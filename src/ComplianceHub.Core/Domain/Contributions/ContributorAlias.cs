namespace ComplianceHub.Core.Domain.Contributions;

/// <summary>
/// Another e-mail address a person commits under (a personal address, a no-reply address of a code host). One address
/// names one person of a vendor; an alias decides between people who share a roster e-mail.
/// </summary>
public sealed class ContributorAlias
{
    private ContributorAlias() { }

    public ContributorAlias(Guid id, Guid vendorId, Guid personId, string email, Guid addedBy, string addedByName, DateTimeOffset addedAt)
    {
        Id = id;
        VendorId = vendorId;
        PersonId = personId;
        Email = CodeContribution.NormalizeEmail(email);
        AddedBy = addedBy;
        AddedByName = addedByName;
        AddedAt = addedAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The person's vendor (aliases are unique per vendor, and scoped like the person).</summary>
    public Guid VendorId { get; private set; }
    public Guid PersonId { get; private set; }

    /// <summary>The address, trimmed and lower-case.</summary>
    public string Email { get; private set; } = "";
    public Guid AddedBy { get; private set; }
    public string AddedByName { get; private set; } = "";
    public DateTimeOffset AddedAt { get; private set; }
}
