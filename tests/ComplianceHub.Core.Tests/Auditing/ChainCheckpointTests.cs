using System.Diagnostics;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Tests.Auditing;

/// <summary>
/// A checkpoint is an ECDSA signature of a short text an outsider can rebuild; any change to what it states, or another key,
/// fails it; and OpenSSL, given only the public key, agrees.
/// </summary>
public sealed class ChainCheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"compliancehub-checkpoint-{Guid.NewGuid():N}");
    private readonly AuditSigningKey key;
    private readonly AuditSigningKey otherKey;
    private static readonly DateTimeOffset At = new(2026, 12, 6, 11, 30, 15, 123, TimeSpan.Zero);

    public ChainCheckpointTests()
    {
        KeyFiles.Create(folder);
        key = KeyFiles.InFolder(folder).LoadAuditSigningKey();
        var other = Path.Combine(folder, "other");
        KeyFiles.Create(other);
        otherKey = KeyFiles.InFolder(other).LoadAuditSigningKey();
    }

    public void Dispose()
    {
        key.Dispose();
        otherKey.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void TheSignedText_IsFourLines_AnOutsiderCanRebuild()
    {
        var checkpoint = ChainCheckpoint.Sign(key, 10_000, new string('a', 64), At.AddTicks(7));
        Assert.Equal($"compliancehub-checkpoint/1\n10000\n{new string('a', 64)}\n2026-12-06T11:30:15.123000Z\n", checkpoint.Text);
        Assert.Equal(key.KeyId, checkpoint.KeyId);
        Assert.True(checkpoint.IsSignedBy(key));
    }

    [Fact]
    public void AnyChangeToWhatItStates_OrAnotherKey_FailsIt()
    {
        var checkpoint = ChainCheckpoint.Sign(key, 42, new string('b', 64), At);
        ChainCheckpoint[] forged =
        [
            ChainCheckpoint.Of(43, checkpoint.Hash, checkpoint.SignedAt, checkpoint.KeyId, checkpoint.Signature),
            ChainCheckpoint.Of(42, new string('c', 64), checkpoint.SignedAt, checkpoint.KeyId, checkpoint.Signature),
            ChainCheckpoint.Of(42, checkpoint.Hash, checkpoint.SignedAt.AddMicroseconds(1), checkpoint.KeyId, checkpoint.Signature),
            ChainCheckpoint.Of(42, checkpoint.Hash, checkpoint.SignedAt, checkpoint.KeyId, [.. checkpoint.Signature[..^1], (byte)(checkpoint.Signature[^1] ^ 1)]),
        ];
        Assert.All(forged, f => Assert.False(f.IsSignedBy(key)));
        // Re-signed with another key: valid for that key, not for ours (the key id names the other key).
        var resigned = ChainCheckpoint.Sign(otherKey, 42, checkpoint.Hash, At);
        Assert.False(resigned.IsSignedBy(key));
        Assert.True(resigned.IsSignedBy(otherKey));
    }

    [Fact]
    public void ItsJsonLine_RoundTrips()
    {
        var checkpoint = ChainCheckpoint.Sign(key, 7, new string('d', 64), At);
        var back = ChainCheckpoint.FromJsonLine(checkpoint.ToJsonLine());
        Assert.NotNull(back);
        Assert.Equal(checkpoint.Text, back.Text);
        Assert.True(back.IsSignedBy(key));
        Assert.Null(ChainCheckpoint.FromJsonLine("{\"sequence\": 7}"));
        Assert.Null(ChainCheckpoint.FromJsonLine("not json"));
    }

    [Fact]
    public void OpenSsl_VerifiesIt_WithThePublicKeyAlone()
    {
        var checkpoint = ChainCheckpoint.Sign(key, 99, new string('e', 64), At);
        var text = Path.Combine(folder, "checkpoint.txt");
        var signature = Path.Combine(folder, "checkpoint.sig");
        File.WriteAllText(text, checkpoint.Text, new UTF8Encoding(false));
        File.WriteAllBytes(signature, checkpoint.Signature);
        var publicKey = Path.Combine(folder, KeyFiles.AuditSigningPublicKeyFile);

        Assert.Equal((0, "Verified OK"), OpenSsl("dgst", "-sha256", "-verify", publicKey, "-signature", signature, text));
        File.WriteAllText(text, checkpoint.Text.Replace("\n99\n", "\n98\n", StringComparison.Ordinal), new UTF8Encoding(false));
        Assert.Equal((1, "Verification failure"), OpenSsl("dgst", "-sha256", "-verify", publicKey, "-signature", signature, text));
    }

    private static (int ExitCode, string FirstLine) OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Split('\n')[0].Trim());
    }
}
