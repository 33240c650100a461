using ComplianceHub.Core.Domain.Reference;

namespace ComplianceHub.Core.Tests.Domain;

/// <summary>Country search finds everyday names, aliases and accent-free spellings (issue 21), best match first.</summary>
public sealed class CountrySearchTests
{
    [Theory]
    [InlineData("UK", "GB")]
    [InlineData("Britain", "GB")]
    [InlineData("great britain", "GB")]
    [InlineData("USA", "US")]
    [InlineData("America", "US")]
    [InlineData("Turkey", "TR")]
    [InlineData("Türkiye", "TR")]
    [InlineData("Turkiye", "TR")]
    [InlineData("Macau", "MO")]
    [InlineData("Macao", "MO")]
    [InlineData("Czech Republic", "CZ")]
    [InlineData("Czechia", "CZ")]
    [InlineData("Burma", "MM")]
    [InlineData("Myanmar", "MM")]
    [InlineData("Ivory Coast", "CI")]
    [InlineData("cote d'ivoire", "CI")]
    [InlineData("Curacao", "CW")]
    [InlineData("Reunion", "RE")]
    [InlineData("Aland", "AX")]
    [InlineData("Russia", "RU")]
    [InlineData("cn", "CN")]
    [InlineData("CHN", "CN")]
    [InlineData("China (CN)", "CN")]
    public void EverydayNamesAndAliases_FindTheirCountryFirst(string typed, string expected) =>
        Assert.Equal(expected, CountrySearch.Find(typed)[0].Alpha2);

    [Fact]
    public void APrefix_FindsEveryNameOrAliasStartingWithIt_AndChosenCountriesAreLeftOut()
    {
        Assert.Equal(["CL", "CN"], CountrySearch.Find("chi").Select(c => c.Alpha2).Take(2));
        Assert.DoesNotContain(CountrySearch.Find("korea", ["KR"]), c => c.Alpha2 == "KR");
        Assert.Contains(CountrySearch.Find("korea", ["KR"]), c => c.Alpha2 == "KP");
        Assert.Equal(Iso3166.All.Count, CountrySearch.Find(null).Count);
        Assert.Empty(CountrySearch.Find("Atlantis"));
    }

    [Theory]
    [InlineData("United Kingdom", "GB")]
    [InlineData("uk", "GB")]
    [InlineData("Burma", "MM")]
    [InlineData("DEU", "DE")]
    [InlineData("us", "US")]
    [InlineData("Chi", null)]
    [InlineData("", null)]
    public void Resolve_TakesOnlyAnExactCodeNameOrAlias(string typed, string? expected) => Assert.Equal(expected, CountrySearch.Resolve(typed));

    [Fact]
    public void EveryAlias_BelongsToAKnownCountry_AndNamesNoOtherCountry()
    {
        Assert.All(CountrySearch.Aliases.Keys, code => Assert.True(Iso3166.IsKnown(code), code));
        foreach (var (code, aliases) in CountrySearch.Aliases)
        {
            Assert.All(aliases, alias => Assert.Equal(code, CountrySearch.Resolve(alias)));
        }
    }
}
