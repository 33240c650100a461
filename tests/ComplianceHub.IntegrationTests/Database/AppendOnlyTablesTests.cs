using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;
using ComplianceHub.Tests.Shared;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// The history tables are append-only (issue 19): the application role may INSERT and SELECT, never UPDATE, DELETE or
/// TRUNCATE (privileges), and for the trail, its subject index, the fact history and the chain checkpoints a trigger refuses
/// the owner too. One table of every table and statement, as each role.
/// </summary>
public sealed class AppendOnlyTablesTests(PortalFixture fixture) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        // A checkpoint to refuse changes to (the demo seed signs none); the application role may insert one.
        if ((long)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT count(*) FROM chain_checkpoints"))! == 0)
        {
            using var key = KeyFiles.InFolder(PortalFactory.TestKeys.Folder).LoadAuditSigningKey();
            var head = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT hash FROM audit_events WHERE sequence = 1"))!;
            var checkpoint = ChainCheckpoint.Sign(key, 1, head, DateTimeOffset.UtcNow);
            await using var connection = new NpgsqlConnection(fixture.Database.AppConnectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO chain_checkpoints (sequence, hash, signed_at, key_id, signature) VALUES (1, @h, @t, @k, @s)", connection);
            insert.Parameters.AddWithValue("h", checkpoint.Hash);
            insert.Parameters.AddWithValue("t", checkpoint.SignedAt);
            insert.Parameters.AddWithValue("k", checkpoint.KeyId);
            insert.Parameters.AddWithValue("s", checkpoint.Signature);
            await insert.ExecuteNonQueryAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        foreach (var table in new[] { "audit_events", "audit_event_subjects", "person_fact_history", "chain_checkpoints", "evaluation_receipts" })
        {
            foreach (var statement in new[] { "UPDATE", "DELETE", "TRUNCATE" })
            {
                data.Add(table, statement);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task TheApplicationRole_MayNotChangeOrRemoveHistory(string table, string statement)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, Sql(table, statement)));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        Assert.Contains("permission denied", ex.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit_events", "UPDATE")]
    [InlineData("audit_events", "DELETE")]
    [InlineData("audit_events", "TRUNCATE")]
    [InlineData("person_fact_history", "UPDATE")]
    [InlineData("person_fact_history", "DELETE")]
    [InlineData("person_fact_history", "TRUNCATE")]
    [InlineData("chain_checkpoints", "UPDATE")]
    [InlineData("chain_checkpoints", "DELETE")]
    [InlineData("chain_checkpoints", "TRUNCATE")]
    [InlineData("audit_event_subjects", "TRUNCATE")]
    public async Task EvenTheOwner_IsRefusedByATrigger(string table, string statement)
    {
        var rows = (long)(await TestDatabase.ScalarAsync(fixture.Database.OwnerConnectionString, $"SELECT count(*) FROM {table}"))!;
        Assert.True(rows > 0 || statement == "TRUNCATE", $"{table} has no row for a row trigger to refuse");
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(fixture.Database.OwnerConnectionString, Sql(table, statement)));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        Assert.Equal($"{table} is append-only: {statement} refused", ex.MessageText);
        Assert.Equal(rows, (long)(await TestDatabase.ScalarAsync(fixture.Database.OwnerConnectionString, $"SELECT count(*) FROM {table}"))!);
    }

    private static string Sql(string table, string statement) => statement switch
    {
        "UPDATE" => $"UPDATE {table} SET {FirstColumn(table)} = {FirstColumn(table)}",
        "DELETE" => $"DELETE FROM {table}",
        _ => $"TRUNCATE {table}",
    };

    private static string FirstColumn(string table) => table switch
    {
        "audit_events" or "chain_checkpoints" or "audit_event_subjects" => "sequence",
        "evaluation_receipts" => "subject_id",
        _ => "person_id",
    };
}
