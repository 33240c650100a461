using ComplianceHub.Core.Data;
using ComplianceHub.Tests.Shared;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// The portal's pool does not reset a connection when it goes back (<see cref="DataServiceCollectionExtensions.ForThePortal"/>).
/// What a change leaves unfinished must still not reach the next user of that connection: a transaction handed back open is
/// rolled back, with its locks and settings.
/// </summary>
public sealed class PooledConnectionTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task AConnectionHandedBackInsideATransaction_ComesBackWithNoTransactionLockOrSetting()
    {
        // A pool of its own (the pool is per connection string) with one connection, so the second open gets the same one —
        // unless the pool dropped it while the machine was busy (then the next open is a new session, clean anyway). Whatever
        // comes back is checked each time, and the reuse itself must be seen at least once in a few tries.
        var portal = DataServiceCollectionExtensions.ForThePortal(fixture.Database.AppConnectionString);
        var connectionString = new NpgsqlConnectionStringBuilder(portal) { ApplicationName = $"pool-test-{Guid.NewGuid():N}", MaxPoolSize = 1 }.ConnectionString;
        Assert.True(new NpgsqlConnectionStringBuilder(connectionString).NoResetOnClose);
        const long lockKey = 0x504F_4F4C_5445; // "POOLTE"

        var reused = 0;
        for (var attempt = 0; attempt < 5 && reused == 0; attempt++)
        {
            int firstBackend;
            object? firstTransaction;
            await using (var first = new NpgsqlConnection(connectionString))
            {
                await first.OpenAsync();
                var transaction = await first.BeginTransactionAsync();
                firstBackend = (int)(await ScalarAsync(first, "SELECT pg_backend_pid()"))!;
                firstTransaction = await ScalarAsync(first, "SELECT pg_current_xact_id()::text");
                await ScalarAsync(first, $"SELECT pg_advisory_xact_lock({lockKey})");
                await ScalarAsync(first, "SET LOCAL statement_timeout = '123s'");
                Assert.Equal("123s", await ScalarAsync(first, "SHOW statement_timeout"));
                // Handed back without a commit or a rollback: the transaction object is dropped, not disposed.
                GC.KeepAlive(transaction);
            }

            await using var second = new NpgsqlConnection(connectionString);
            await second.OpenAsync();
            Assert.Equal(0L, await ScalarAsync(second, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"));
            Assert.NotEqual("123s", await ScalarAsync(second, "SHOW statement_timeout"));
            if ((int)(await ScalarAsync(second, "SELECT pg_backend_pid()"))! == firstBackend)
            {
                reused++; // the same server session: the transaction it was handed back in was rolled back, not left open or committed
                Assert.Equal("aborted", await ScalarAsync(second, $"SELECT pg_xact_status('{firstTransaction}'::xid8)"));
            }
        }
        Assert.True(reused > 0, "The pool never handed the same server session back in five tries: the reuse path was not exercised.");
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
