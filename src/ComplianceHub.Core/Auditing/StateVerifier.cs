using System.Data;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Core.Auditing;

/// <summary>What the trail cannot explain about a row.</summary>
public enum StateDiscrepancyKind
{
    /// <summary>A column holds a value other than the one the row's latest audit event recorded for it.</summary>
    Changed,

    /// <summary>The row is in the table, but no audit event records its creation.</summary>
    NoCreatingEvent,

    /// <summary>The trail records the row's deletion, yet it is in the table.</summary>
    DeletedInTrail,

    /// <summary>The trail records the row, and no deletion of it, yet it is not in the table.</summary>
    Gone,
}

/// <summary>One row, and for <see cref="StateDiscrepancyKind.Changed"/> one field, whose state the trail does not explain.</summary>
/// <param name="Table">The table, e.g. <c>people</c>.</param>
/// <param name="RowId">The row's key.</param>
/// <param name="Kind">What is unexplained.</param>
/// <param name="Subject">The row in words: "person Jane Doe (Acme Cloud Services)".</param>
/// <param name="Field">The field as the trail names it (<c>workCountry</c>), for a changed value.</param>
/// <param name="FieldName">The field in words ("Work country").</param>
/// <param name="Expected">The value the trail implies, in words ("United States (US)").</param>
/// <param name="Found">The value the table holds, in words.</param>
/// <param name="Explanation">The whole finding in one sentence.</param>
/// <param name="VendorId">The vendor the row belongs to, when it belongs to one.</param>
/// <param name="TrailValue">The trail's value as JSON (as the audit event records it).</param>
/// <param name="TableValue">The table's value as JSON, in the trail's representation.</param>
public sealed record StateDiscrepancy(string Table, string RowId, StateDiscrepancyKind Kind, string Subject, string? Field, string? FieldName,
    string? Expected, string? Found, string Explanation, Guid? VendorId, string? TrailValue, string? TableValue)
{
    /// <summary>The kind in words, for a grid column.</summary>
    public string KindText => Kind switch
    {
        StateDiscrepancyKind.Changed => "Changed outside the portal",
        StateDiscrepancyKind.NoCreatingEvent => "Added outside the portal",
        StateDiscrepancyKind.DeletedInTrail => "Restored outside the portal",
        _ => "Deleted outside the portal",
    };
}

/// <summary>One audited table: how many rows it holds and how many discrepancies were found in it.</summary>
/// <param name="Table">The table, e.g. <c>access_grants</c>.</param>
/// <param name="Name">What its rows are, in words ("grants").</param>
/// <param name="Rows">Rows in the table when it was compared.</param>
/// <param name="Discrepancies">Discrepancies found in it.</param>
public sealed record StateTableResult(string Table, string Name, long Rows, long Discrepancies);

/// <summary>The result of comparing the audited tables with the trail.</summary>
/// <param name="RunId">The run (the subject of its audit event).</param>
/// <param name="VerifiedAt">When the comparison's snapshot was taken.</param>
/// <param name="TrailHead">The last audit event the replay read (the trail's sequence numbers have no gaps).</param>
/// <param name="Tables">Every audited table, in the order compared.</param>
/// <param name="Discrepancies">Everything found (the listed ones and the rest).</param>
/// <param name="Listed">The first <see cref="StateVerifier.MaxListed"/> discrepancies, in words.</param>
/// <param name="Fingerprint">SHA-256 over the whole set of discrepancies, in any order: two runs that find the same rows with the same
/// values have the same fingerprint (how the daily run knows it has already reported them).</param>
public sealed record StateVerification(Guid RunId, DateTimeOffset VerifiedAt, long TrailHead, IReadOnlyList<StateTableResult> Tables,
    long Discrepancies, IReadOnlyList<StateDiscrepancy> Listed, string Fingerprint)
{
    public bool Clean => Discrepancies == 0;

    /// <summary>More was found than is listed.</summary>
    public bool Truncated => Listed.Count < Discrepancies;

    /// <summary>Rows compared in all.</summary>
    public long Rows => Tables.Sum(t => t.Rows);
}

/// <summary>How far a running state verification has come.</summary>
/// <param name="TablesDone">Tables compared so far.</param>
/// <param name="Tables">Tables to compare.</param>
/// <param name="Found">Discrepancies found so far.</param>
/// <param name="Phase">What it is doing, in words.</param>
public sealed record StateProgress(int TablesDone, int Tables, long Found, string Phase);

