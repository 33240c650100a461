using System.Data.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Common.Idempotency;

/// <summary>How long keys live and how a claim is held (configuration section <c>Idempotency</c>, ADR 0041).</summary>
public sealed class IdempotencyOptions
{
    /// <summary>How long a key and its response are kept after the first request (the draft's "expiry"); 24 hours by default.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A running request renews its claim every third of this; a claim not renewed for this long (its instance died before the
    /// change committed) may be taken over by a retry. 30 seconds by default.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Responses larger than this are not kept: a retry is told the change was applied, without the body. 1 MiB by default.</summary>
    public int MaxStoredResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Expired keys deleted per statement by the purge (bounded batches).</summary>
    public int PurgeBatch { get; set; } = 1_000;
}

/// <summary>What a claim found.</summary>
public abstract record ClaimResult
{
    /// <summary>The key is this request's: run it under <see cref="IdempotencyScope"/>.</summary>
    public sealed record Claimed(Guid Token) : ClaimResult;

    /// <summary>Another request with the key is running now.</summary>
    public sealed record InFlight : ClaimResult;

    /// <summary>The key was used for a different request (method, path or body).</summary>
    public sealed record Mismatch(string Method, string Path) : ClaimResult;

    /// <summary>The request ran before and its response was stored: replay it.</summary>
    public sealed record Stored(int Status, string? ContentType, string? Location, byte[] Body) : ClaimResult;

    /// <summary>
    /// The request's change committed, but its response is not kept (the instance stopped between the commit and storing it, or the
    /// response was larger than kept): never apply it again; say so.
    /// </summary>
    public sealed record AppliedWithoutResponse(DateTimeOffset AppliedAt, long? AuditSequence, int? Status, string? Location) : ClaimResult;
}

