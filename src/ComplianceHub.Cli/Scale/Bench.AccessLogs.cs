using System.Globalization;
using System.Net;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Cli.Scale;

public sealed partial class Bench
{
    /// <summary>Public addresses of the generated log: mostly US, one in ten Dutch, one in a hundred Chinese; one private.</summary>
    private static readonly string[] LogAddresses =
    [
        "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "193.0.6.139", "10.1.2.3",
        "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "193.0.6.139", "2001:4860:4860::8888",
        "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "8.8.8.8", "8.8.4.4", "9.9.9.9", "4.2.2.2", "193.0.6.139", "114.114.114.114",
    ];

    /// <summary>
    /// Issue 25: a generated plain-CSV access log of <see cref="BenchOptions.AccessLogLines"/> lines (a million at --quick and full scale)
    /// for one vendor's people on one of its systems, imported through the executor — read as a stream, geolocated, COPYed to the
    /// stage, matched and inserted, its entries hashed, audited — against a COPY of the same rows, already geolocated and matched,
    /// straight into access_events (rolled back).
    /// </summary>
    private async Task AccessLogImportAsync(CancellationToken ct)
    {
        var lines = options.AccessLogLines;
        Step($"access-log import, {lines:N0} lines");
        List<string> identities;
        Guid system;
        string systemName;
        await using (var c = await OpenAsync(ct))
        {
            identities = await ListAsync<string>(c, $"SELECT lower(email) FROM people WHERE vendor_id = '{ImportVendor}' ORDER BY id LIMIT 5000", ct);
            system = await ScalarAsync<Guid>(c, $"SELECT unnest(system_ids) FROM contracts WHERE vendor_id = '{ImportVendor}' ORDER BY 1 LIMIT 1", ct);
            systemName = await ScalarAsync<string>(c, $"SELECT name FROM cloud_systems WHERE id = '{system}'", ct);
        }
        identities.Add("unknown.contractor@elsewhere.example"); // one identity matched to nobody
        var start = clock.GetUtcNow().AddDays(-20);
        Stream Open() => AccessLogSamples.PlainCsv(lines, identities, LogAddresses, systemName, start);
        long length = 0;
        await using (var counting = Open())
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await counting.ReadAsync(buffer, ct)) > 0)
            {
                length += n;
            }
        }
        memory.Reset();
        AccessLogImportReport? report = null;
        var portal = await PortalAsync(async (sp, t) =>
        {
            var outcome = await sp.GetRequiredService<CommandExecutor>().SendAsync(co1,
                new ImportAccessLog(ImportVendor, system, "bench-access.csv", FileUpload.FromStream(Open, length), AccessLogFormat.PlainCsv), t);
            report = outcome.IsOk ? outcome.Value : throw new InvalidOperationException($"{outcome.Kind}: {outcome.Message}");
            if (!report!.Applied)
            {
                throw new InvalidOperationException($"not applied: {report.ProblemCount} problems, first: {report.Problems.FirstOrDefault()?.Message}");
            }
        }, ct);
        var peak = memory.Peak;
        var people = identities.Count - 1;
        var baseline = await TimedAsync(t => CopyAccessEventsAsync(lines, identities, system, start, t), ct);
        Add($"Access-log import, {lines:N0} lines (plain CSV)", portal, baseline, "≤ 300 s, < 1 GiB", peak,
            report is null ? "no report"
            : string.Create(CultureInfo.InvariantCulture,
                $"{report.Added:N0} events added for {report.People:N0} people ({people:N0} identities, {report.Unmatched:N0} unmatched, {report.Failed:N0} failed sign-ins, {report.UnknownLocation:N0} without a country), {length / 1024 / 1024:N0} MB")
              + "; the active policy does not enable the evidence rules; baseline: COPY of the same rows, located and matched, into access_events with their import record, constraints checked, rolled back");
    }

    /// <summary>The baseline: the rows the import stores, with their country and person already known, COPYed in one transaction and rolled back.</summary>
    private async Task CopyAccessEventsAsync(int lines, List<string> identities, Guid system, DateTimeOffset start, CancellationToken ct)
    {
        var geolocator = services.GetRequiredService<IGeolocator>();
        await using var c = await OpenAsync(ct);
        var persons = new Dictionary<string, Guid>();
        await using (var cmd = new NpgsqlCommand($"SELECT lower(email), id FROM people WHERE vendor_id = '{ImportVendor}'", c))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetString(0);
                if (!persons.ContainsKey(key))
                {
                    persons[key] = reader.GetGuid(1);
                }
            }
        }
        var located = LogAddresses.Select(a => (Text: a, Address: IPAddress.Parse(a), Place: geolocator.Locate(IPAddress.Parse(a)))).ToArray();
        await using var tx = await c.BeginTransactionAsync(ct);
        var import = Guid.CreateVersion7();
        await using (var record = new NpgsqlCommand("""
            INSERT INTO access_log_imports (id, vendor_id, system_id, source, file_name, sha256, geolocation_database, imported_by_name, imported_at,
                entries, added, already_imported, skipped, failed, unmatched, unknown_location, people, entries_sha256, times_applied)
            VALUES (@id, @vendor, @system, 'PlainCsv', 'baseline.csv', repeat('0', 64), 'baseline', 'bench', now(), 0, 0, 0, 0, 0, 0, 0, 0, '', 1)
            """, c, tx))
        {
            record.Parameters.AddWithValue("id", import);
            record.Parameters.AddWithValue("vendor", ImportVendor);
            record.Parameters.AddWithValue("system", system);
            await record.ExecuteNonQueryAsync(ct);
        }
        await using (var copy = await c.BeginBinaryImportAsync("""
            COPY access_events (import_id, vendor_id, system_id, person_id, identity, occurred_at, source_address, address, country, unknown, succeeded, event_key, line, excerpt)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            copy.Timeout = TimeSpan.FromMinutes(30);
            for (var i = 0; i < lines; i++)
            {
                var identity = identities[i % identities.Count];
                var (text, address, place) = located[i % located.Length];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(import, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(ImportVendor, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(system, NpgsqlDbType.Uuid, ct);
                if (persons.TryGetValue(identity, out var person)) { await copy.WriteAsync(person, NpgsqlDbType.Uuid, ct); } else { await copy.WriteNullAsync(ct); }
                await copy.WriteAsync(identity, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(start.AddSeconds(i), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(text, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(address, NpgsqlDbType.Inet, ct);
                if (place.Country is { } country) { await copy.WriteAsync(country, NpgsqlDbType.Char, ct); } else { await copy.WriteNullAsync(ct); }
                await copy.WriteAsync(place.Country is null ? place.Unknown.ToString() : "None", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(i % 10 != 9, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"baseline-{i:D7}"), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(i + 2, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{identity},{start.AddSeconds(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{text}"), NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var check = new NpgsqlCommand("SET CONSTRAINTS ALL IMMEDIATE", c, tx))
        {
            await check.ExecuteNonQueryAsync(ct);
        }
        await tx.RollbackAsync(ct);
    }
}
