using System.Diagnostics;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The gate's set-wise write of new rows: where one save adds many rows of a type (an import's people, their receipts and
/// audit events, a policy activation's findings), they go to PostgreSQL in one binary COPY instead of one INSERT each.
/// Only the gate calls it, from <see cref="ComplianceDbContext.SaveChangesAsync(bool, CancellationToken)"/>, inside the
/// change's transaction and after the rules ran: what it writes is exactly what EF would have written, and the receipt
/// triggers, unique indexes and foreign keys check it the same way. The entries end up as EF would leave them after
/// a save (unchanged, with the row version PostgreSQL gave them), or detached where PostgreSQL generated their key.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Below this many new rows of one type EF's batched INSERT is as quick, so those stay with EF.</summary>
    public const int Threshold = 200;

    /// <summary>The types written this way, principals before dependents.</summary>
    private static readonly Type[] Order = [typeof(Person), typeof(AccessGrant), typeof(Finding), typeof(Domain.AccessReviews.AccessReviewItem), typeof(EvaluationReceipt), typeof(AuditEvent)];

    /// <summary>Time allowed for one COPY: a floor for a busy machine, plus time in proportion to the rows.</summary>
    public static TimeSpan TimeoutFor(int rows) => TimeSpan.FromSeconds(60 + rows / 500);

    public static async Task<int> WriteAddedAsync(DbContext db, CancellationToken ct)
    {
        var written = 0;
        foreach (var type in Order)
        {
            var entries = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && e.Metadata.ClrType == type).ToList();
            if (entries.Count < Threshold || !PrincipalsSaved(db, entries[0].Metadata))
            {
                continue;
            }
            written += await CopyAsync(db, entries, ct);
        }
        return written;
    }

    /// <summary>A row may be copied only when every row it references is already in the database (no pending principal).</summary>
    private static bool PrincipalsSaved(DbContext db, IEntityType type)
    {
        var principals = type.GetForeignKeys().Select(k => k.PrincipalEntityType.ClrType).ToHashSet();
        return !db.ChangeTracker.Entries().Any(e => e.State == EntityState.Added && principals.Contains(e.Metadata.ClrType));
    }

    /// <summary>
    /// The columns to write for new rows of one type: every mapped column, except a value PostgreSQL generates (an identity,
    /// a default such as the transaction id, the row version) when no entry sets it, as EF leaves it out. Null when some
    /// entries set a generated value and others do not, or a column has a type this writer cannot name: EF writes those.
    /// </summary>
    private static (List<(IProperty Property, string Column, NpgsqlDbType? Type)> Columns, List<IProperty> Skipped, StoreObjectIdentifier Table)? Plan(
        List<EntityEntry> entries)
    {
        var type = entries[0].Metadata;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var all = type.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();
        var skipped = new List<IProperty>();
        foreach (var property in all.Where(p => p.ValueGenerated != ValueGenerated.Never))
        {
            var unset = entries.Count(e => IsUnset(e, property));
            if (unset == entries.Count)
            {
                skipped.Add(property);
            }
            else if (unset > 0)
            {
                return null;
            }
        }
        var columns = all.Except(skipped).Select(p => (Property: p, Column: p.GetColumnName(table)!, Type: DbType(p))).ToList();
        return columns.Any(c => c.Type is null) ? null : (columns, skipped, table);
    }

    private static async Task<int> CopyAsync(DbContext db, List<EntityEntry> entries, CancellationToken ct)
    {
        if (Plan(entries) is not var (columns, skipped, table))
        {
            return 0;
        }
        var type = entries[0].Metadata;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var sql = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) FROM STDIN (FORMAT BINARY)";
        await using (var writer = await connection.BeginBinaryImportAsync(sql, ct))
        {
            writer.Timeout = TimeoutFor(entries.Count);
            foreach (var entry in entries)
            {
                await writer.StartRowAsync(ct);
                foreach (var (property, _, dbType) in columns)
                {
                    var value = Provider(property, entry.Property(property.Name).CurrentValue);
                    if (value is null)
                    {
                        await writer.WriteNullAsync(ct);
                    }
                    else
                    {
                        await writer.WriteAsync(value, dbType!.Value, ct);
                    }
                }
            }
            await writer.CompleteAsync(ct);
        }

        // Every row of one COPY carries the same row version (the inserting transaction's id): read it once.
        var version = NeedsRowVersion(type, skipped) ? await RowVersionAsync(connection, table.Name, type.FindPrimaryKey()!.Properties.Single().GetColumnName(table)!,
            entries[0].Property(type.FindPrimaryKey()!.Properties.Single().Name).CurrentValue!, ct) : (uint?)null;
        foreach (var entry in entries)
        {
            Settle(entry, skipped, version);
        }
        return entries.Count;
    }

    /// <summary>Whether the rows written must learn their row version back (it is the only value PostgreSQL generated for them).</summary>
    private static bool NeedsRowVersion(IEntityType type, List<IProperty> skipped)
    {
        var key = type.FindPrimaryKey()!.Properties;
        return !skipped.Any(p => key.Contains(p) || !IsRowVersion(p)) && skipped.Any(IsRowVersion);
    }

    /// <summary>
    /// Leaves a written entry as EF would after a save: unchanged, with the row version PostgreSQL gave it — or detached
    /// where PostgreSQL generated its key or another value EF would read back (nothing reads those rows back in this context).
    /// </summary>
    private static void Settle(EntityEntry entry, List<IProperty> skipped, uint? version)
    {
        var key = entry.Metadata.FindPrimaryKey()!.Properties;
        if (skipped.Any(p => key.Contains(p) || !IsRowVersion(p)))
        {
            entry.State = EntityState.Detached;
            return;
        }
        entry.State = EntityState.Unchanged;
        foreach (var property in skipped.Where(IsRowVersion))
        {
            var member = entry.Property(property.Name);
            member.OriginalValue = version;
            member.CurrentValue = version;
            member.IsModified = false;
        }
    }

    /// <summary>At most this many new rows go in one batch of INSERT statements; a save with more leaves them to EF and COPY.</summary>
    public const int SmallBatch = 50;

    /// <summary>
    /// A single change's few new rows — a grant request's grant, its receipt and its audit event — in one batch of INSERT
    /// statements (one round trip), without EF's building of its update commands on every save (issue 16: a fifth of a
    /// millisecond of the portal's most frequent change). Only when the save holds nothing but new rows of the types this
    /// writer knows (<see cref="Order"/>, principals first), at most <see cref="SmallBatch"/>, every key known; otherwise
    /// nothing is written here and EF saves as before. The entries end as <see cref="CopyAsync"/> leaves them.
    /// Returns the rows written and how many of them were audit events.
    /// </summary>
    public static async Task<(int Rows, int Events)> InsertAddedAsync(DbContext db, CancellationToken ct)
    {
        var tracked = db.ChangeTracker.Entries().ToList();
        var added = tracked.Where(e => e.State == EntityState.Added).ToList();
        if (added.Count == 0 || added.Count > SmallBatch || tracked.Any(e => e.State is EntityState.Modified or EntityState.Deleted)
            || added.Any(e => !Order.Contains(e.Metadata.ClrType)))
        {
            return (0, 0);
        }
        // Everything is planned before anything is written: a type this writer cannot take leaves the whole save to EF.
        var plans = new List<(List<EntityEntry> Entries, List<(IProperty Property, string Column, NpgsqlDbType? Type)> Columns, List<IProperty> Skipped, string Sql)>();
        foreach (var type in Order)
        {
            var entries = added.Where(e => e.Metadata.ClrType == type).ToList();
            if (entries.Count == 0)
            {
                continue;
            }
            if (Plan(entries) is not var (columns, skipped, table))
            {
                return (0, 0);
            }
            var returning = NeedsRowVersion(entries[0].Metadata, skipped) ? " RETURNING xmin" : "";
            // The same text for the same columns, so the pooled connection's prepared statement serves every request.
            var sql = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Column}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))}){returning}";
            plans.Add((entries, columns, skipped, sql));
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection) { Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction() };
        foreach (var (entries, columns, _, sql) in plans)
        {
            foreach (var entry in entries)
            {
                var command = new NpgsqlBatchCommand(sql);
                foreach (var (property, _, dbType) in columns)
                {
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = dbType!.Value, Value = Provider(property, entry.Property(property.Name).CurrentValue) ?? DBNull.Value });
                }
                batch.BatchCommands.Add(command);
            }
        }
        var versions = new List<uint?>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            foreach (var (entries, _, skipped, _) in plans)
            {
                var returns = NeedsRowVersion(entries[0].Metadata, skipped);
                foreach (var _ in entries)
                {
                    versions.Add(returns && await reader.ReadAsync(ct) ? reader.GetFieldValue<uint>(0) : null);
                    await reader.NextResultAsync(ct);
                }
            }
        }
        var next = 0;
        foreach (var (entries, _, skipped, _) in plans)
        {
            foreach (var entry in entries)
            {
                Settle(entry, skipped, versions[next++]);
            }
        }
        return (added.Count, added.Count(e => e.Metadata.ClrType == typeof(AuditEvent)));
    }

    private static bool IsUnset(EntityEntry entry, IProperty property)
    {
        var member = entry.Property(property.Name);
        if (member.IsTemporary || member.CurrentValue is null)
        {
            return true;
        }
        var sentinel = property.Sentinel ?? (property.ClrType.IsValueType ? Activator.CreateInstance(property.ClrType) : null);
        return Equals(member.CurrentValue, sentinel);
    }

    private static bool IsRowVersion(IProperty property) => property.IsConcurrencyToken && property.GetColumnName() == "xmin";

    private static async Task<uint> RowVersionAsync(NpgsqlConnection connection, string table, string keyColumn, object key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT xmin FROM \"{table}\" WHERE \"{keyColumn}\" = @key", connection);
        command.Parameters.AddWithValue("key", key);
        return (uint)(await command.ExecuteScalarAsync(ct) ?? throw new UnreachableException($"The row just copied into {table} is not there."));
    }

    /// <summary>The value as PostgreSQL stores it: through the property's converter (enums as text), instants in UTC.</summary>
    private static object? Provider(IProperty property, object? value)
    {
        if (value is null)
        {
            return null;
        }
        var converter = property.GetTypeMapping().Converter;
        var stored = converter is null ? value : converter.ConvertToProvider(value);
        return stored is DateTimeOffset instant ? instant.ToUniversalTime() : stored;
    }

    /// <summary>The column's PostgreSQL type from its store type name (<c>character varying(200)</c>, <c>char(2)[]</c>, <c>jsonb</c>…).</summary>
    private static NpgsqlDbType? DbType(IProperty property)
    {
        var store = property.GetColumnType().Trim();
        var array = store.EndsWith("[]", StringComparison.Ordinal);
        var name = (array ? store[..^2] : store).Split('(')[0].Trim().ToLowerInvariant();
        NpgsqlDbType? type = name switch
        {
            "uuid" => NpgsqlDbType.Uuid,
            "text" => NpgsqlDbType.Text,
            "character varying" or "varchar" => NpgsqlDbType.Varchar,
            "character" or "char" => NpgsqlDbType.Char,
            "boolean" => NpgsqlDbType.Boolean,
            "integer" => NpgsqlDbType.Integer,
            "bigint" => NpgsqlDbType.Bigint,
            "smallint" => NpgsqlDbType.Smallint,
            "date" => NpgsqlDbType.Date,
            "timestamp with time zone" or "timestamptz" => NpgsqlDbType.TimestampTz,
            "jsonb" => NpgsqlDbType.Jsonb,
            "numeric" => NpgsqlDbType.Numeric,
            "double precision" => NpgsqlDbType.Double,
            _ => null,
        };
        return array && type is not null ? NpgsqlDbType.Array | type.Value : type;
    }
}
