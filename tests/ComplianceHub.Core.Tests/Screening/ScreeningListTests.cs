using System.Text;
using ComplianceHub.Core.Features.Screening;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Screening;

public sealed class ScreeningListTests
{
    private static Task<ParsedScreeningList> Parse(string csv) => ConsolidatedScreeningList.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

    [Fact]
    public async Task ThePublishedColumns_AreReadByName_InAnyOrder()
    {
        var parsed = await Parse(
            "name,source,entity_number,type,programs,alt_names,addresses,country,federal_register_notice,start_date,end_date,source_list_url\n" +
            "\"PETROV, Ivan\",Specially Designated Nationals (SDN) - Treasury Department,36541,Individual,RUSSIA-EO14024,\"Petrov, Ivan Sergeyevich; Ivan Petroff\",\"Moscow, RU\",Russia,86 FR 1234,2022-03-01,,https://example.test/sdn\n" +
            "Northwind Trading Co,Entity List (EL) - Bureau of Industry and Security,,Entity,,,\"Shenzhen, CN\",CN,,,,\n");

        Assert.Empty(parsed.Errors);
        Assert.Equal(2, parsed.Parties.Count);
        var petrov = parsed.Parties[0];
        Assert.Equal("Specially Designated Nationals (SDN) - Treasury Department:36541", petrov.Key);
        Assert.Equal(["Petrov, Ivan Sergeyevich", "Ivan Petroff"], petrov.AltNames);
        Assert.Equal(["RU"], petrov.Countries);
        Assert.Equal("Entity List (EL) - Bureau of Industry and Security:NORTHWIND TRADING CO", parsed.Parties[1].Key);
        Assert.Equal(64, parsed.Sha256.Length);
    }

    [Fact]
    public async Task AMissingRequiredColumn_RefusesTheFile()
    {
        var parsed = await Parse("source,entity_number\nSDN,1\n");
        var error = Assert.Single(parsed.Errors);
        Assert.Equal((1, "name"), (error.Row, error.Column));
        Assert.Empty(parsed.Parties);
    }

    [Fact]
    public async Task RowsWithoutANameOrSource_AreReportedRowByRow()
    {
        var parsed = await Parse("source,name\nSDN,Ivan Petrov\nSDN,\n,Somebody\n");
        Assert.Equal([(3, "name"), (4, "source")], parsed.Errors.Select(e => (e.Row, e.Column)));
    }

    [Fact]
    public async Task AFileWithOnlyAHeader_HasNoParties()
    {
        var parsed = await Parse("source,name\n");
        Assert.Equal(0, Assert.Single(parsed.Errors).Row);
    }

    private static ScreeningIndex Index(params ScreeningEntry[] entries) => new(Guid.NewGuid(), 1, entries);

    private static ScreeningEntry Entry(string key, string name, string[]? aliases = null, params string[] countries) =>
        new(Guid.NewGuid(), key, name, [name, .. aliases ?? []], countries.ToHashSet());

    [Fact]
    public void APersonMatchesAnAlias_OncePerEntry_BestScoreFirst()
    {
        var index = Index(
            Entry("SDN:1", "PETROV, Ivan Sergeyevich", ["Ivan Petrov", "Ivan Petroff"], "RU"),
            Entry("SDN:2", "Ivan Petrova", null, "RU"),
            Entry("SDN:3", "Maria Gonzalez", null, "VE"));

        var hits = index.Screen("Ivan Petrov", new HashSet<string> { "RU", "US" }, ScreeningSettings.Default);

        Assert.Equal(["SDN:1", "SDN:2"], hits.Select(h => h.Entry.Key));
        Assert.Equal("Ivan Petrov", hits[0].MatchedName);
        Assert.Equal(1.0, hits[0].Score);
    }

    [Fact]
    public void ADifferingCountry_LowersTheScore_BelowTheThreshold()
    {
        var settings = new ScreeningSettings(0.92, 0.1);
        var index = Index(Entry("SDN:2", "Ivan Petrova", null, "RU"));
        var same = Assert.Single(index.Screen("Ivan Petrov", new HashSet<string> { "RU" }, settings));
        Assert.Empty(index.Screen("Ivan Petrov", new HashSet<string> { "US" }, settings));
        // An entry without countries is not penalised.
        var unknown = Assert.Single(Index(Entry("SDN:4", "Ivan Petrova")).Screen("Ivan Petrov", new HashSet<string> { "US" }, settings));
        Assert.Equal(same.Score, unknown.Score);
    }

    [Fact]
    public void TheThreshold_ComesFromTheSettings()
    {
        var index = Index(Entry("SDN:5", "Jon Smith"));
        Assert.Single(index.Screen("John Smith", new HashSet<string>(), ScreeningSettings.Default));
        Assert.Empty(index.Screen("John Smith", new HashSet<string>(), new ScreeningSettings(0.99, 0.05)));
    }
}