/// <summary>
/// The <c>idempotency_keys</c> table (ADR 0041). Claims race across instances, so they are single SQL statements
/// (<c>INSERT … ON CONFLICT</c>); the applied mark is an UPDATE in the change's own transaction that must find the caller's claim,
/// or the change rolls back.
/// </summary>
public sealed class IdempotencyStore(IDbContextFactory<ComplianceDbContext> contexts, IOptions<IdempotencyOptions> options, TimeProvider clock)
{
    private IdempotencyOptions Options => options.Value;

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="callerId"/>: a new key, an expired one, or one whose request stopped before
    /// its change committed (its claim not renewed for <see cref="IdempotencyOptions.ClaimLease"/>) becomes this request's.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(Guid callerId, string key, string fingerprint, string method, string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await OnConnectionAsync(c => TryClaimAsync(c, callerId, key, fingerprint, method, path, ct), ct);
            if (result is not null)
            {
                return result;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException("The idempotency key could neither be claimed nor read.");
            }
            // purged between the claim and the read: claim it again
        }
    }

    private async Task<ClaimResult?> TryClaimAsync(DbConnection connection, Guid callerId, string key, string fingerprint, string method, string path, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var token = Guid.CreateVersion7();
        await using (var claim = Command(connection, """
            INSERT INTO idempotency_keys (caller_id, key, fingerprint, method, path, claim_token, claimed_at, created_at, expires_at, response_body_kept)
            VALUES (@caller, @key, @fingerprint, @method, @path, @token, @now, @now, @expires, false)
            ON CONFLICT (caller_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, method = EXCLUDED.method, path = EXCLUDED.path,
                claim_token = EXCLUDED.claim_token, claimed_at = EXCLUDED.claimed_at, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
                applied_at = NULL, audit_sequence = NULL, response_status = NULL, response_content_type = NULL, response_location = NULL,
                response_body = NULL, response_body_kept = false, completed_at = NULL
            WHERE idempotency_keys.expires_at <= @now
               OR (idempotency_keys.applied_at IS NULL AND idempotency_keys.response_status IS NULL
                   AND idempotency_keys.claimed_at <= @stale AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
            RETURNING claim_token
            """,
            ("caller", callerId), ("key", key), ("fingerprint", fingerprint), ("method", method), ("path", path), ("token", token),
            ("now", now), ("expires", now + Options.Lifetime), ("stale", now - Options.ClaimLease)))
        {
            if (await claim.ExecuteScalarAsync(ct) is Guid claimed && claimed == token)
            {
                return new ClaimResult.Claimed(token);
            }
        }
        await using var read = Command(connection, """
            SELECT fingerprint, method, path, applied_at, audit_sequence, response_status, response_content_type, response_location,
                   response_body, response_body_kept, claimed_at
            FROM idempotency_keys WHERE caller_id = @caller AND key = @key
            """, ("caller", callerId), ("key", key));
        await using var row = await read.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct))
        {
            return null;
        }
        if (row.GetString(0) != fingerprint)
        {
            return new ClaimResult.Mismatch(row.GetString(1), row.GetString(2));
        }
        int? status = row.IsDBNull(5) ? null : row.GetInt32(5);
        var location = row.IsDBNull(7) ? null : row.GetString(7);
        if (status is { } s && row.GetBoolean(9))
        {
            return new ClaimResult.Stored(s, row.IsDBNull(6) ? null : row.GetString(6), location, row.IsDBNull(8) ? [] : (byte[])row[8]);
        }
        // Applied, and its request is storing the response now (its claim is fresh): wait for the response rather than be told it is lost.
        if (!row.IsDBNull(3) && (status is not null || row.GetFieldValue<DateTimeOffset>(10) <= now - Options.ClaimLease))
        {
            return new ClaimResult.AppliedWithoutResponse(row.GetFieldValue<DateTimeOffset>(3), row.IsDBNull(4) ? null : row.GetInt64(4), status, location);
        }
        return new ClaimResult.InFlight();
    }

    /// <summary>
    /// Marks the claim applied in the transaction of <paramref name="db"/>, which is about to commit the request's change; throws when
    /// the claim is no longer the caller's (taken over after its lease ran out), so the change rolls back rather than apply twice.
    /// </summary>
    internal async Task MarkAppliedAsync(ComplianceDbContext db, IdempotencyScope scope, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("The applied mark joins the change's transaction.");
        await using var command = Command(db.Database.GetDbConnection(), """
            UPDATE idempotency_keys SET applied_at = COALESCE(applied_at, @now), audit_sequence = COALESCE(@sequence, audit_sequence)
            WHERE caller_id = @caller AND key = @key AND claim_token = @token
            """, ("now", clock.GetUtcNow()), ("sequence", (object?)db.LastAppendedSequence ?? DBNull.Value),
            ("caller", scope.CallerId), ("key", scope.Key), ("token", scope.ClaimToken));
        command.Transaction = transaction.GetDbTransaction();
        if (await command.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new IdempotencyClaimLostException();
        }
        scope.MarkPending = true;
    }

    /// <summary>
    /// Renews the claim while its request runs. A row locked by the request's own committing transaction is skipped (it is alive);
    /// nothing is renewed once the change is applied or the response stored.
    /// </summary>
    public Task RenewAsync(IdempotencyScope scope, CancellationToken ct) => ExecuteAsync("""
        UPDATE idempotency_keys SET claimed_at = @now
        WHERE ctid = (SELECT ctid FROM idempotency_keys WHERE caller_id = @caller AND key = @key AND claim_token = @token
                      AND applied_at IS NULL AND response_status IS NULL FOR UPDATE SKIP LOCKED)
        """, ct, ("now", clock.GetUtcNow()), ("caller", scope.CallerId), ("key", scope.Key), ("token", scope.ClaimToken));

    /// <summary>Stores the response of the claim (the body only when it was kept whole).</summary>
    public Task StoreResponseAsync(IdempotencyScope scope, int status, string? contentType, string? location, byte[]? body, CancellationToken ct) =>
        ExecuteAsync("""
            UPDATE idempotency_keys SET response_status = @status, response_content_type = @type, response_location = @location,
                response_body = @body, response_body_kept = @kept, completed_at = @now
            WHERE caller_id = @caller AND key = @key AND claim_token = @token
            """, ct, ("status", status), ("type", (object?)Truncate(contentType, 200) ?? DBNull.Value),
            ("location", (object?)Truncate(location, 2048) ?? DBNull.Value), ("body", (object?)body ?? DBNull.Value), ("kept", body is not null),
            ("now", clock.GetUtcNow()), ("caller", scope.CallerId), ("key", scope.Key), ("token", scope.ClaimToken));

    /// <summary>Gives the key up (the request failed before any change committed), so a retry runs it.</summary>
    public Task ReleaseAsync(IdempotencyScope scope, CancellationToken ct) => ExecuteAsync(
        "DELETE FROM idempotency_keys WHERE caller_id = @caller AND key = @key AND claim_token = @token AND applied_at IS NULL",
        ct, ("caller", scope.CallerId), ("key", scope.Key), ("token", scope.ClaimToken));

    /// <summary>Deletes expired keys, <see cref="IdempotencyOptions.PurgeBatch"/> per statement; the number deleted.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var deleted = await ExecuteAsync("""
                DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM idempotency_keys WHERE expires_at <= @now LIMIT @batch FOR UPDATE SKIP LOCKED))
                """, ct, ("now", clock.GetUtcNow()), ("batch", Options.PurgeBatch));
            total += deleted;
            if (deleted < Options.PurgeBatch)
            {
                return total;
            }
        }
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        OnConnectionAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    /// <summary>Runs <paramref name="work"/> on a pooled context's connection, opened for it and closed again (never disposed: the pool owns it).</summary>
    private async Task<T> OnConnectionAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work(db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }
}

/// <summary>The request's idempotency claim was taken over by a retry before its change committed: the change is rolled back.</summary>
public sealed class IdempotencyClaimLostException() : Exception("A retry of this request took its Idempotency-Key over; this attempt was rolled back and changed nothing.");
