using ComplianceHub.Core.Features.Screening;
using CsCheck;

namespace ComplianceHub.Core.Tests.Screening;

public sealed class NameMatcherTests
{
    [Theory]
    [InlineData("Dr. José  O'Neil-Pérez", "JOSE O NEIL PEREZ")]
    [InlineData("PETROV, Ivan", "PETROV IVAN")]
    [InlineData("  ", "")]
    [InlineData("Zoë Ålund Jr.", "ZOE ALUND")]
    public void Normalize_DropsAccentsPunctuationAndHonorifics(string name, string expected) =>
        Assert.Equal(expected, NameMatcher.Normalize(name));

    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("ABC", "XYZ", 0.0)]
    public void JaroWinkler_MatchesTheReferenceValues(string a, string b, double expected) =>
        Assert.Equal(expected, NameMatcher.JaroWinkler(a, b), 3);

    [Theory]
    [InlineData("Ivan Petrov", "PETROV, Ivan", true)]        // reordered, punctuated
    [InlineData("Ivan Petrov", "Ivan Petrova", true)]        // one letter
    [InlineData("Jon Smith", "John Smith", true)]
    [InlineData("Mohammed Al-Rashid", "Mohamed Al Rashid", true)]
    [InlineData("José Pérez", "JOSE PEREZ", true)]
    [InlineData("John Smith", "Jane Smith", false)]          // a different person
    [InlineData("Ivan", "Ivan Petrov", false)]               // one shared token is not a name
    [InlineData("Maria Chen", "Mario Chan Industries", false)]
    public void Score_AgainstTheDefaultThreshold(string person, string listed, bool hit) =>
        Assert.True(NameMatcher.Score(person, listed) >= 0.92 == hit, $"{person} ~ {listed}: {NameMatcher.Score(person, listed):0.000}");

    private static readonly Gen<string> Names =
        Gen.Char['A', 'Z'].Array[2, 9].Select(c => new string(c)).Array[1, 4].Select(tokens => string.Join(' ', tokens));

    [Fact]
    public void Score_IsBetweenZeroAndOne_AndOneForTheSameName() =>
        Gen.Select(Names, Names).Sample((a, b) =>
        {
            var score = NameMatcher.Score(a, b);
            return score is >= 0 and <= 1 && (NameMatcher.Normalize(a).Length == 0 || NameMatcher.Score(a, a) == 1); // "MR" alone normalises to nothing
        }, iter: 3000);

    [Fact]
    public void TokenSet_IgnoresTheOrderOfTokens() =>
        Gen.Select(Names, Names, Gen.Int).Sample((a, b, seed) =>
        {
            var tokens = NameMatcher.Tokens(a);
            var shuffled = tokens.OrderBy(t => HashCode.Combine(t, seed)).ToArray();
            var other = NameMatcher.Tokens(b);
            return Math.Abs(NameMatcher.TokenSet(tokens, other) - NameMatcher.TokenSet(shuffled, other)) < 1e-12;
        }, iter: 3000);
}
