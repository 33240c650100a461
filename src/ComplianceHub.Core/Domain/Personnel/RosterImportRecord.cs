namespace ComplianceHub.Core.Domain.Personnel;

/// <summary>
/// A roster file applied to a vendor's roster, known by its SHA-256 (ADR 0041). One row per vendor and file: applying the
/// same bytes again is refused with a pointer to this record (an old file would revert newer edits), unless the caller
/// asks to apply it again on purpose — then this row records the latest application and counts them.
/// </summary>
public sealed class RosterImportRecord
{
    private RosterImportRecord() { }

    public RosterImportRecord(Guid id, Guid vendorId, string sha256, string fileName, DateTimeOffset appliedAt, Guid? appliedById, string appliedByName)
    {
        Id = id;
        VendorId = vendorId;
        Sha256 = sha256;
        FileName = fileName;
        AppliedAt = appliedAt;
        AppliedById = appliedById;
        AppliedByName = appliedByName;
        TimesApplied = 1;
    }

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }

    /// <summary>The file's SHA-256, lower-case hex (64 characters).</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>The name the file was uploaded under (the latest application's).</summary>
    public string FileName { get; private set; } = "";

    /// <summary>When the file was (last) applied.</summary>
    public DateTimeOffset AppliedAt { get; private set; }

    /// <summary>The account that (last) applied it, if any.</summary>
    public Guid? AppliedById { get; private set; }

    /// <summary>Who (last) applied it, as named at the time.</summary>
    public string AppliedByName { get; private set; } = "";

    public int Rows { get; private set; }
    public int Added { get; private set; }
    public int Updated { get; private set; }
    public int Terminated { get; private set; }

    /// <summary>How many times the file was applied (more than 1 only when applied again on purpose).</summary>
    public int TimesApplied { get; private set; }

    /// <summary>The totals of the application this record describes.</summary>
    public void Totals(int rows, int added, int updated, int terminated)
    {
        Rows = rows;
        Added = added;
        Updated = updated;
        Terminated = terminated;
    }

    /// <summary>The file is applied once more, on purpose, by <paramref name="byName"/>.</summary>
    public void AppliedAgain(string fileName, DateTimeOffset at, Guid? byId, string byName)
    {
        FileName = fileName;
        AppliedAt = at;
        AppliedById = byId;
        AppliedByName = byName;
        TimesApplied++;
    }
}
