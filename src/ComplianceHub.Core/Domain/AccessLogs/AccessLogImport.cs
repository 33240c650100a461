namespace ComplianceHub.Core.Domain.AccessLogs;

/// <summary>The kind of log a file of access events came from.</summary>
public enum AccessLogSource { EntraIdJson, EntraIdCsv, CloudTrailJson, SshdAuthLog, PlainCsv }

/// <summary>
/// One access-log file applied to the evidence of a vendor (issue 25, ADR 0047): who imported what, when, its SHA-256, the
/// totals, the geolocation database its addresses were looked up in, and the SHA-256 of the entries it added in line order.
/// The entries themselves (<see cref="AccessEvent"/>, written by binary COPY) are covered by this record's audit event,
/// which carries both hashes and the counts — as a restricted party list's entries are covered by the list's event.
/// </summary>
public sealed class AccessLogImport
{
    private AccessLogImport() { }

    public AccessLogImport(Guid id, Guid vendorId, Guid? systemId, AccessLogSource source, string fileName, string sha256, string geolocationDatabase,
        int? sshdYear, string? sshdZone, Guid? importedById, string importedByName, DateTimeOffset importedAt)
    {
        Id = id;
        VendorId = vendorId;
        SystemId = systemId;
        Source = source;
        FileName = fileName;
        Sha256 = sha256;
        GeolocationDatabase = geolocationDatabase;
        SshdYear = sshdYear;
        SshdZone = sshdZone;
        ImportedById = importedById;
        ImportedByName = importedByName;
        ImportedAt = importedAt;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }

    /// <summary>The system the log belongs to (every line), or null when each line names its system (a plain CSV).</summary>
    public Guid? SystemId { get; private set; }

    public AccessLogSource Source { get; private set; }
    public string FileName { get; private set; } = "";

    /// <summary>The file's SHA-256, lower-case hex.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>The geolocation database the addresses were looked up in, with its version and build date.</summary>
    public string GeolocationDatabase { get; private set; } = "";

    /// <summary>For an sshd log: the year and time zone the importer gave (its lines carry neither).</summary>
    public int? SshdYear { get; private set; }

    public string? SshdZone { get; private set; }

    public Guid? ImportedById { get; private set; }
    public string ImportedByName { get; private set; } = "";
    public DateTimeOffset ImportedAt { get; private set; }

    /// <summary>Access events read from the file.</summary>
    public int Entries { get; private set; }

    /// <summary>Events new to the portal (the rest were imported before, by their id or content).</summary>
    public int Added { get; private set; }

    public int AlreadyImported { get; private set; }

    /// <summary>Lines the reader passed over (an auth.log's other messages).</summary>
    public int Skipped { get; private set; }

    /// <summary>Failed sign-ins among the added events (kept as evidence, not counted as access).</summary>
    public int Failed { get; private set; }

    /// <summary>Added events whose identity matched nobody of the vendor (yet).</summary>
    public int Unmatched { get; private set; }

    /// <summary>Added events whose address has no country (private, loopback, not an address, not in the database).</summary>
    public int UnknownLocation { get; private set; }

    /// <summary>How many people of the vendor the added events were matched to.</summary>
    public int People { get; private set; }

    public DateTimeOffset? FirstAt { get; private set; }
    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>SHA-256 over the added events in line order (<see cref="AccessEvent.Fingerprint"/>), so a changed or removed entry is found.</summary>
    public string EntriesSha256 { get; private set; } = "";

    /// <summary>How many times the same file was applied (more than 1 only when applied again on purpose).</summary>
    public int TimesApplied { get; private set; } = 1;

    public void Totals(int entries, int added, int alreadyImported, int skipped, int failed, int unmatched, int unknownLocation, int people,
        DateTimeOffset? firstAt, DateTimeOffset? lastAt, string entriesSha256)
    {
        Entries = entries;
        Added = added;
        AlreadyImported = alreadyImported;
        Skipped = skipped;
        Failed = failed;
        Unmatched = unmatched;
        UnknownLocation = unknownLocation;
        People = people;
        FirstAt = firstAt;
        LastAt = lastAt;
        EntriesSha256 = entriesSha256;
    }
}
