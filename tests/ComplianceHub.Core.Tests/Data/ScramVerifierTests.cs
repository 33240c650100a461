using ComplianceHub.Core.Data;

namespace ComplianceHub.Core.Tests.Data;

public sealed class ScramVerifierTests
{
    // What PostgreSQL 15 stored for this password (SET password_encryption = 'scram-sha-256'; CREATE ROLE … PASSWORD …;
    // SELECT rolpassword FROM pg_authid): the verifier computed here with its salt must be the same, byte for byte.
    private const string FromPostgres =
        "SCRAM-SHA-256$4096:tmiOl35Hun7b+fARe7pvow==$ZjnmVRnQiwpA1NR7QU8//5ttGSi72s7WqUFs+6Jd7Qo=:rhSe3yxYWYMPw+pcyOcm1MvFmutdrMmfOk6whi9jF9U=";

    [Fact]
    public void TheVerifier_IsTheOnePostgresStores()
    {
        var salt = Convert.FromBase64String("tmiOl35Hun7b+fARe7pvow==");
        Assert.Equal(FromPostgres, ScramVerifier.For("correct horse battery staple", salt, 4096));
        Assert.NotEqual(FromPostgres, ScramVerifier.For("correct horse battery stapler", salt, 4096));
    }

    [Fact]
    public void EachVerifier_HasItsOwnSalt_AndNeverHoldsThePassword()
    {
        const string password = "h2XJ0cP4n-Qd_7vYt1sLk9wZ3eR6uM8aB5fG0iO2pUE";
        var first = ScramVerifier.For(password);
        var second = ScramVerifier.For(password);
        Assert.NotEqual(first, second);
        Assert.StartsWith("SCRAM-SHA-256$4096:", first, StringComparison.Ordinal);
        Assert.DoesNotContain(password, first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correct horse battery staple", true)]
    [InlineData("Demo!2026-ComplianceHub~", true)]
    [InlineData("", false)]
    [InlineData("passwört", false)] // SASLprep could change it: the server hashes it
    [InlineData("tab\there", false)]
    public void OnlyPrintableAscii_IsHashedHere(string password, bool supported)
    {
        Assert.Equal(supported, ScramVerifier.Supports(password));
        if (!supported)
        {
            Assert.Throws<ArgumentException>(() => ScramVerifier.For(password));
        }
    }
}
