using System.Runtime.CompilerServices;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// One count table of a report: rows of <see cref="Row"/> (e.g. the vendor) against columns of <see cref="Column"/>
/// (e.g. the severity), every exported row counted once.
/// </summary>
public sealed record ExportSummary<T>(string Title, string RowHeader, Func<T, string> Row, Func<T, string> Column);

/// <summary>
/// The rows of one export: the screen's query read page by page (<see cref="PageRequest.ForExport"/>) with the screen's
/// filter, the shared column list (<see cref="ExportColumns"/>) and the summaries of the PDF report.
/// </summary>
public sealed record ExportSource<T>(ExportKind Kind, string Title, IReadOnlyList<ExportColumn<T>> Columns,
    Func<int, CancellationToken, Task<PagedResult<T>?>> FetchPage, IReadOnlyList<ExportSummary<T>> Summaries)
{
    /// <summary>
    /// The rows, one page at a time as the query returns them, up to <see cref="PageRequest.MaxExportRows"/>: only the
    /// current page is held in memory. A null page (the actor may not read the list) ends the rows.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var read = 0;
        for (var number = 1; ; number++)
        {
            var page = await FetchPage(number, ct);
            if (page is null || page.Items.Count == 0)
            {
                yield break;
            }
            var limit = Math.Min(page.Total, PageRequest.MaxExportRows);
            var items = read + page.Items.Count > limit ? page.Items.Take(Math.Max(0, limit - read)).ToList() : page.Items;
            read += items.Count;
            if (items.Count > 0)
            {
                yield return items;
            }
            if (read >= limit || page.Items.Count < page.PageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The rows one by one (see <see cref="PagesAsync"/>).</summary>
    public async IAsyncEnumerable<T> RowsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var page in PagesAsync(ct))
        {
            foreach (var row in page)
            {
                yield return row;
            }
        }
    }

    /// <summary>The cell values of a row, in column order.</summary>
    public IEnumerable<object?> Values(T row) => Columns.Select(c => c.Value(row));
}

/// <summary>What every format says about an export besides its rows: what, by whom, when, with which filters.</summary>
/// <param name="Kind">The kind's name (<c>findings</c>…).</param>
/// <param name="Title">The report's title (<c>Findings</c>…).</param>
/// <param name="GeneratedAt">When the export started (UTC).</param>
/// <param name="GeneratedBy">The actor's name and role.</param>
/// <param name="Filters">The filters applied (name, value), only those set.</param>
public sealed record ExportHeader(string Kind, string Title, DateTimeOffset GeneratedAt, string GeneratedBy, IReadOnlyList<KeyValuePair<string, string>> Filters);
