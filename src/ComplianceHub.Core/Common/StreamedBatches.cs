using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Common;

/// <summary>
/// How an export reads a screen's rows: the grid's filtered, sorted query run once and streamed (Npgsql hands rows over
/// as they come off the wire, so the result is walked like a server-side cursor: no OFFSET re-reading the rows before a
/// page, no COUNT per page), cut into batches of <see cref="Size"/> that are completed — names, counts grouped over the
/// batch's ids — and handed on before the next batch is read. Memory holds one batch.
/// </summary>
public static class StreamedBatches
{
    /// <summary>Rows per batch (as many as an export page used to hold).</summary>
    public const int Size = PageRequest.ExportPageSize;

    /// <summary>
    /// The rows of <paramref name="ordered"/> (at most <see cref="PageRequest.MaxExportRows"/>, the limit in SQL so that a
    /// longer result is not read to its end) in batches, each passed through <paramref name="complete"/>. The query's
    /// context keeps its connection busy with the open reader until the end: <paramref name="complete"/> must read through
    /// another context.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<TRow>> ReadAsync<TItem, TRow>(IQueryable<TItem> ordered,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TRow>>> complete, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var batch = new List<TItem>(Size);
        await foreach (var item in ordered.Take(PageRequest.MaxExportRows).AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(item);
            if (batch.Count == Size)
            {
                yield return await complete(batch, ct);
                batch = new List<TItem>(Size);
            }
        }
        if (batch.Count > 0)
        {
            yield return await complete(batch, ct);
        }
    }
}