/// <summary>Another state verification holds the lock; this one did not start.</summary>
public sealed class StateVerificationBusyException() : InvalidOperationException(
    "Another state verification is running now (only one runs at a time); try again when it has finished.");

/// <summary>
/// State verification (ADR 0031): replays the audit trail and compares the state it implies with the tables the rules read
/// (<see cref="StateVerificationModel"/>), naming every row whose current values the trail does not explain — a value changed, a
/// row added, restored or deleted without an audit event — whoever did it and with whatever credential. Set-wise: one statement
/// reads the trail once, merges each subject's events in sequence order (<c>audit_replay</c>) and joins every table with its
/// subjects; the rows it returns are streamed, and only the first <see cref="MaxListed"/> are kept. Runs in one read-only
/// snapshot, so a change committed meanwhile is never half-seen; one verification at a time (an advisory lock of its
/// transaction). Writes nothing but its own audit event (<see cref="AuditEventTypes.StateVerified"/>).
/// </summary>
public sealed class StateVerifier(IDbContextFactory<ComplianceDbContext> contexts, AuditNotes notes, TimeProvider clock)
{
    /// <summary>Discrepancies kept in the result (the rest are counted, fingerprinted and passed to a caller's handler).</summary>
    public const int MaxListed = 10_000;

    /// <summary>Discrepancies described (their names looked up) at a time.</summary>
    private const int DescribeBatch = 500;

    /// <summary>One verification at a time, on any instance: its transaction holds this lock ("CHSTATE").</summary>
    internal const long LockKey = 0x43485354415445;

    /// <summary>Compares the tables with the trail.</summary>
    public Task<StateVerification> VerifyAsync(Actor actor, CancellationToken ct = default) => VerifyAsync(actor, null, null, ct);

