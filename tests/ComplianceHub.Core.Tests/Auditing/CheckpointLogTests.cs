using System.Security.Cryptography;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Tests.Auditing;

/// <summary>
/// The append-only checkpoint file: one line per checkpoint, appended in the kernel's append mode (what <c>chattr +a</c> lets
/// through), created readable by the portal's account only, read back line by line with any line that is not a checkpoint named.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the portal runs on Linux; the file's mode and append flag are Linux's
public sealed class CheckpointLogTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"compliancehub-checkpointlog-{Guid.NewGuid():N}");
    private readonly AuditSigningKey key;

    public CheckpointLogTests()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        key = AuditSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        key.Dispose();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private ChainCheckpoint Checkpoint(long sequence) =>
        ChainCheckpoint.Sign(key, sequence, Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(sequence))),
            new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero).AddMinutes(sequence));

    [Fact]
    public void EachCheckpoint_IsOneLine_AppendedToAFileOnlyItsOwnerReads_AndReadBack()
    {
        var log = new CheckpointLog(Path.Combine(folder, "sub", CheckpointLog.FileName));
        Assert.Equal(CheckpointFileState.Missing, log.Read().Check.State);
        var written = new[] { Checkpoint(10_000), Checkpoint(20_000), Checkpoint(30_000) };
        foreach (var c in written)
        {
            log.Append(c);
        }

        Assert.Equal(written.Select(c => c.ToJsonLine()), File.ReadAllLines(log.Path!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log.Path!));
        var (read, check) = log.Read();
        Assert.Equal(CheckpointFileState.Compared, check.State);
        Assert.Equal(3, check.Checkpoints);
        Assert.Null(check.Detail);
        Assert.Equal(written.Select(c => (c.Sequence, c.Hash, c.SignedAt, c.KeyId)), read!.Select(c => (c.Sequence, c.Hash, c.SignedAt, c.KeyId)));
        Assert.All(read!, c => Assert.True(c.IsSignedBy(key)));
    }

    [Fact]
    public void ALineThatIsNotACheckpoint_IsLeftOut_AndNamed()
    {
        var log = new CheckpointLog(Path.Combine(folder, CheckpointLog.FileName));
        log.Append(Checkpoint(1));
        File.AppendAllText(log.Path!, "{\"sequence\": 2, \"hash\": \n"); // a line cut short
        log.Append(Checkpoint(3));

        var (read, check) = log.Read();
        Assert.Equal([1L, 3L], read!.Select(c => c.Sequence));
        Assert.Equal(2, check.Checkpoints);
        Assert.Contains("line 2", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFile_IsOpenedInTheKernelsAppendMode()
    {
        // O_APPEND: every write lands at the end, and a file made append-only (chattr +a) accepts it. .NET's FileMode.Append
        // opens without it and seeks once, which chattr +a refuses.
        var path = Path.Combine(folder, CheckpointLog.FileName);
        Directory.CreateDirectory(folder);
        using var handle = CheckpointLog.OpenForAppend(path);
        var fd = handle.DangerousGetHandle().ToInt32();
        var flags = File.ReadAllLines($"/proc/self/fdinfo/{fd}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
        var octal = Convert.ToInt32(flags["flags:".Length..].Trim(), 8);
        const int append = 0x400; // O_APPEND (Linux, octal 02000)
        Assert.True((octal & append) != 0, $"{flags} has no O_APPEND");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(0L, new FileInfo(path).Length);
    }

    [Fact]
    public void NoFileConfigured_WritesNothing_AndSaysSo()
    {
        var log = new CheckpointLog(null);
        log.Append(Checkpoint(1));
        Assert.Null(log.Path);
        Assert.Equal(CheckpointFileState.NotConfigured, log.Read().Check.State);
        Assert.False(Directory.Exists(folder));
    }
}
