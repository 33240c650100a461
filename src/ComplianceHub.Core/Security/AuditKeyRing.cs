namespace ComplianceHub.Core.Security;

/// <summary>
/// The audit signing keys this installation trusts, read from files outside the database (<see cref="KeyFiles"/>): the current
/// key, which signs new checkpoints, and the public halves of the earlier ones (<c>Keys:PreviousAuditSigningKeys</c>), which
/// still verify the checkpoints they signed. A checkpoint is verified only against a key of this ring, chosen by its key id —
/// never against a key found in the database or in what is being verified, which whoever forged it could have put there.
/// </summary>
public sealed class AuditKeyRing : IDisposable
{
    private readonly Dictionary<string, AuditSigningKey> trusted;

    private AuditKeyRing(AuditSigningKey? signingKey, IEnumerable<AuditSigningKey> previous)
    {
        SigningKey = signingKey;
        trusted = new Dictionary<string, AuditSigningKey>(StringComparer.Ordinal);
        foreach (var key in previous)
        {
            trusted.TryAdd(key.KeyId, key);
        }
        if (signingKey is not null)
        {
            trusted[signingKey.KeyId] = signingKey;
        }
    }

    /// <summary>No keys: nothing can be signed, and no checkpoint verifies (an installation without key files).</summary>
    public static AuditKeyRing Empty => new(null, []);

    /// <summary>The current signing key (with its private half), or null when no key files are configured.</summary>
    public AuditSigningKey? SigningKey { get; }

    /// <summary>The id of the key that signs now, or null.</summary>
    public string? CurrentKeyId => SigningKey?.KeyId;

    /// <summary>The ids of every trusted key, the current one included.</summary>
    public IReadOnlyCollection<string> TrustedKeyIds => trusted.Keys;

    /// <summary>The trusted key with id <paramref name="keyId"/>, or null when the installation does not know it.</summary>
    public AuditSigningKey? Find(string keyId) => trusted.GetValueOrDefault(keyId);

    /// <summary>The configured keys: the current signing key and every earlier public key listed.</summary>
    public static AuditKeyRing Load(KeyFiles files) =>
        new(files.LoadAuditSigningKey(), files.PreviousAuditSigningKeys.Select(AuditSigningKey.Load).ToList());

    /// <summary>A ring of the given keys (tests, and a verifier given public keys out of band).</summary>
    public static AuditKeyRing Of(AuditSigningKey? signingKey, params AuditSigningKey[] previous) => new(signingKey, previous);

    /// <summary>The first 16 hex digits of a key id, as people are shown it (the whole id is in the API and the checkpoint file).</summary>
    public static string ShortId(string keyId) => keyId.Length > 16 ? keyId[..16] : keyId;

    public void Dispose()
    {
        foreach (var key in trusted.Values)
        {
            key.Dispose();
        }
    }
}
