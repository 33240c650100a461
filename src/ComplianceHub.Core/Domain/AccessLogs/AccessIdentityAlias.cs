namespace ComplianceHub.Core.Domain.AccessLogs;

/// <summary>
/// An identity a person signs in under that is not their roster e-mail (a UPN of another domain, a Linux user name, an AWS user):
/// one identity names one person of a vendor. Adding one matches every access event of the vendor with that identity.
/// </summary>
public sealed class AccessIdentityAlias
{
    private AccessIdentityAlias() { }

    public AccessIdentityAlias(Guid id, Guid vendorId, Guid personId, string identity, Guid addedBy, string addedByName, DateTimeOffset addedAt)
    {
        Id = id;
        VendorId = vendorId;
        PersonId = personId;
        Identity = Normalize(identity);
        AddedBy = addedBy;
        AddedByName = addedByName;
        AddedAt = addedAt;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid PersonId { get; private set; }

    /// <summary>The identity, trimmed and lower-case.</summary>
    public string Identity { get; private set; } = "";

    /// <summary>How many access events the alias matched when it was added.</summary>
    public int EventsMatched { get; private set; }

    public Guid AddedBy { get; private set; }
    public string AddedByName { get; private set; } = "";
    public DateTimeOffset AddedAt { get; private set; }

    public void Matched(int events) => EventsMatched = events;

    /// <summary>An identity as stored and compared: trimmed, lower-case.</summary>
    public static string Normalize(string identity) => identity.Trim().ToLowerInvariant();
}
