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
    private static readonly Type[] Order = [typeof(Person), typeof(AccessGrant), typeof(Finding), typeof(EvaluationReceipt), typeof(AuditEvent)];

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

    private static async Task<int> CopyAsync(DbContext db, List<EntityEntry> entries, CancellationToken ct)
    {
        var type = entries[0].Metadata;
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var all = type.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();
        // A value PostgreSQL generates (an identity, a default such as the transaction id, the row version) is left out,
        // as EF leaves it out, when no entry sets it; a type where only some entries set it stays with EF.
        var generated = all.Where(p => p.ValueGenerated != ValueGenerated.Never).ToList();
        var skipped = new List<IProperty>();
        foreach (var property in generated)
        {
            var unset = entries.Count(e => IsUnset(e, property));
            if (unset == entries.Count)
            {
                skipped.Add(property);
            }
            else if (unset > 0)
            {
                return 0;
            }
        }
        var columns = all.Except(skipped).Select(p => (Property: p, Column: p.GetColumnName(table)!, Type: DbType(p))).ToList();
        if (columns.Any(c => c.Type is null))
        {
            return 0; // a column this writer cannot name a type for: EF writes the rows
        }

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

        var key = type.FindPrimaryKey()!.Properties;
        if (skipped.Any(p => key.Contains(p) || !IsRowVersion(p)))
        {
            // PostgreSQL made the key (or another value EF would read back): nothing reads these rows back in this context.
            foreach (var entry in entries)
            {
                entry.State = EntityState.Detached;
            }
            return entries.Count;
        }
        // Every row of one COPY carries the same row version (the inserting transaction's id): read it once.
        var versions = skipped.Where(IsRowVersion).ToList();
        uint? version = versions.Count == 0 ? null : await RowVersionAsync(connection, table.Name, key.Single().GetColumnName(table)!,
            entries[0].Property(key.Single().Name).CurrentValue!, ct);
        foreach (var entry in entries)
        {
            entry.State = EntityState.Unchanged;
            foreach (var property in versions)
            {
                var member = entry.Property(property.Name);
                member.OriginalValue = version;
                member.CurrentValue = version;
                member.IsModified = false;
            }
        }
        return entries.Count;
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
