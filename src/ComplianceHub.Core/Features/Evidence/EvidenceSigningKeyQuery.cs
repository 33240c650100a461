using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>A public key that verifies evidence packages and chain checkpoints, with its id.</summary>
/// <param name="KeyId">Lower-case hex SHA-256 of the DER public key (what <c>openssl pkey -pubin -outform DER | sha256sum</c> prints).</param>
/// <param name="PublicKeyPem">The public key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</param>
public sealed record EvidenceVerificationKey(string KeyId, string PublicKeyPem);

/// <summary>The key that signs the installation's evidence packages, and the earlier ones still configured.</summary>
/// <param name="KeyId">The current key's id: every package built now names it in its manifest.</param>
/// <param name="Algorithm">How packages are signed (<see cref="EvidencePackage.SignatureAlgorithm"/>).</param>
/// <param name="PublicKeyPem">The current public key.</param>
/// <param name="PreviousKeys">Keys rotated out (<c>Keys:PreviousAuditSigningKeys</c>): older packages and checkpoints verify with them.</param>
public sealed record EvidenceSigningKey(string KeyId, string Algorithm, string PublicKeyPem, IReadOnlyList<EvidenceVerificationKey> PreviousKeys)
{
    /// <summary>What the portal says wherever it hands out the key: it is a convenience, not the key to trust.</summary>
    public const string TrustNote =
        "A convenience: the portal that builds the packages serves this key, so whoever controlled the portal could serve their own. " +
        "Verify with the key the installation's operator gave you out of band, and compare its id with this one.";
}

/// <summary>The public half of the audit signing key, for auditors and administrators (the private half never leaves its file).</summary>
public sealed class EvidenceSigningKeyQuery(KeyFiles? keys = null)
{
    /// <summary>The signing key's public half; null when no key is configured (no package can then be built).</summary>
    /// <exception cref="UnauthorizedAccessException">The actor is neither an auditor nor an administrator.</exception>
    public EvidenceSigningKey? Get(Actor actor)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("The evidence signing key is shown to auditors and administrators.");
        }
        if (keys is null)
        {
            return null;
        }
        using var key = keys.LoadAuditSigningKey();
        var previous = keys.PreviousAuditSigningKeys.Select(path =>
        {
            using var old = AuditSigningKey.Load(path);
            return new EvidenceVerificationKey(old.KeyId, old.PublicKeyPem);
        }).ToList();
        return new EvidenceSigningKey(key.KeyId, EvidencePackage.SignatureAlgorithm, key.PublicKeyPem, previous);
    }
}
