using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The database could not be reached, or the connection was lost, and the change was not retried (ADR 0042). Either nothing
/// was changed (<see cref="OutcomeUnknown"/> false: the transaction never reached its commit, or the commit is known not to
/// have happened), or the connection was lost during the commit and its outcome could not be read back in time
/// (<see cref="OutcomeUnknown"/> true: the change may or may not have been saved). The API answers 503 with Retry-After;
/// pages say so in words.
/// </summary>
public sealed class DatabaseUnavailableException(bool outcomeUnknown, Exception? inner = null)
    : Exception(outcomeUnknown ? UnknownOutcomeMessage : NothingChangedMessage, inner)
{
    /// <summary>The connection was lost during the commit: the change may or may not have been saved.</summary>
    public bool OutcomeUnknown { get; } = outcomeUnknown;

    /// <summary>How long a caller should wait before trying again (the Retry-After the API answers with).</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);

    public const string NothingChangedMessage =
        "The database is not reachable right now; nothing was changed.";

    public const string UnknownOutcomeMessage =
        "The connection to the database was lost while the change was being saved, so it may or may not have been saved. Check before retrying.";
}

/// <summary>
/// What a lost or refused database connection looks like, and what the portal does about it (ADR 0042). A restart of
/// PostgreSQL (<c>pg_ctl restart -m fast</c>, a failover) ends every connection with <c>57P01 admin_shutdown</c>, refuses new
/// ones with <c>57P03 cannot_connect_now</c> while it starts, and refuses them at the socket while it is down. Npgsql does not
/// clear its pool by itself (npgsql/npgsql#5073): every idle pooled connection would fail once before it was dropped. The
/// first failure clears the pool instead (<see cref="ClearPool"/>).
/// </summary>
public static class DatabaseFaults
{
    /// <summary>How long a change whose transaction never committed is tried again before the caller is told (503).</summary>
    public static TimeSpan RetryBudget { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the executor tries to read back whether a commit whose acknowledgement was lost took effect.</summary>
    public static TimeSpan CommitCheckBudget { get; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps) says the connection to PostgreSQL is gone or could not be made:
    /// class 08 (connection exception), 57P01–57P03 (shut down, crashed, starting up), 53300 (too many connections), or a
    /// socket, stream or time-out failure under an <see cref="NpgsqlException"/>. A query's own error (a constraint, a
    /// serialization failure, a cancelled statement) is not.
    /// </summary>
    public static bool IsConnectionFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException:
                    return true;
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when HasCause(npgsql):
                    return true;
            }
        }
        return false;

        static bool HasCause(Exception e)
        {
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is IOException or SocketException or EndOfStreamException or TimeoutException)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// Drops every idle connection of <paramref name="connection"/>'s pool and marks the busy ones to be closed when they
    /// come back: after a restart they are all dead, and each would otherwise fail one request before Npgsql dropped it.
    /// </summary>
    public static void ClearPool(DbConnection? connection)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            NpgsqlConnection.ClearPool(npgsql);
        }
    }

    /// <summary>
    /// The clock of the waits and budgets here: the wall clock, never the injected business clock (a test's fake clock would
    /// never let a wait end).
    /// </summary>
    public static TimeProvider Waiting { get; } = TimeProvider.System;

    /// <summary>A pause before the next try: 0.25 s doubling to 2 s.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 250 * (1 << Math.Min(attempt - 1, 4))));

    /// <summary>
    /// Whether the transaction that appended the audit event <paramref name="sequence"/> with <paramref name="hash"/> committed,
    /// read on a new connection once the database answers again: null when it could not be read within
    /// <see cref="CommitCheckBudget"/>. It takes the chain lock first, which the lost transaction held from its append to its
    /// end, so a transaction still finishing on the server (a network failure, not a restart) is waited for, never read as
    /// "not committed" and then applied twice (for at most the budget, as <c>lock_timeout</c>: then unknown).
    /// </summary>
    public static async Task<bool?> CommittedAsync(string connectionString, long sequence, string hash, CancellationToken ct)
    {
        var clock = Waiting;
        var deadline = clock.GetUtcNow() + CommitCheckBudget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new($"SELECT set_config('lock_timeout', '{(int)CommitCheckBudget.TotalSeconds}s', true)"), // this transaction only
                        new($"SELECT pg_advisory_xact_lock({Auditing.AuditRecorder.ChainLockKey})"),
                        new("SELECT EXISTS (SELECT 1 FROM audit_events WHERE sequence = $1 AND hash = $2)") { Parameters = { new() { Value = sequence }, new() { Value = hash } } },
                    },
                };
                await using var reader = await batch.ExecuteReaderAsync(ct);
                await reader.NextResultAsync(ct);
                await reader.NextResultAsync(ct);
                await reader.ReadAsync(ct);
                return reader.GetBoolean(0);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                return null; // the lost transaction still holds the chain lock: still finishing, or a server that does not answer it
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                if (clock.GetUtcNow() >= deadline)
                {
                    return null;
                }
                await Task.Delay(Backoff(attempt), clock, ct);
            }
        }
    }
}

/// <summary>
/// Clears the pool on the first connection failure of any read or write, or of an open (<see cref="DatabaseFaults.ClearPool"/>),
/// so a database restart costs at most the requests that were using a connection at the time, not one per pooled connection.
/// </summary>
internal sealed class ConnectionFailureInterceptor : IDbCommandInterceptor, IDbConnectionInterceptor
{
    public static ConnectionFailureInterceptor Instance { get; } = new();

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Clear(command.Connection, eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(command.Connection, eventData.Exception);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Clear(connection, eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Clear(connection, eventData.Exception);
        return Task.CompletedTask;
    }

    private static void Clear(DbConnection? connection, Exception exception)
    {
        if (DatabaseFaults.IsConnectionFailure(exception))
        {
            DatabaseFaults.ClearPool(connection);
        }
    }
}
