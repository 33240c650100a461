using System.Security.Cryptography;

namespace ComplianceHub.Core.Security;

/// <summary>
/// The key that signs the audit chain's checkpoints and the evidence packages' manifests: ECDSA over NIST P-256 with SHA-256
/// (FIPS 186-5), signatures in the DER form (RFC 3279) that <c>openssl dgst -sha256 -verify</c> reads. Its id is the lower-case
/// hex SHA-256 of the public key's DER SubjectPublicKeyInfo — what <c>openssl pkey -pubin -outform DER | sha256sum</c> prints.
/// The private half lives in a file readable only by the portal's account, never in the database (<see cref="KeyFiles"/>).
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa key;

    private AuditSigningKey(ECDsa key, bool hasPrivateKey)
    {
        this.key = key;
        HasPrivateKey = hasPrivateKey;
        var publicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(publicKey));
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Lower-case hex SHA-256 of the DER public key: the key's fingerprint.</summary>
    public string KeyId { get; }

    /// <summary>The public key as PEM (<c>-----BEGIN PUBLIC KEY-----</c>), for an auditor.</summary>
    public string PublicKeyPem { get; }

    /// <summary>False for a key read from a public key (it verifies, it cannot sign).</summary>
    public bool HasPrivateKey { get; }

    /// <summary>Reads a PKCS#8 private key (<c>-----BEGIN PRIVATE KEY-----</c>) or a public key PEM from <paramref name="path"/>.</summary>
    public static AuditSigningKey Load(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The audit signing key could not be read from {path}: {ex.Message}", ex);
        }
        return FromPem(pem, path);
    }

    /// <summary>Reads a key from PEM text; <paramref name="source"/> names it in errors.</summary>
    public static AuditSigningKey FromPem(string pem, string source = "the PEM text")
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{source} holds no ECDSA key in PEM form: {ex.Message}", ex);
        }
        var hasPrivateKey = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        if (key.KeySize is not (256 or 384))
        {
            key.Dispose();
            throw new InvalidOperationException($"{source} holds a {key.KeySize}-bit key; the audit signing key is ECDSA P-256 or P-384.");
        }
        return new AuditSigningKey(key, hasPrivateKey);
    }

    /// <summary>The DER signature of <paramref name="data"/> (SHA-256 for P-256, SHA-384 for P-384).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey)
        {
            throw new InvalidOperationException("This is a public key: it verifies signatures but cannot make them.");
        }
        return key.SignData(data, Hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>True when <paramref name="signature"/> (DER) is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.VerifyData(data, signature, Hash, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private HashAlgorithmName Hash => key.KeySize == 384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public void Dispose() => key.Dispose();
}
