using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Tests.Authorization;

/// <summary>ASVS 5.0 V6.5.2: recovery codes (50 bits each) are stored with a salted, slow hash, and spent once.</summary>
public sealed class RecoveryCodeSetTests
{
    private static string Sha256(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    [Fact]
    public void NewCodes_AreStoredSaltedAndSlow_NeverAsTheirBareHash()
    {
        var stored = RecoveryCodeSet.New(["ABCDE23456", "FGHJK78923"]).Format();

        Assert.StartsWith($"pbkdf2-sha256:{RecoveryCodeSet.DefaultIterations}:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256("ABCDE23456"), stored, StringComparison.Ordinal);
        Assert.DoesNotContain("ABCDE23456", stored, StringComparison.Ordinal);
        Assert.Equal(2, RecoveryCodeSet.CountOf(stored));
        // The same code for another account is stored differently (its own salt).
        Assert.NotEqual(stored.Split(':')[3].Split(';')[0], RecoveryCodeSet.New(["ABCDE23456"]).Format().Split(':')[3]);
    }

    [Fact]
    public void ACode_IsSpentOnce_AndAWrongOneSpendsNothing()
    {
        var set = RecoveryCodeSet.Parse(RecoveryCodeSet.New(["ABCDE23456", "FGHJK78923"]).Format())!;

        Assert.False(set.Spend("ZZZZZ99999"));
        Assert.True(set.Spend("ABCDE23456"));
        Assert.False(set.Spend("ABCDE23456"));
        var left = set.Format();
        Assert.Equal(1, RecoveryCodeSet.CountOf(left));
        Assert.True(RecoveryCodeSet.Parse(left)!.Spend("FGHJK78923"));
    }

    [Fact]
    public void CodesStoredBefore_AsBareSha256_StillWork_AndAreStoredSaltedOnceRead()
    {
        var legacy = $"{Sha256("ABCDE23456")};{Sha256("FGHJK78923")}";
        Assert.Equal(2, RecoveryCodeSet.CountOf(legacy));

        var set = RecoveryCodeSet.Parse(legacy)!;
        Assert.True(set.Spend("FGHJK78923"));
        var upgraded = set.Format();

        Assert.StartsWith("pbkdf2-sha256:", upgraded, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256("ABCDE23456"), upgraded, StringComparison.Ordinal);
        Assert.True(RecoveryCodeSet.Parse(upgraded)!.Spend("ABCDE23456"));
    }
}
