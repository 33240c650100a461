using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>
/// Writes the fact history the gate recorded for a save, in the save's transaction, with one binary COPY instead of one
/// tracked entity and one INSERT per row (a 50,000-person import records 50,000 history rows, one per person). Only the gate calls this, from
/// <see cref="ComplianceDbContext.SaveChangesAsync(bool, CancellationToken)"/>, after the people are saved (the rows
/// reference them) and before the audit events; a refused or rolled-back change writes none of it.
/// </summary>
internal static class FactHistoryWriter
{
    public static async Task<int> WriteAsync(ComplianceDbContext db, IReadOnlyList<PersonFactRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The fact history is written inside the change's transaction.");
        }
        var entity = db.Model.FindEntityType(typeof(PersonFactRecord))!;
        var table = entity.GetTableName()!;
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
        string Column(string property) => entity.FindProperty(property)!.GetColumnName(store)!;
        var columns = string.Join(", ", new[]
        {
            nameof(PersonFactRecord.Id), nameof(PersonFactRecord.PersonId), nameof(PersonFactRecord.Facts),
            nameof(PersonFactRecord.EffectiveOn), nameof(PersonFactRecord.Source), nameof(PersonFactRecord.Sources), nameof(PersonFactRecord.RecordedBy),
            nameof(PersonFactRecord.RecordedByName), nameof(PersonFactRecord.RecordedAt),
        }.Select(p => $"\"{Column(p)}\""));

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        writer.Timeout = BulkInsert.TimeoutFor(rows.Count);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(row.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(row.PersonId, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(row.Facts, NpgsqlDbType.Jsonb, ct);
            await writer.WriteAsync(row.EffectiveOn, NpgsqlDbType.Date, ct);
            await writer.WriteAsync(row.Source.ToString(), NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(writer, row.Sources, NpgsqlDbType.Jsonb, ct);
            await WriteNullableAsync(writer, row.RecordedBy, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(row.RecordedByName, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(row.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
        }
        return (int)await writer.CompleteAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, type, ct);
}
