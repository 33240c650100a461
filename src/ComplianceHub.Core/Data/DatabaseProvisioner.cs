using Npgsql;

namespace ComplianceHub.Core.Data;

/// <summary>
/// Creates the two roles and the database when they are missing (idempotent). Runs with a superuser
/// connection; in production a DBA may do the same by hand (docs/operations.md).
/// </summary>
public static class DatabaseProvisioner
{
    // Roles are cluster-wide and test projects provision in parallel: serialise on an advisory lock.
    private const long ProvisionLockKey = 0x4348_5052_4F56; // "CHPROV"

    /// <summary>Ensures both roles and <paramref name="database"/> exist, with the ownership and grants of the design.</summary>
    public static async Task EnsureAsync(string superuserConnectionString, string database,
        string? ownerPassword = null, string? appPassword = null, CancellationToken ct = default)
    {
        RequireValidName(database);

        await using (var conn = new NpgsqlConnection(superuserConnectionString))
        {
            await conn.OpenAsync(ct);
            await Exec(conn, $"SELECT pg_advisory_lock({ProvisionLockKey})", ct);
            try
            {
                await EnsureRole(conn, DatabaseRoles.Owner, ownerPassword, ct);
                await EnsureRole(conn, DatabaseRoles.App, appPassword, ct);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @d", conn);
                exists.Parameters.AddWithValue("d", database);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    await Exec(conn, $"CREATE DATABASE \"{database}\" OWNER {DatabaseRoles.Owner} ENCODING 'UTF8'", ct);
                }
                await Exec(conn, $"REVOKE ALL ON DATABASE \"{database}\" FROM PUBLIC", ct);
                await Exec(conn, $"GRANT CONNECT, TEMPORARY ON DATABASE \"{database}\" TO {DatabaseRoles.App}", ct);
            }
            finally
            {
                await Exec(conn, $"SELECT pg_advisory_unlock({ProvisionLockKey})", ct);
            }
        }

        var inDatabase = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = database };
        await using var db = new NpgsqlConnection(inDatabase.ConnectionString);
        await db.OpenAsync(ct);
        // PostgreSQL 15 already keeps CREATE on public from PUBLIC; make it explicit, and give the schema to the owner.
        await Exec(db, $"ALTER SCHEMA public OWNER TO {DatabaseRoles.Owner}", ct);
        await Exec(db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC", ct);
    }

    /// <summary>
    /// Drops <paramref name="database"/> (closing its connections) and creates it again as <see cref="EnsureAsync"/> does,
    /// empty; the roles and their passwords are kept. Only for a demo database made by retired migrations (ADR 0032).
    /// </summary>
    public static async Task RecreateAsync(string superuserConnectionString, string database, CancellationToken ct = default)
    {
        RequireValidName(database);
        await using (var conn = new NpgsqlConnection(superuserConnectionString))
        {
            await conn.OpenAsync(ct);
            await Exec(conn, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", ct);
        }
        await EnsureAsync(superuserConnectionString, database, ct: ct);
    }

    private static void RequireValidName(string database)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(database, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            throw new ArgumentException("Database names are lower-case letters, digits and underscores.", nameof(database));
        }
    }

    private static async Task EnsureRole(NpgsqlConnection conn, string role, string? password, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = @r", conn);
        cmd.Parameters.AddWithValue("r", role);
        if (await cmd.ExecuteScalarAsync(ct) is null)
        {
            await Exec(conn, $"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION", ct);
        }
        if (!string.IsNullOrEmpty(password))
        {
            // The role stores a scram-sha-256 verifier, computed here when it can be, so that the password itself is not in
            // the statement (a server logging DDL would keep it). Otherwise the server hashes it, told to use scram-sha-256.
            if (!ScramVerifier.Supports(password))
            {
                await Exec(conn, "SET password_encryption = 'scram-sha-256'", ct);
            }
            // Identifiers are constants; the verifier or password is a literal, quoted by PostgreSQL's own quote_literal.
            await using var quote = new NpgsqlCommand("SELECT quote_literal(@p)", conn);
            quote.Parameters.AddWithValue("p", ScramVerifier.Supports(password) ? ScramVerifier.For(password) : password);
            var literal = (string)(await quote.ExecuteScalarAsync(ct))!;
            await Exec(conn, $"ALTER ROLE {role} PASSWORD {literal}", ct);
        }
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
