using ComplianceHub.Core.Common;
using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ComplianceHub.Core.Exports;

/// <summary>One count table of a report: a line per key (e.g. vendor) with a count per column (e.g. severity) and the total.</summary>
public sealed record SummaryTable(string Title, string RowHeader, IReadOnlyList<string> Columns, IReadOnlyList<SummaryLine> Lines);

/// <summary>One line of a <see cref="SummaryTable"/>.</summary>
public sealed record SummaryLine(string Key, IReadOnlyList<long> Counts, long Total);

/// <summary>
/// What a PDF report shows: the header (title, who, when, filters), the summaries counted over every row, and the first
/// <see cref="PdfReport.MaxDetailRows"/> rows of the detail table (a PDF is built in memory, so the detail is capped;
/// the report says so).
/// </summary>
public sealed record PdfReportModel(ExportHeader Header, long TotalRows, IReadOnlyList<SummaryTable> Summaries, IReadOnlyList<string> DetailHeaders,
    IReadOnlyList<string[]> DetailRows)
{
    /// <summary>True when the detail table holds fewer rows than were exported.</summary>
    public bool Capped => TotalRows > DetailRows.Count;
}

/// <summary>
/// The PDF report of an export (PDFsharp, bundled DejaVu fonts): landscape A4, title, who generated it and when (UTC),
/// the filters, a summary table per vendor and per rule (or what stands for them in the kind), then the detail table
/// with its header repeated on every page, long text wrapped to three lines and cut with an ellipsis, "Page n of m".
/// The rows are read once: every row is counted into the summaries, only the first <see cref="MaxDetailRows"/> are kept.
/// </summary>
public static class PdfReport
{
    /// <summary>The most detail rows a report holds; CSV, XLSX and JSON have every row.</summary>
    public const int MaxDetailRows = 5000;

    /// <summary>Longest cell text kept for the detail table (it is wrapped to at most three lines anyway).</summary>
    private const int MaxCellText = 400;

    /// <summary>Most lines per summary table before "… n more".</summary>
    private const int MaxSummaryLines = 60;

    private const double PageWidth = 842; // A4 landscape, points
    private const double PageHeight = 595;
    private const double Margin = 28;
    private const double FooterHeight = 18;
    private const int MaxLines = 3;

