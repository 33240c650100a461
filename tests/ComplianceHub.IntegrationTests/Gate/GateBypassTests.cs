using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Gate;

/// <summary>Every way around the gate that the application role could take fails at commit (DESIGN.md section 4).</summary>
public sealed class GateBypassTests() : CommandPortalTest("bypass")
{
    private Guid person;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.Data, false, Today, Today.AddDays(30), "Reports"))).Value!.Id;
    }

    [Theory]
    [InlineData("UPDATE people SET work_country = 'CN', work_city = 'Shanghai' WHERE id = '{person}'")]
    [InlineData("UPDATE access_grants SET status = 'Active', ends_on = starts_on + 3650 WHERE id = '{grant}'")]
    [InlineData("DELETE FROM access_grants WHERE id = '{grant}'")]
    [InlineData("INSERT INTO access_grants (id, person_id, system_id, access_type, escorted, starts_on, ends_on, status, requested_by, requested_at, approved_by) SELECT gen_random_uuid(), person_id, system_id, 'Privileged', false, starts_on, ends_on, 'Active', requested_by, requested_at, requested_by FROM access_grants WHERE id = '{grant}'")]
    public async Task RawSql_AsTheApplicationRole_IsRefusedAtCommit(string sql)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(Database.AppConnectionString, sql.Replace("{person}", person.ToString()).Replace("{grant}", grant.ToString())));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
        Assert.Contains("was not evaluated by the compliance gate", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal("US", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT work_country FROM people WHERE id = '{person}'"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM access_grants"));
    }

    /// <summary>A command that declares no roles: nobody may send it.</summary>
    private sealed record Undeclared(Guid PersonId) : Core.Common.ICommand<bool>;

    [Fact]
    public async Task ACommandThatDeclaresNoRoles_IsRefusedForEveryone_BeforeAnythingRuns()
    {
        var before = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!;
        foreach (var actor in new[] { Co1, AcmeRep, Auditor, Actor.ServerOperator })
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(actor, new Undeclared(person)));
            Assert.Contains("declares no [AllowedRoles]", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!);
    }

    [Fact]
    public async Task ABulkUpdate_ThatSkipsTheChangeTracker_IsRefusedAtCommit()
    {
        await using var db = await ContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
#pragma warning disable RS0030 // The banned API is the point of this test: it must fail even when someone suppresses the analyzer.
        await db.Grants.Where(g => g.Id == grant).ExecuteUpdateAsync(s => s.SetProperty(g => g.AccessType, AccessType.Privileged));
#pragma warning restore RS0030
        var ex = await Assert.ThrowsAsync<PostgresException>(() => tx.CommitAsync());
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
        Assert.Equal("Data", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT access_type FROM access_grants WHERE id = '{grant}'"));
    }

    [Fact]
    public async Task ASecondDbContextType_MappedOntoTheSameTable_IsRefusedAtCommit()
    {
        var options = new DbContextOptionsBuilder<RogueContext>().UseNpgsql(Database.AppConnectionString).UseSnakeCaseNamingConvention().Options;
        await using var rogue = new RogueContext(options);
        var row = await rogue.People.SingleAsync(p => p.Id == person);
        row.WorkCountry = "RU";
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => rogue.SaveChangesAsync());
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
        Assert.Equal("US", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT work_country FROM people WHERE id = '{person}'"));
    }

    [Fact]
    public async Task TheGate_IssuesReceiptsForWhatItWrites_IncludingConsequences()
    {
        var receipts = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM evaluation_receipts WHERE subject_id IN ('{person}', '{grant}')"))!;
        Assert.True(receipts >= 2);
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(Database.AppConnectionString, "DELETE FROM evaluation_receipts"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    [Fact]
    public async Task ForgingAReceipt_InAnotherTransaction_DoesNotHelp()
    {
        // A receipt only counts in the transaction that wrote it — and one written without an audit event is refused anyway.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"INSERT INTO evaluation_receipts (subject_table, subject_id, evaluated_at) VALUES ('people', '{person}', now())"));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, refused.SqlState);
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(Database.AppConnectionString, $"UPDATE people SET work_country = 'IR' WHERE id = '{person}'"));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
    }

    [Fact]
    public async Task AReceiptForgedInTheSameTransaction_WithoutAnAuditEvent_IsRefusedAtCommit()
    {
        // The insider's move of issue 19: the application's own role writes the receipt the check looks for, then the change.
        await using var connection = new NpgsqlConnection(Database.AppConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var forge = new NpgsqlCommand($"""
            INSERT INTO evaluation_receipts (subject_table, subject_id, evaluated_at) VALUES ('people', '{person}', now());
            UPDATE people SET work_country = 'CN', work_city = 'Shanghai' WHERE id = '{person}';
            """, connection, tx))
        {
            await forge.ExecuteNonQueryAsync();
        }
        var ex = await Assert.ThrowsAsync<PostgresException>(() => tx.CommitAsync());
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
        Assert.Contains("was written in a transaction that wrote no audit event", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal("US", await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT work_country FROM people WHERE id = '{person}'"));
    }

    [Fact]
    public async Task AReceiptAlone_IsRefusedAtCommit_AndTheGatesOwnReceiptsComeWithTheirEvents()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"INSERT INTO evaluation_receipts (subject_table, subject_id, evaluated_at) VALUES ('access_grants', '{grant}', now())"));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);

        // Every receipt the gate wrote shares its transaction with an audit event.
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, """
            SELECT count(*) FROM evaluation_receipts r
            WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.transaction_id = r.transaction_id)
            """));
        Assert.True((long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM evaluation_receipts"))! >= 2);
    }

    [Fact]
    public async Task Copy_IntoARuleRelevantTable_IsRefusedAtCommit()
    {
        // A privileged copy of the grant, as one line of COPY's text format.
        var line = (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"""
            SELECT concat_ws(E'\t', gen_random_uuid(), person_id, system_id, 'Privileged', 'f', starts_on, ends_on, 'Active', requested_by,
                             requested_at, requested_by)
            FROM access_grants WHERE id = '{grant}'
            """))!;
        await using var connection = new NpgsqlConnection(Database.AppConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var copy = await connection.BeginTextImportAsync(
            "COPY access_grants (id, person_id, system_id, access_type, escorted, starts_on, ends_on, status, requested_by, requested_at, approved_by) FROM STDIN"))
        {
            await copy.WriteLineAsync(line);
        }
        var ex = await Assert.ThrowsAsync<PostgresException>(() => tx.CommitAsync());
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
        Assert.Contains("was not evaluated by the compliance gate", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM access_grants"));
    }

    private sealed class RoguePerson
    {
        public Guid Id { get; set; }
        public string WorkCountry { get; set; } = "";
    }

    private sealed class RogueContext(DbContextOptions<RogueContext> options) : DbContext(options)
    {
        public DbSet<RoguePerson> People => Set<RoguePerson>();

        protected override void OnModelCreating(ModelBuilder b) => b.Entity<RoguePerson>().ToTable("people");
    }
}
