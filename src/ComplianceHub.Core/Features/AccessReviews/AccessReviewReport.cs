using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Exports;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// A campaign's report and its items as a file (ADR 0040), streamed: the PDF "Access review report" (the campaign's header —
/// name, scope in words, start, deadline, how it closed, the digest of its frozen item list — its totals, a table per vendor,
/// per system and per reviewer counted in the database, then the decisions as far as a PDF holds them), or every item and
/// decision as CSV, XLSX or JSON (person, vendor, system, access, escort, recommendation and reason, the stage-one answer,
/// the decision with who, when and the comment, whether the deadline decided it, staleness, and the facts it was made on).
/// Items are read by keyset in pages (<see cref="AccessReviewsQuery.StreamReportRowsAsync"/>), never all at once; the reader's
/// scope applies (a representative's report counts their vendor's items only). Every completed file is audit event
/// <see cref="AuditEventTypes.Export"/> with kind <see cref="ReportKind"/> or <see cref="ItemsKind"/>, its row count and SHA-256.
/// </summary>
public sealed class AccessReviewReport(AccessReviewsQuery reviews, IDbContextFactory<ComplianceDbContext> contexts, AuditNotes notes, TimeProvider clock)
{
    /// <summary>The campaign report's kind in the audit trail (event 8100's <c>kind</c>).</summary>
    public const string ReportKind = "access-review-report";

    /// <summary>A grid's items export's kind in the audit trail.</summary>
    public const string ItemsKind = "access-review-items";

    /// <summary>The most decisions the PDF lists; the CSV, XLSX and JSON hold every item.</summary>
    public const int MaxPdfItems = 2000;

    /// <summary>The columns of every item file, in order.</summary>
    public static IReadOnlyList<ExportColumn<AccessReviewReportRow>> Columns { get; } =
    [
        new("Item id", r => r.Item.Id.ToString()),
        new("Grant id", r => r.Item.GrantId.ToString()),
        new("Person", r => r.Item.PersonName),
        new("E-mail", r => r.Item.PersonEmail),
        new("Vendor", r => r.Item.VendorName),
        new("System", r => r.Item.SystemName),
        new("Impact level", r => Words.Of(r.Item.ImpactLevel)),
        new("Contract", r => r.Item.ContractNumber),
        new("Access", r => Words.Of(r.Item.AccessType)),
        new("Escorted", r => r.Item.Escorted),
        new("Foreign national", r => r.Item.ForeignNational),
        new("Recommendation", r => Words.Of(r.Item.Recommendation)),
        new("Recommendation reason", r => r.Item.RecommendationReason),
        new("Stage", r => r.Item.Stage),
        new("Status", r => Words.Of(r.Item.Status)),
        new("Reviewers", r => string.Join("; ", r.Item.ReviewerNames)),
        new("Stage one answer", r => r.Item.StageOneDecision is { } d ? Words.Of(d) : null),
        new("Stage one by", r => r.Item.StageOneByName),
        new("Stage one at", r => r.Item.StageOneAt),
        new("Stage one comment", r => r.Item.StageOneComment),
        new("Decision", r => r.Item.Decision is { } d ? Words.Of(d) : null),
        new("Decided by", r => r.Item.DecidedByName),
        new("Decided at", r => r.Item.DecidedAt),
        new("Comment", r => r.Item.Comment),
        new("Decided at deadline", r => r.Item.DecidedAtDeadline),
        new("Stale", r => r.Item.Stale),
        new("Stale reason", r => r.Item.StaleReason),
        new("Flagged for next campaign", r => r.Item.FlaggedForNext),
        new("Note", r => r.Item.Note),
        new("Facts snapshot", r => r.DecisionSnapshot),
    ];

    private static readonly string[] PdfColumns = ["Person", "Vendor", "System", "Access", "Recommendation", "Status", "Decision", "Decided by", "Decided at", "Comment"];

    /// <summary>The report's file name: <c>access-review-{campaign start day}-{now}.{format}</c>.</summary>
    public string FileName(AccessReviewCampaignView campaign, ExportFormat format, bool items = false) =>
        $"access-review-{(items ? "items-" : "")}{campaign.StartedAt.UtcDateTime:yyyyMMdd}-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmm}.{ExportRequest.Name(format)}";

    /// <summary>Writes the campaign report in <paramref name="format"/> and records it; null when the campaign is not the reader's to see (nothing written).</summary>
    public async Task<ExportResult?> WriteReportAsync(Actor actor, Guid campaignId, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        var summary = await reviews.SummaryAsync(actor, campaignId, ct);
        if (summary is null)
        {
            return null;
        }
        return await WriteAsync(actor, summary, ReportKind, new AccessReviewItemFilter(), format, output, ct);
    }

