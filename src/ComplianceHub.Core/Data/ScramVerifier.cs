using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677; the format of <c>pg_authid.rolpassword</c>):
/// <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c>. Computed here, as psql's <c>\password</c>
/// does, so that <c>ALTER ROLE … PASSWORD</c> carries the verifier and the password itself never reaches the server (its log,
/// <c>pg_stat_activity</c>, <c>pg_stat_statements</c>).
/// </summary>
public static class ScramVerifier
{
    /// <summary>PostgreSQL's default (<c>scram_iterations</c>, fixed at 4096 before PostgreSQL 16).</summary>
    public const int Iterations = 4096;

    /// <summary>
    /// Whether the verifier computed here is the one PostgreSQL would compute: PostgreSQL first normalises the password with
    /// SASLprep, which leaves printable ASCII as it is (and uses a password SASLprep refuses as it is); other passwords are
    /// left to the server to hash.
    /// </summary>
    public static bool Supports(string password) => password.Length > 0 && password.All(c => c is >= ' ' and <= '~');

    /// <summary>A verifier for <paramref name="password"/> with a new random 16-byte salt.</summary>
    public static string For(string password) => For(password, RandomNumberGenerator.GetBytes(16), Iterations);

    /// <summary>The verifier for <paramref name="password"/> with the given salt and iteration count.</summary>
    public static string For(string password, byte[] salt, int iterations)
    {
        if (!Supports(password))
        {
            throw new ArgumentException("Only printable ASCII passwords are hashed here (SASLprep leaves them unchanged).", nameof(password));
        }
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
