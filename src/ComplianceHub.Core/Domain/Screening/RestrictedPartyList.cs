namespace ComplianceHub.Core.Domain.Screening;

/// <summary>
/// One imported version of the restricted-party list (the US Consolidated Screening List): numbered, with the file's
/// SHA-256 and entry count, who imported it and when. The newest version is the one people are screened against.
/// Its entries are immutable; the audit event of the list carries the hash that covers them.
/// </summary>
public sealed class RestrictedPartyList
{
    private RestrictedPartyList() { }

    public RestrictedPartyList(Guid id, int version, string fileName, string sha256, int entryCount, Guid importedBy, string importedByName,
        DateTimeOffset importedAt)
    {
        Id = id;
        Version = version;
        FileName = fileName;
        Sha256 = sha256;
        EntryCount = entryCount;
        ImportedBy = importedBy;
        ImportedByName = importedByName;
        ImportedAt = importedAt;
    }

    public Guid Id { get; private set; }
    public int Version { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public int EntryCount { get; private set; }
    public Guid ImportedBy { get; private set; }
    public string ImportedByName { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }
}

/// <summary>One row of the Consolidated Screening List CSV, as parsed.</summary>
public sealed record ListedParty(int Row, string Key, string Source, string? EntityNumber, string? Type, string? Programs, string Name,
    IReadOnlyList<string> AltNames, string? Addresses, IReadOnlyList<string> Countries, string? FederalRegisterNotice, string? StartDate,
    string? EndDate, string? SourceListUrl);

/// <summary>A party on one list version, as published.</summary>
public sealed class RestrictedPartyEntry
{
    private RestrictedPartyEntry() { }

    public RestrictedPartyEntry(Guid id, Guid listId, ListedParty party)
    {
        Id = id;
        ListId = listId;
        Key = party.Key;
        Source = party.Source;
        EntityNumber = party.EntityNumber;
        Type = party.Type;
        Programs = party.Programs;
        Name = party.Name;
        AltNames = [.. party.AltNames];
        Addresses = party.Addresses;
        Countries = [.. party.Countries];
        FederalRegisterNotice = party.FederalRegisterNotice;
        StartDate = party.StartDate;
        EndDate = party.EndDate;
        SourceListUrl = party.SourceListUrl;
    }

    public Guid Id { get; private set; }
    public Guid ListId { get; private set; }

    /// <summary>Source and entity number ("SDN:36541"): the same party in every list version.</summary>
    public string Key { get; private set; } = "";
    public string Source { get; private set; } = "";
    public string? EntityNumber { get; private set; }
    public string? Type { get; private set; }
    public string? Programs { get; private set; }
    public string Name { get; private set; } = "";
    public List<string> AltNames { get; private set; } = [];
    public string? Addresses { get; private set; }
    public List<string> Countries { get; private set; } = [];
    public string? FederalRegisterNotice { get; private set; }
    public string? StartDate { get; private set; }
    public string? EndDate { get; private set; }
    public string? SourceListUrl { get; private set; }
}
