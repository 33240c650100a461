using System.Text.Json;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Features.Evidence;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>One access-log line of an evidence package, with the names it refers to.</summary>
internal sealed record AccessLogLine(long Id, DateTimeOffset OccurredAt, string Identity, Guid? PersonId, string? PersonName, Guid VendorId, string VendorName,
    Guid SystemId, string SystemName, string SourceAddress, string? Country, LocationUnknown Unknown, bool Succeeded, Guid ImportId, string FileName,
    int Line, string GeolocationDatabase, string Excerpt);

/// <summary>
/// The evidence package's access-log files (issue 25): every line whose time falls in the range (<c>access-logs/events.jsonl</c>,
/// streamed from one cursor in time order, never held in memory) and the imports that brought lines of the range or were made in it
/// (<c>access-logs/imports.json</c>, with the SHA-256 of the file and of its entries). One definition of "in range" for the builder
/// and the preview.
/// </summary>
internal static class AccessLogEvidence
{
    /// <summary>Lines whose time is within the range's instants.</summary>
    public static IQueryable<AccessEvent> Events(ComplianceDbContext db, EvidenceRange range)
    {
        var start = range.Start;
        var end = range.End;
        return db.AccessEvents.AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end);
    }

    /// <summary>Imports made in the range, or whose lines span part of it.</summary>
    public static IQueryable<AccessLogImport> Imports(ComplianceDbContext db, EvidenceRange range)
    {
        var start = range.Start;
        var end = range.End;
        return db.AccessLogImports.AsNoTracking().Where(i => (i.ImportedAt >= start && i.ImportedAt < end)
            || (i.FirstAt != null && i.LastAt != null && i.FirstAt < end && i.LastAt >= start));
    }

    /// <summary>The range's lines in time order, with the person, vendor, system and file named, streamed.</summary>
    public static IAsyncEnumerable<AccessLogLine> Lines(ComplianceDbContext db, EvidenceRange range) =>
        (from e in Events(db, range)
         join i in db.AccessLogImports on e.ImportId equals i.Id
         join s in db.Systems on e.SystemId equals s.Id
         join v in db.Vendors on e.VendorId equals v.Id
         from p in db.People.Where(p => p.Id == e.PersonId).DefaultIfEmpty()
         orderby e.OccurredAt, e.Id
         select new AccessLogLine(e.Id, e.OccurredAt, e.Identity, e.PersonId, p == null ? null : p.FullName, e.VendorId, v.Name, e.SystemId, s.Name,
             e.SourceAddress, e.Country, e.Unknown, e.Succeeded, e.ImportId, i.FileName, e.Line, i.GeolocationDatabase, e.Excerpt)).AsAsyncEnumerable();

    public sealed record ImportRow(AccessLogImport Import, string VendorName, string? SystemName);

    public static IAsyncEnumerable<ImportRow> ImportRows(ComplianceDbContext db, EvidenceRange range) =>
        (from i in Imports(db, range)
         join v in db.Vendors on i.VendorId equals v.Id
         from s in db.Systems.Where(s => s.Id == i.SystemId).DefaultIfEmpty()
         orderby i.ImportedAt, i.Id
         select new ImportRow(i, v.Name, s == null ? null : s.Name)).AsAsyncEnumerable();

    public static void WriteLine(Utf8JsonWriter w, AccessLogLine e)
    {
        w.WriteStartObject();
        w.WriteNumber("id", e.Id);
        w.WriteString("occurredAt", EvidencePackage.Instant(e.OccurredAt));
        w.WriteString("identity", e.Identity);
        w.WriteString("personId", e.PersonId?.ToString());
        w.WriteString("personName", e.PersonName);
        w.WriteString("vendorId", e.VendorId);
        w.WriteString("vendorName", e.VendorName);
        w.WriteString("systemId", e.SystemId);
        w.WriteString("systemName", e.SystemName);
        w.WriteString("sourceAddress", e.SourceAddress);
        w.WriteString("country", e.Country);
        w.WriteString("locationUnknown", e.Country is null ? e.Unknown.ToString() : null);
        w.WriteBoolean("succeeded", e.Succeeded);
        w.WriteString("importId", e.ImportId);
        w.WriteString("fileName", e.FileName);
        w.WriteNumber("line", e.Line);
        w.WriteString("geolocationDatabase", e.GeolocationDatabase);
        w.WriteString("excerpt", e.Excerpt);
        w.WriteEndObject();
    }

    public static void WriteImport(Utf8JsonWriter w, ImportRow row)
    {
        var i = row.Import;
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        w.WriteString("vendorId", i.VendorId);
        w.WriteString("vendorName", row.VendorName);
        w.WriteString("systemId", i.SystemId?.ToString());
        w.WriteString("systemName", row.SystemName);
        w.WriteString("source", i.Source.ToString());
        w.WriteString("fileName", i.FileName);
        w.WriteString("sha256", i.Sha256);
        w.WriteString("entriesSha256", i.EntriesSha256);
        w.WriteString("importedAt", EvidencePackage.Instant(i.ImportedAt));
        w.WriteString("importedById", i.ImportedById?.ToString());
        w.WriteString("importedBy", i.ImportedByName);
        w.WriteNumber("entries", i.Entries);
        w.WriteNumber("added", i.Added);
        w.WriteNumber("alreadyImported", i.AlreadyImported);
        w.WriteNumber("skipped", i.Skipped);
        w.WriteNumber("failed", i.Failed);
        w.WriteNumber("unmatched", i.Unmatched);
        w.WriteNumber("unknownLocation", i.UnknownLocation);
        w.WriteNumber("people", i.People);
        w.WriteString("firstAt", i.FirstAt is { } first ? EvidencePackage.Instant(first) : null);
        w.WriteString("lastAt", i.LastAt is { } last ? EvidencePackage.Instant(last) : null);
        w.WriteString("geolocationDatabase", i.GeolocationDatabase);
        if (i.SshdYear is { } year)
        {
            w.WriteNumber("sshdYear", year);
        }
        else
        {
            w.WriteNull("sshdYear");
        }
        w.WriteString("sshdZone", i.SshdZone);
        w.WriteNumber("timesApplied", i.TimesApplied);
        w.WriteEndObject();
    }
}