    /// <summary>Reads every row once: counts the summaries, keeps the first <paramref name="maxDetailRows"/> rows as text.</summary>
    public static async Task<PdfReportModel> BuildAsync<T>(ExportSource<T> source, ExportHeader header, CancellationToken ct, int maxDetailRows = MaxDetailRows)
    {
        var counts = source.Summaries.Select(_ => new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal)).ToArray();
        var detail = new List<string[]>();
        long total = 0;
        await foreach (var row in source.RowsAsync(ct))
        {
            total++;
            for (var i = 0; i < source.Summaries.Count; i++)
            {
                var summary = source.Summaries[i];
                var key = Blank(summary.Row(row));
                if (!counts[i].TryGetValue(key, out var line))
                {
                    counts[i][key] = line = new Dictionary<string, long>(StringComparer.Ordinal);
                }
                var column = Blank(summary.Column(row));
                line[column] = line.GetValueOrDefault(column) + 1;
            }
            if (detail.Count < maxDetailRows)
            {
                detail.Add(source.Columns.Select(c => Cut(TableFile.Text(c.Value(row)) ?? "")).ToArray());
            }
        }
        var tables = source.Summaries.Select((summary, i) =>
        {
            var columns = counts[i].Values.SelectMany(l => l.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
            var lines = counts[i].OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => new SummaryLine(l.Key, columns.Select(c => l.Value.GetValueOrDefault(c)).ToList(), l.Value.Values.Sum()))
                .ToList();
            return new SummaryTable(summary.Title, summary.RowHeader, columns, lines);
        }).ToList();
        return new PdfReportModel(header, total, tables, source.Columns.Select(c => c.Header).ToList(), detail);
    }

    /// <summary>Renders the report into <paramref name="output"/>; returns the number of pages.</summary>
    public static int Render(PdfReportModel model, Stream output)
    {
        ExportFontResolver.Register();
        using var document = new PdfDocument();
        document.Info.Title = $"{model.Header.Title} — ComplianceHub export";
        document.Info.Author = model.Header.GeneratedBy;
        document.Info.Subject = $"{model.TotalRows.ToString(CultureInfo.InvariantCulture)} rows";
        document.Info.Creator = "ComplianceHub";
        using (var layout = new Layout(document))
        {
            layout.Title(model);
            foreach (var table in model.Summaries)
            {
                var headers = new[] { table.RowHeader }.Concat(table.Columns).Append("Total").ToArray();
                var lines = table.Lines.Take(MaxSummaryLines)
                    .Select(l => new[] { l.Key }.Concat(l.Counts.Select(N)).Append(N(l.Total)).ToArray()).ToList();
                if (table.Lines.Count > MaxSummaryLines)
                {
                    var rest = table.Lines.Skip(MaxSummaryLines).ToList();
                    lines.Add(new[] { $"… {rest.Count:N0} more" }
                        .Concat(table.Columns.Select((_, c) => N(rest.Sum(l => l.Counts[c])))).Append(N(rest.Sum(l => l.Total))).ToArray());
                }
                lines.Add(new[] { "Total" }.Concat(table.Columns.Select((_, c) => N(table.Lines.Sum(l => l.Counts[c]))))
                    .Append(N(table.Lines.Sum(l => l.Total))).ToArray());
                var keyWidth = Math.Min(260, Math.Max(120, table.Lines.Select(l => l.Key.Length).DefaultIfEmpty(10).Max() * 5.0));
                var countWidth = Math.Min(90, Math.Max(48, (Layout.Width - keyWidth) / Math.Max(1, headers.Length - 1)));
                layout.Table(table.Title, headers, lines, [keyWidth, .. Enumerable.Repeat(countWidth, headers.Length - 1)], numeric: true);
            }
            var caption = model.Capped
                ? $"Detail: the first {model.DetailRows.Count:N0} of {model.TotalRows:N0} rows; use CSV, XLSX or JSON for all of them"
                : $"Detail: all {model.TotalRows:N0} rows";
            layout.Table(caption, model.DetailHeaders.ToArray(), model.DetailRows, Widths(model), numeric: false);
        }
        var pages = document.PageCount;
        for (var i = 0; i < pages; i++)
        {
            using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var font = new XFont(ExportFontResolver.Family, 7);
            var y = PageHeight - Margin + 6;
            gfx.DrawString($"ComplianceHub · {model.Header.Title} · generated {Stamp(model.Header.GeneratedAt)} UTC by {model.Header.GeneratedBy}",
                font, XBrushes.DimGray, new XPoint(Margin, y));
            var text = $"Page {i + 1} of {pages}";
            gfx.DrawString(text, font, XBrushes.DimGray, new XPoint(PageWidth - Margin - gfx.MeasureString(text, font).Width, y));
        }
        document.Save(output, closeStream: false);
        return pages;
    }

    /// <summary>Builds, renders (in a temporary file) and copies the report to the output; returns the row count.</summary>
    internal static async Task<long> WriteAsync<T>(ExportSource<T> source, ExportHeader header, Stream output, CancellationToken ct)
    {
        var model = await BuildAsync(source, header, ct);
        await using var file = ExportWriters.TemporaryFile();
        Render(model, file);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
        return model.TotalRows;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Blank(string? text) => string.IsNullOrWhiteSpace(text) ? "(none)" : text;

    private static string Cut(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxCellText ? text : text[..(MaxCellText - 1)] + "…";
    }

    /// <summary>Column widths from the header and the typical text length, every column at least readable.</summary>
    private static double[] Widths(PdfReportModel model)
    {
        var sample = model.DetailRows.Take(500).ToList();
        var weights = model.DetailHeaders.Select((h, c) =>
        {
            var typical = sample.Count == 0 ? 0 : sample.Average(r => Math.Min(r[c].Length, 60));
            return Math.Clamp(Math.Max(h.Length * 0.8, typical), 5, 40);
        }).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => Layout.Width * w / sum).ToArray();
    }

    /// <summary>Draws flowing content onto pages: a cursor that starts a new page when the next block does not fit.</summary>
    private sealed class Layout(PdfDocument document) : IDisposable
    {
        public const double Width = PageWidth - 2 * Margin;
        private const double Bottom = PageHeight - Margin - FooterHeight;
        private static readonly XFont TitleFont = new(ExportFontResolver.Family, 16, XFontStyleEx.Bold);
        private static readonly XFont CaptionFont = new(ExportFontResolver.Family, 10, XFontStyleEx.Bold);
        private static readonly XFont TextFont = new(ExportFontResolver.Family, 8);
        private static readonly XFont CellFont = new(ExportFontResolver.Family, 6.5);
        private static readonly XFont HeaderFont = new(ExportFontResolver.Family, 6.5, XFontStyleEx.Bold);
        private static readonly XBrush HeaderBrush = new XSolidBrush(XColor.FromArgb(230, 233, 240));
        private static readonly XPen Rule = new(XColor.FromArgb(200, 200, 200), 0.4);
        private const double LineHeight = 8;
        private const double Padding = 2;

        private XGraphics? gfx;
        private double y;

        private XGraphics Gfx => gfx ?? NewPage();

        private XGraphics NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
            return gfx;
        }

        /// <summary>"Vendor: Acme Federal"-style: the filter's label and value in words; an id names what was chosen, not the id.</summary>
        private static string FilterInWords(KeyValuePair<string, string> filter)
        {
            var label = Words.Field(filter.Key);
            var value = Guid.TryParse(filter.Value, out _)
                ? $"the one {label.ToLowerInvariant()} chosen on the page (its rows below)"
                : Words.FactValue(filter.Key, filter.Value);
            return $"{label}: {value}";
        }

        public void Title(PdfReportModel model)
        {
            var g = Gfx;
            g.DrawString($"{model.Header.Title} — export", TitleFont, XBrushes.Black, new XRect(Margin, y, Width, 20), XStringFormats.TopLeft);
            y += 24;
            Line($"Generated {Stamp(model.Header.GeneratedAt)} UTC by {model.Header.GeneratedBy}; {N(model.TotalRows)} rows.");
            Line(model.Header.Filters.Count == 0
                ? "Filters: none (every row the account may read)."
                : "Filters: " + string.Join("; ", model.Header.Filters.Select(FilterInWords)) + ".");
            if (model.Capped)
            {
                Line($"The detail table holds the first {N(model.DetailRows.Count)} of {N(model.TotalRows)} rows; use CSV, XLSX or JSON for all of them. " +
                     "The summaries count every row.");
            }
            y += 6;
        }

        private void Line(string text)
        {
            foreach (var line in Wrap(Gfx, text, TextFont, Width, 4))
            {
                Gfx.DrawString(line, TextFont, XBrushes.Black, new XRect(Margin, y, Width, 10), XStringFormats.TopLeft);
                y += 11;
            }
        }

        /// <summary>A captioned table; the header row is repeated at the top of every page it runs onto.</summary>
        public void Table(string caption, string[] headers, IEnumerable<string[]> rows, double[] widths, bool numeric)
        {
            var headerLines = headers.Select((h, c) => Wrap(Gfx, h, HeaderFont, widths[c] - 2 * Padding, 2)).ToArray();
            var headerHeight = headerLines.Max(l => l.Count) * LineHeight + 2 * Padding;
            if (y + 16 + headerHeight + LineHeight * 2 > Bottom)
            {
                NewPage();
            }
            y += 4;
            Gfx.DrawString(caption, CaptionFont, XBrushes.Black, new XRect(Margin, y, Width, 12), XStringFormats.TopLeft);
            y += 15;
            DrawHeader(headerLines, widths, headerHeight);
            foreach (var row in rows)
            {
                var cells = row.Select((text, c) => Wrap(Gfx, text, CellFont, widths[c] - 2 * Padding, MaxLines)).ToArray();
                var height = cells.Max(l => Math.Max(1, l.Count)) * LineHeight + 2 * Padding;
                if (y + height > Bottom)
                {
                    NewPage();
                    DrawHeader(headerLines, widths, headerHeight);
                }
                var x = Margin;
                for (var c = 0; c < cells.Length; c++)
                {
                    var right = numeric && c > 0;
                    for (var l = 0; l < cells[c].Count; l++)
                    {
                        Gfx.DrawString(cells[c][l], CellFont, XBrushes.Black,
                            new XRect(x + Padding, y + Padding + l * LineHeight, widths[c] - 2 * Padding, LineHeight),
                            right ? XStringFormats.TopRight : XStringFormats.TopLeft);
                    }
                    x += widths[c];
                }
                y += height;
                Gfx.DrawLine(Rule, Margin, y, Margin + widths.Sum(), y);
            }
            y += 8;
        }

        private void DrawHeader(List<string>[] headerLines, double[] widths, double height)
        {
            Gfx.DrawRectangle(HeaderBrush, Margin, y, widths.Sum(), height);
            var x = Margin;
            for (var c = 0; c < headerLines.Length; c++)
            {
                for (var l = 0; l < headerLines[c].Count; l++)
                {
                    Gfx.DrawString(headerLines[c][l], HeaderFont, XBrushes.Black,
                        new XRect(x + Padding, y + Padding + l * LineHeight, widths[c] - 2 * Padding, LineHeight), XStringFormats.TopLeft);
                }
                x += widths[c];
            }
            y += height;
        }

        /// <summary>Word-wraps to the width; a word longer than a line is broken; past <paramref name="maxLines"/> the last line ends in "…".</summary>
        private static List<string> Wrap(XGraphics g, string text, XFont font, double width, int maxLines)
        {
            var lines = new List<string>();
            if (string.IsNullOrEmpty(text))
            {
                return lines;
            }
            if (g.MeasureString(text, font).Width <= width)
            {
                lines.Add(text);
                return lines;
            }
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (g.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }
                if (current.Length > 0)
                {
                    lines.Add(current);
                    current = "";
                }
                var rest = word;
                while (g.MeasureString(rest, font).Width > width && rest.Length > 1)
                {
                    // Estimate from the average glyph width, then step to the longest prefix that fits.
                    var fit = Math.Clamp((int)(rest.Length * width / g.MeasureString(rest, font).Width), 1, rest.Length - 1);
                    while (fit > 1 && g.MeasureString(rest[..fit], font).Width > width)
                    {
                        fit--;
                    }
                    while (fit < rest.Length - 1 && g.MeasureString(rest[..(fit + 1)], font).Width <= width)
                    {
                        fit++;
                    }
                    lines.Add(rest[..fit]);
                    rest = rest[fit..];
                    if (lines.Count > maxLines)
                    {
                        break;
                    }
                }
                current = rest;
                if (lines.Count > maxLines)
                {
                    break;
                }
            }
            if (current.Length > 0)
            {
                lines.Add(current);
            }
            if (lines.Count > maxLines)
            {
                lines.RemoveRange(maxLines, lines.Count - maxLines);
                lines[^1] = Ellipsis(g, lines[^1], font, width);
            }
            return lines;
        }

        private static string Ellipsis(XGraphics g, string line, XFont font, double width)
        {
            while (line.Length > 0 && g.MeasureString(line + "…", font).Width > width)
            {
                line = line[..^1];
            }
            return line + "…";
        }

        public void Dispose() => gfx?.Dispose();
    }
}
