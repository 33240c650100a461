using System.Runtime.CompilerServices;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// One count table of a report: rows of <see cref="Row"/> (e.g. the vendor) against columns of <see cref="Column"/>
/// (e.g. the severity), every exported row counted once.
/// </summary>
public sealed record ExportSummary<T>(string Title, string RowHeader, Func<T, string> Row, Func<T, string> Column);

/// <summary>
/// The rows of one export: the screen's query with the screen's filter and sort, read once and streamed in batches
/// (<see cref="StreamedBatches"/>), the shared column list (<see cref="ExportColumns"/>) and the summaries of the PDF report.
/// </summary>
public sealed record ExportSource<T>(ExportKind Kind, string Title, IReadOnlyList<ExportColumn<T>> Columns,
    Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<T>>> Batches, IReadOnlyList<ExportSummary<T>> Summaries)
{
    /// <summary>
    /// The rows, one batch at a time as the query returns them, up to <see cref="PageRequest.MaxExportRows"/>: only the
    /// current batch is held in memory.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<T>> PagesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var read = 0;
        await foreach (var batch in Batches(ct).WithCancellation(ct))
        {
            var items = read + batch.Count > PageRequest.MaxExportRows ? batch.Take(PageRequest.MaxExportRows - read).ToList() : batch;
            read += items.Count;
            if (items.Count > 0)
            {
                yield return items;
            }
            if (read >= PageRequest.MaxExportRows)
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
