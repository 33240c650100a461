using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace ComplianceHub.Core.Security;

/// <summary>
/// Where the portal's secret keys live: in files on the host, outside the database (issue 19, ADR 0031). Whoever reads the
/// database — the application's role, the owner, a backup — gets no key from it: the data-protection key ring in the
/// database is encrypted to <see cref="DataProtectionCertificate"/>, and the audit chain's checkpoints are signed with
/// <see cref="AuditSigningKey"/>, whose public half an auditor is given out of band.
/// Configuration section <c>Keys</c>; in Development, when nothing is configured, a generated set in
/// <see cref="DevelopmentFolder"/> (never in production: there, missing keys stop the portal at start).
/// </summary>
public sealed record KeyFiles(string DataProtectionCertificate, string DataProtectionKey, string AuditSigningKey,
    IReadOnlyList<string> PreviousDataProtectionCertificates, IReadOnlyList<string> PreviousAuditSigningKeys)
{
    public const string Section = "Keys";

    /// <summary>The file names <see cref="Create"/> writes in a folder.</summary>
    public const string DataProtectionCertificateFile = "data-protection.crt";
    public const string DataProtectionKeyFile = "data-protection.key";
    public const string AuditSigningKeyFile = "audit-signing.key";
    public const string AuditSigningPublicKeyFile = "audit-signing.pub.pem";

    /// <summary>
    /// The generated development set: <c>~/.local/share/ComplianceHub/development-keys</c> (or under <c>XDG_DATA_HOME</c>),
    /// per account, so a developer's cookies and checkpoints survive restarts.
    /// </summary>
    public static string DevelopmentFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "ComplianceHub", "development-keys");

    /// <summary>The key files a folder made by <see cref="Create"/> holds.</summary>
    public static KeyFiles InFolder(string folder) => new(
        Path.Combine(folder, DataProtectionCertificateFile), Path.Combine(folder, DataProtectionKeyFile),
        Path.Combine(folder, AuditSigningKeyFile), [], []);

    /// <summary>
    /// The configured key files (<c>Keys:Folder</c>, or each file by name, which wins over the folder), or in Development the
    /// generated set, made on first use; null when nothing is configured outside Development.
    /// </summary>
    public static KeyFiles? Resolve(IConfiguration configuration, bool development)
    {
        var section = configuration.GetSection(Section);
        var folder = section["Folder"];
        if (string.IsNullOrWhiteSpace(folder) && string.IsNullOrWhiteSpace(section[nameof(DataProtectionCertificate)]))
        {
            if (!development)
            {
                return null;
            }
            folder = DevelopmentFolder;
            Create(folder);
        }
        var inFolder = string.IsNullOrWhiteSpace(folder) ? null : InFolder(folder);
        string Path(string name, string? fallback) =>
            section[name] is { Length: > 0 } path ? path
            : fallback ?? throw new InvalidOperationException($"{Section}:{name} is not configured (or set {Section}:Folder).");
        return new KeyFiles(
            Path(nameof(DataProtectionCertificate), inFolder?.DataProtectionCertificate),
            Path(nameof(DataProtectionKey), inFolder?.DataProtectionKey),
            Path(nameof(AuditSigningKey), inFolder?.AuditSigningKey),
            section.GetSection(nameof(PreviousDataProtectionCertificates)).Get<string[]>() ?? [],
            section.GetSection(nameof(PreviousAuditSigningKeys)).Get<string[]>() ?? []);
    }

    /// <summary>What to tell an operator whose installation has no keys configured.</summary>
    public static string NotConfiguredMessage =>
        $"The key files are not configured. Create them once with `ComplianceHub.Cli keys create --folder /etc/compliancehub/keys` " +
        $"(as the account the portal runs as), then set {Section}__Folder=/etc/compliancehub/keys. See docs/operations.md, \"Keys\".";

    /// <summary>The data-protection certificate with its private key (RSA; key ring entries are encrypted to it).</summary>
    public X509Certificate2 LoadDataProtectionCertificate() => LoadCertificate(DataProtectionCertificate, DataProtectionKey);

    /// <summary>Earlier data-protection certificates (each <c>certificate.crt</c> beside its <c>.key</c>), still accepted for decrypting.</summary>
    public IEnumerable<X509Certificate2> LoadPreviousDataProtectionCertificates() =>
        PreviousDataProtectionCertificates.Select(c => LoadCertificate(c, System.IO.Path.ChangeExtension(c, ".key")));

    private static X509Certificate2 LoadCertificate(string certificate, string key)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"The data-protection certificate could not be read from {certificate} and {key}: {ex.Message}", ex);
        }
    }

    /// <summary>The audit signing key (ECDSA P-256) from <see cref="AuditSigningKey"/>.</summary>
    public AuditSigningKey LoadAuditSigningKey() => Security.AuditSigningKey.Load(AuditSigningKey);

    /// <summary>
    /// Writes a new set into <paramref name="folder"/> — an RSA 3072 self-signed certificate for data protection and an ECDSA
    /// P-256 signing key with its public half — each private file readable by this account only (0600, the folder 0700).
    /// Files already there are kept: safe to run twice. Processes creating the same folder at once take turns (a lock file),
    /// and each file appears whole or not at all. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> Create(string folder)
    {
        var directory = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }
        using var turn = TakeTurn(Path.Combine(folder, ".lock"));
        var written = new List<string>();
        var files = InFolder(folder);
        if (!File.Exists(files.DataProtectionCertificate) || !File.Exists(files.DataProtectionKey))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=ComplianceHub data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
            // The key first: a reader that finds the certificate finds its key.
            WriteOnce(files.DataProtectionKey, rsa.ExportPkcs8PrivateKeyPem(), secret: true, written);
            WriteOnce(files.DataProtectionCertificate, certificate.ExportCertificatePem(), secret: false, written);
        }
        if (!File.Exists(files.AuditSigningKey))
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            WriteOnce(files.AuditSigningKey, ecdsa.ExportPkcs8PrivateKeyPem(), secret: true, written);
        }
        var publicFile = Path.Combine(folder, AuditSigningPublicKeyFile);
        if (!File.Exists(publicFile))
        {
            using var key = Security.AuditSigningKey.Load(files.AuditSigningKey);
            WriteOnce(publicFile, key.PublicKeyPem, secret: false, written);
        }
        return written;
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (flock on Unix), waited for up to a minute.</summary>
    private static FileStream TakeTurn(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> to a private temporary file and moves it into place unless the file exists.</summary>
    private static void WriteOnce(string path, string text, bool secret, List<string> written)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Write('\n');
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
            written.Add(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // another process wrote it first: keep theirs
        }
    }
}
