using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.Extensions.DependencyInjection;
using ComplianceHub.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// A 100,000-row CSV export streams: every row reaches the client while the live managed memory stays far below what
/// the rows (or the file) would take in memory. Memory is sampled with a full collection every 2 MB written, so the
/// high-water mark is what the export really holds, not garbage waiting for a collection. Not a timing test. The
/// managed heap is the whole process's, so the class runs alone (no other test class allocates meanwhile).
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class ExportMemoryTests(ITestOutputHelper output) : ExportTestBase("exportmem")
{
    private const int Rows = 100_000;

    protected override async Task ArrangePeopleAsync()
    {
        // One person through the gate, cloned 99,999 times in SQL as the owner role, with the gate's receipt trigger off for
        // this one transaction of this test's own database: test data only (the clones have no audit events or receipts,
        // and the chain over the events that exist is untouched).
        var template = await AddNamedPersonAsync(Acme, "Bulk Person 000000");
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        var rest = await ColumnsAsync(connection, "people", "id", "employee_id", "full_name", "email");
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("ALTER TABLE people DISABLE TRIGGER people_require_evaluation_receipt", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using var clone = new NpgsqlCommand(
            $"INSERT INTO people (id, employee_id, full_name, email, {rest}) " +
            $"SELECT gen_random_uuid(), 'BULK-' || g, 'Bulk Person ' || lpad(g::text, 6, '0'), 'bulk' || g || '@acme.example', {rest} " +
            $"FROM people, generate_series(1, {Rows - 1}) AS g WHERE people.id = @template", connection, transaction) { CommandTimeout = 300 };
        clone.Parameters.AddWithValue("template", template);
        Assert.Equal(Rows - 1, await clone.ExecuteNonQueryAsync());
        await using (var on = new NpgsqlCommand("ALTER TABLE people ENABLE TRIGGER people_require_evaluation_receipt", connection, transaction))
        {
            await on.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE people", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AHundredThousandRowCsv_StreamsWithBoundedMemory()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var exports = scope.ServiceProvider.GetRequiredService<ExportService>();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var sink = new SamplingSink(baseline);

        var result = await exports.ExportAsync(Auditor, new ExportRequest(ExportKind.Roster, ExportFormat.Csv, new RosterFilter { Search = "Bulk Person" }), sink);

        output.WriteLine($"{result.Rows:N0} rows, {sink.Written:N0} bytes, live managed memory high-water {sink.HighWater / 1e6:N1} MB above " +
                         $"the baseline ({sink.Samples} samples)");
        Assert.Equal(Rows, result.Rows);
        Assert.Equal(Rows + 1, sink.Lines); // the header and every row
        Assert.Equal(sink.Written, result.Bytes);
        Assert.True(sink.Samples >= 5, "Memory was sampled while the file was being written.");
        // The file alone is ~20 MB of UTF-8 (twice that as .NET strings), the rows as objects several times more: an
        // export that collected them would hold at least the file. Streaming holds one page (5,000 rows).
        Assert.True(sink.HighWater < sink.Written / 2, $"High-water {sink.HighWater:N0} bytes is not far below the file's {sink.Written:N0} bytes.");
        Assert.True(sink.HighWater < 48_000_000, $"High-water {sink.HighWater:N0} bytes.");
    }

    /// <summary>The quoted, comma-separated columns of <paramref name="table"/> but <paramref name="except"/>, for cloning rows in SQL.</summary>
    internal static async Task<string> ColumnsAsync(NpgsqlConnection connection, string table, params string[] except)
    {
        var columns = new List<string>();
        await using var list = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table " +
            "AND NOT (column_name = ANY(@except)) AND is_generated = 'NEVER' ORDER BY ordinal_position", connection);
        list.Parameters.AddWithValue("table", table);
        list.Parameters.AddWithValue("except", except);
        await using var reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add($"\"{reader.GetString(0)}\"");
        }
        return string.Join(", ", columns);
    }

    /// <summary>Discards what it is sent, counting bytes and lines, and samples the live managed memory every 2 MB (the POA&amp;M memory test too).</summary>
    internal sealed class SamplingSink(long baseline) : WriteOnlySink
    {
        private const long Every = 2_000_000;
        private long nextSample = Every;

        public long Lines { get; private set; }
        public long HighWater { get; private set; }
        public int Samples { get; private set; }

        protected override void OnWrite(ReadOnlySpan<byte> buffer)
        {
            Lines += buffer.Count((byte)'\n');
            if (Written >= nextSample)
            {
                nextSample += Every;
                Samples++;
                HighWater = Math.Max(HighWater, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
    }
}

/// <summary>Test classes that measure the process's memory: run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Memory measurements (run alone)";
}