    /// <summary>Writes the items a grid's filter selects and records it; null when the campaign is not the reader's to see.</summary>
    public async Task<ExportResult?> WriteItemsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, ExportFormat format, Stream output,
        CancellationToken ct = default)
    {
        var summary = await reviews.SummaryAsync(actor, campaignId, ct);
        if (summary is null)
        {
            return null;
        }
        return await WriteAsync(actor, summary, ItemsKind, filter, format, output, ct);
    }

    private async Task<ExportResult> WriteAsync(Actor actor, AccessReviewCampaignSummary summary, string kind, AccessReviewItemFilter filter,
        ExportFormat format, Stream output, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var campaign = summary.Campaign;
        await using var hashing = new HashingStream(output);
        var rows = format switch
        {
            ExportFormat.Csv => await CsvAsync(actor, campaign.Id, filter, hashing, ct),
            ExportFormat.Xlsx => await XlsxAsync(actor, campaign, filter, hashing, ct),
            ExportFormat.Json => await JsonAsync(actor, summary, kind, filter, at, hashing, ct),
            _ => await PdfAsync(actor, summary, kind, filter, at, hashing, ct),
        };
        await hashing.FlushAsync(ct);
        var fileName = FileName(campaign, format, kind == ItemsKind);
        var sha256 = hashing.Sha256();
        // The file has left in full: the record of it must not be lost to a client that disconnects now.
        var recorded = await notes.AppendAsync(actor, "export", AuditEventTypes.Export, "access-review-campaign", campaign.Id.ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["kind"] = kind,
                ["format"] = ExportRequest.Name(format),
                ["campaignId"] = campaign.Id,
                ["filters"] = Filters(filter).ToDictionary(f => f.Key, f => f.Value),
                ["rows"] = rows,
                ["bytes"] = hashing.Written,
                ["sha256"] = sha256,
                ["fileName"] = fileName,
            }), ct: CancellationToken.None);
        return new ExportResult(fileName, rows, hashing.Written, sha256, recorded.Sequence);
    }

    private async Task<long> CsvAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, Stream output, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using var writer = TableFile.CsvWriter(buffer);
        TableFile.WriteCsvHeader(writer, Columns);
        long rows = 0;
        await foreach (var row in reviews.StreamReportRowsAsync(actor, campaignId, filter, ct))
        {
            TableFile.WriteCsvRow(writer, Columns, row);
            if (++rows % AccessReviewsQuery.StreamPageSize == 0)
            {
                await SendAsync(writer, buffer, output, ct);
            }
        }
        await SendAsync(writer, buffer, output, ct);
        return rows;
    }

    private static async Task SendAsync(StreamWriter writer, MemoryStream buffer, Stream output, CancellationToken ct)
    {
        await writer.FlushAsync(ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
        buffer.SetLength(0);
        await output.FlushAsync(ct);
    }

    private async Task<long> XlsxAsync(Actor actor, AccessReviewCampaignView campaign, AccessReviewItemFilter filter, Stream output, CancellationToken ct)
    {
        await using var file = ExportWriters.TemporaryFile();
        long rows = 0;
        using (var sheet = new TableFile.XlsxSheetWriter(file, "Access review", Columns.Select(c => c.Header)))
        {
            await foreach (var row in reviews.StreamReportRowsAsync(actor, campaign.Id, filter, ct))
            {
                sheet.WriteRow(Columns.Select(c => c.Value(row)));
                rows++;
            }
        }
        file.Position = 0;
        await file.CopyToAsync(output, ct);
        return rows;
    }

    /// <summary>
    /// One document: <c>kind, title, generatedAt, generatedBy, campaign</c> (its header and counts), <c>summary</c> (per vendor,
    /// system and reviewer), <c>filters</c>, <c>items</c> (each with a property per column, the facts snapshot as JSON) and <c>itemCount</c>.
    /// </summary>
    private async Task<long> JsonAsync(Actor actor, AccessReviewCampaignSummary summary, string kind, AccessReviewItemFilter filter, DateTimeOffset at,
        Stream output, CancellationToken ct)
    {
        var campaign = summary.Campaign;
        var names = Columns.Select(c => ExportWriters.JsonName(c.Header)).ToArray();
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("kind", kind);
        json.WriteString("title", "Access review report");
        json.WriteString("generatedAt", Iso(at));
        json.WriteString("generatedBy", GeneratedBy(actor));
        json.WriteStartObject("campaign");
        json.WriteString("id", campaign.Id);
        json.WriteString("name", campaign.Name);
        json.WriteString("scope", await ScopeAsync(campaign.Scope, ct));
        json.WriteString("status", Words.Of(campaign.Status));
        json.WriteString("startedAt", Iso(campaign.StartedAt));
        json.WriteString("startedBy", campaign.StartedByName);
        json.WriteString("deadline", Iso(campaign.Deadline));
        if (campaign.ClosedAt is { } closed)
        {
            json.WriteString("closedAt", Iso(closed));
            json.WriteString("closeReason", campaign.CloseReason is { } reason ? Words.Of(reason) : null);
        }
        json.WriteString("itemsDigest", campaign.ItemsDigest);
        json.WriteNumber("items", campaign.ItemCount);
        json.WriteNumber("pending", campaign.PendingCount);
        json.WriteEndObject();
        json.WriteStartObject("summary");
        WriteRows(json, "byVendor", summary.ByVendor);
        WriteRows(json, "bySystem", summary.BySystem);
        json.WriteStartArray("byReviewer");
        foreach (var r in summary.ByReviewer)
        {
            json.WriteStartObject();
            json.WriteString("name", r.Name);
            json.WriteNumber("pending", r.Pending);
            json.WriteNumber("decided", r.Decided);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("filters");
        foreach (var (name, value) in Filters(filter))
        {
            json.WriteString(name, value);
        }
        json.WriteEndObject();
        json.WriteStartArray("items");
        long rows = 0;
        await foreach (var row in reviews.StreamReportRowsAsync(actor, campaign.Id, filter, ct))
        {
            json.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                json.WritePropertyName(names[i]);
                var value = Columns[i].Value(row);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case bool b:
                        json.WriteBooleanValue(b);
                        break;
                    case int n:
                        json.WriteNumberValue(n);
                        break;
                    case DateTimeOffset t:
                        json.WriteStringValue(Iso(t));
                        break;
                    case string s when i == Columns.Count - 1:
                        json.WriteRawValue(s, skipInputValidation: false); // the facts snapshot is JSON
                        break;
                    default:
                        json.WriteStringValue(TableFile.Text(value));
                        break;
                }
            }
            json.WriteEndObject();
            if (++rows % AccessReviewsQuery.StreamPageSize == 0)
            {
                await json.FlushAsync(ct);
            }
        }
        json.WriteEndArray();
        json.WriteNumber("itemCount", rows);
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return rows;
    }

    private static void WriteRows(Utf8JsonWriter json, string name, IReadOnlyList<SummaryRow> rows)
    {
        json.WriteStartArray(name);
        foreach (var r in rows)
        {
            json.WriteStartObject();
            json.WriteString("name", r.Name);
            json.WriteNumber("items", r.Items);
            json.WriteNumber("kept", r.Kept);
            json.WriteNumber("revoked", r.Revoked);
            json.WriteNumber("reduced", r.Reduced);
            json.WriteNumber("ended", r.Ended);
            json.WriteNumber("pending", r.Pending);
            json.WriteNumber("stale", r.Stale);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The PDF: built in memory with the first <see cref="MaxPdfItems"/> decisions, rendered into a temporary file, copied out.</summary>
    private async Task<long> PdfAsync(Actor actor, AccessReviewCampaignSummary summary, string kind, AccessReviewItemFilter filter, DateTimeOffset at,
        Stream output, CancellationToken ct)
    {
        var model = await PdfModelAsync(actor, summary, kind, filter, at, ct);
        await using var file = ExportWriters.TemporaryFile();
        PdfReport.Render(model, file);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
        return model.TotalRows;
    }

    /// <summary>What the PDF shows (the header, the summaries from the database, the first decisions), without rendering it.</summary>
    public async Task<PdfReportModel?> PdfModelAsync(Actor actor, Guid campaignId, CancellationToken ct = default)
    {
        var summary = await reviews.SummaryAsync(actor, campaignId, ct);
        return summary is null ? null : await PdfModelAsync(actor, summary, ReportKind, new AccessReviewItemFilter(), clock.GetUtcNow(), ct);
    }

    private async Task<PdfReportModel> PdfModelAsync(Actor actor, AccessReviewCampaignSummary summary, string kind, AccessReviewItemFilter filter,
        DateTimeOffset at, CancellationToken ct)
    {
        var campaign = summary.Campaign;
        var header = new List<KeyValuePair<string, string>>
        {
            new("campaign", campaign.Name),
            new("scope", await ScopeAsync(campaign.Scope, ct)),
            new("started", $"{Stamp(campaign.StartedAt)} UTC by {(campaign.StartedByName.Length == 0 ? "the scheduler" : campaign.StartedByName)}"),
            new("deadline", $"{Stamp(campaign.Deadline)} UTC{(campaign.Escalated is { } e ? $" (escalated {Stamp(e)} UTC)" : "")}"),
            new("closed", campaign.ClosedAt is { } closed
                ? $"{Stamp(closed)} UTC: {(campaign.CloseReason is { } reason ? Words.Of(reason) : "closed")}"
                : "Still open"),
            new("totals", $"{campaign.ItemCount:N0} items, {campaign.Decided:N0} decided, {campaign.PendingCount:N0} waiting for review"),
            new("itemsDigest", $"SHA-256 of the frozen item list {campaign.ItemsDigest}"),
        };
        header.AddRange(Filters(filter).Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        var statusColumns = new[] { "Kept", "Revoked", "Reduced", "Ended", "Pending", "Stale" };
        SummaryTable Table(string title, string rowHeader, IReadOnlyList<SummaryRow> rows) => new(title, rowHeader, statusColumns,
            rows.Select(r => new SummaryLine(r.Name, [r.Kept, r.Revoked, r.Reduced, r.Ended, r.Pending, r.Stale], r.Items)).ToList());
        var tables = new List<SummaryTable>
        {
            Table("Items per vendor (Total: items)", "Vendor", summary.ByVendor),
            Table("Items per system (Total: items)", "System", summary.BySystem),
            new("Reviewers", "Reviewer", ["Waiting for them", "Decided"],
                summary.ByReviewer.Select(r => new SummaryLine(r.Name, [r.Pending, r.Decided], r.Pending + r.Decided)).ToList()),
        };
        var detail = new List<string[]>();
        long total = 0;
        await foreach (var row in reviews.StreamReportRowsAsync(actor, campaign.Id, filter, ct))
        {
            total++;
            if (detail.Count < MaxPdfItems)
            {
                var i = row.Item;
                detail.Add([i.PersonName, i.VendorName, i.SystemName, Words.Of(i.AccessType), Words.Of(i.Recommendation), Words.Of(i.Status),
                    i.Decision is { } d ? Words.Of(d) : "", i.DecidedByName ?? "", i.DecidedAt is { } t ? Stamp(t) + " UTC" : "", i.Comment ?? ""]);
            }
            else if (kind == ReportKind)
            {
                total = campaign.ItemCount; // the rest is counted by the summary; the CSV has every item
                break;
            }
        }
        return new PdfReportModel(new ExportHeader(kind, "Access review report", at, GeneratedBy(actor), header), total, tables, PdfColumns, detail);
    }

    /// <summary>The scope in words, with the names of the vendors, contracts and systems it lists.</summary>
    private async Task<string> ScopeAsync(AccessReviewScope scope, CancellationToken ct)
    {
        var ids = scope.VendorIds.Concat(scope.ContractIds).Concat(scope.SystemIds).Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        if (ids.Count > 0)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            foreach (var v in await db.Vendors.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.Name }).ToListAsync(ct))
            {
                names[v.Id] = v.Name;
            }
            foreach (var c in await db.Contracts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Number }).ToListAsync(ct))
            {
                names[c.Id] = c.Number;
            }
            foreach (var s in await db.Systems.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct))
            {
                names[s.Id] = s.Name;
            }
        }
        return Words.ReviewScope(scope, names);
    }

    /// <summary>The filter's fields that are set, as the query string names them.</summary>
    private static List<KeyValuePair<string, string>> Filters(AccessReviewItemFilter filter)
    {
        var list = new List<KeyValuePair<string, string>>();
        // One id reads "the one vendor chosen on the page" in the PDF; several are counted.
        if (filter.VendorIds.Count > 0) { list.Add(new("vendorId", filter.VendorIds.Count == 1 ? filter.VendorIds[0].ToString() : $"{filter.VendorIds.Count} vendors chosen on the page")); }
        if (filter.SystemIds.Count > 0) { list.Add(new("systemId", filter.SystemIds.Count == 1 ? filter.SystemIds[0].ToString() : $"{filter.SystemIds.Count} systems chosen on the page")); }
        if (filter.Status is { } status) { list.Add(new("status", Words.Of(status))); }
        if (filter.Stage is { } stage) { list.Add(new("stage", stage.ToString(CultureInfo.InvariantCulture))); }
        if (filter.Recommendation is { } r) { list.Add(new("recommendation", Words.Of(r))); }
        if (filter.AccessType is { } a) { list.Add(new("accessType", Words.Of(a))); }
        if (filter.Escorted is { } e) { list.Add(new("escorted", Words.YesNo(e))); }
        if (filter.ForeignNational is { } f) { list.Add(new("foreignNational", Words.YesNo(f))); }
        if (filter.Stale is { } st) { list.Add(new("stale", Words.YesNo(st))); }
        if (filter.Mine) { list.Add(new("mine", "Only items I may decide")); }
        if (!string.IsNullOrWhiteSpace(filter.Search)) { list.Add(new("search", filter.Search.Trim())); }
        return list;
    }

    private static string GeneratedBy(Actor actor) => $"{actor.DisplayName} ({Words.SplitWords(actor.Role).ToLowerInvariant()})";

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