    /// <summary>
    /// Compares the tables with the trail. <paramref name="progress"/> hears when each table is done; <paramref name="each"/>, when
    /// given, receives every discrepancy, in words, in batches (the command line and the CSV export write them all).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The actor is neither an auditor nor an administrator.</exception>
    /// <exception cref="StateVerificationBusyException">Another verification is running.</exception>
    public async Task<StateVerification> VerifyAsync(Actor actor, IProgress<StateProgress>? progress,
        Func<IReadOnlyList<StateDiscrepancy>, CancellationToken, Task>? each, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("Only auditors and administrators verify the tables against the audit trail.");
        }
        var started = clock.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var side = await contexts.CreateDbContextAsync(ct);
        var tables = StateVerificationModel.Tables(db);
        var describer = new StateDiscrepancyDescriber(side, actor, tables);
        var counts = tables.ToDictionary(t => t.SubjectType, _ => 0L);
        var fingerprint = new byte[SHA256.HashSizeInBytes];
        var listed = new List<StateDiscrepancy>();
        var pending = new List<RawDiscrepancy>(DescribeBatch);
        long found = 0, head;
        long[] rows;
        var done = 0;
        var at = clock.GetUtcNow();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct))
        {
            await using (var setup = new NpgsqlCommand(
                             // Sized for one large read: the replay's sort and hashes stay in memory; no JIT for a statement planned once.
                             "SET TRANSACTION READ ONLY; SET LOCAL work_mem = '256MB'; SET LOCAL jit = off; " +
                             // Instants and days are compared as PostgreSQL prints them (StateVerificationModel.Same).
                             "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; " +
                             $"SELECT pg_try_advisory_xact_lock({LockKey})",
                             connection, transaction))
            {
                if (await setup.ExecuteScalarAsync(ct) is not true)
                {
                    throw new StateVerificationBusyException();
                }
            }
            await using (var count = new NpgsqlCommand(StateVerificationModel.CountsSql(tables), connection, transaction))
            await using (var reader = await count.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                head = reader.GetInt64(0);
                rows = tables.Select((_, i) => reader.GetInt64(i + 1)).ToArray();
            }
            progress?.Report(new StateProgress(0, tables.Count, 0, $"Replaying the audit trail ({head:N0} events)"));

            await using var command = new NpgsqlCommand(StateVerificationModel.Sql(tables), connection, transaction)
            {
                CommandTimeout = (int)TimeSpan.FromMinutes(30).TotalSeconds, // a full-scale trail on a busy machine; cancellable
            };
            command.Parameters.Add(new NpgsqlParameter("seeds", NpgsqlDbType.Jsonb) { Value = SeedsJson(tables) });
            command.Parameters.Add(new NpgsqlParameter("vendors", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = actor.VisibleVendorIds is { } ids ? ids.Select(i => i.ToString()).ToArray() : DBNull.Value,
            });
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var subject = reader.GetString(0);
                    var kind = reader.GetString(2);
                    if (kind == "end")
                    {
                        done++;
                        progress?.Report(new StateProgress(done, tables.Count, found, done < tables.Count
                            ? $"Compared {tables[done - 1].Plural}; comparing {tables[done].Plural}"
                            : $"Compared {tables[done - 1].Plural}"));
                        continue;
                    }
                    var raw = new RawDiscrepancy(subject, reader.GetString(1), kind, Text(reader, 3), Text(reader, 4), Text(reader, 5),
                        Guid.TryParse(Text(reader, 6), out var vendor) ? vendor : null, reader.GetString(7));
                    found++;
                    counts[subject]++;
                    Fold(fingerprint, raw);
                    if (each is not null || listed.Count + pending.Count < MaxListed)
                    {
                        pending.Add(raw);
                    }
                    if (pending.Count == DescribeBatch)
                    {
                        await FlushAsync();
                    }
                }
            }
            await transaction.CommitAsync(ct);
        }
        await FlushAsync();

        var result = new StateVerification(Guid.CreateVersion7(), at, head,
            tables.Select((t, i) => new StateTableResult(t.Table, t.Plural, rows[i], counts[t.SubjectType])).ToList(),
            found, listed, Convert.ToHexStringLower(SHA256.HashData([.. fingerprint, .. BitConverter.GetBytes(found)])));
        await RecordAsync(actor, result, clock.GetElapsedTime(started), ct);
        return result;

        async Task FlushAsync()
        {
            if (pending.Count == 0)
            {
                return;
            }
            var described = await describer.DescribeAsync(pending, ct);
            pending.Clear();
            listed.AddRange(described.Take(MaxListed - listed.Count));
            if (each is not null)
            {
                await each(described, ct);
            }
        }
    }

    /// <summary>A discrepancy as the statement returns it, before its names are looked up.</summary>
    internal sealed record RawDiscrepancy(string SubjectType, string RowId, string Kind, string? Field, string? Expected, string? Found,
        Guid? VendorId, string Identity);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Adds one discrepancy to the fingerprint: XOR of each one's SHA-256, so the order they arrive in does not matter.</summary>
    private static void Fold(byte[] fingerprint, RawDiscrepancy d)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', d.SubjectType, d.RowId, d.Kind, d.Field, d.Expected, d.Found)));
        for (var i = 0; i < fingerprint.Length; i++)
        {
            fingerprint[i] ^= hash[i];
        }
    }

    /// <summary>The rows the schema's migrations create, as <c>[{"subject_type", "subject_id", "changes"}]</c>.</summary>
    private static string SeedsJson(IReadOnlyList<AuditedTable> tables)
    {
        var seeds = new System.Text.Json.Nodes.JsonArray();
        foreach (var t in tables)
        {
            foreach (var (id, changes) in t.Seeds)
            {
                seeds.Add(new System.Text.Json.Nodes.JsonObject
                {
                    ["subject_type"] = t.SubjectType,
                    ["subject_id"] = id,
                    ["changes"] = System.Text.Json.Nodes.JsonNode.Parse(changes),
                });
            }
        }
        return seeds.ToJsonString();
    }

    /// <summary>The run's audit event: what was compared and what was found (counts and fingerprint; the rows are in the result).</summary>
    private Task RecordAsync(Actor actor, StateVerification result, TimeSpan elapsed, CancellationToken ct) =>
        notes.AppendAsync(actor, "verify-state", AuditEventTypes.StateVerified, AuditEventTypes.StateVerificationSubject, result.RunId.ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["trailHead"] = result.TrailHead,
                ["rows"] = result.Tables.ToDictionary(t => t.Table, t => t.Rows),
                ["discrepancies"] = result.Discrepancies,
                ["discrepanciesByTable"] = result.Tables.Where(t => t.Discrepancies > 0).ToDictionary(t => t.Table, t => t.Discrepancies),
                ["fingerprint"] = result.Fingerprint,
                ["vendorScope"] = actor.VisibleVendorIds?.Length,
                ["seconds"] = Math.Round(elapsed.TotalSeconds, 1),
            }), ct: ct);
}
