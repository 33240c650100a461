using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Database;

public sealed class DemoSeedTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Seed_CreatesTheDemoData_WithVariedCitizenshipsAndLocations()
    {
        var cs = fixture.Database.AppConnectionString;
        Assert.Equal(3L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM vendors"));
        Assert.Equal(60L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM people"));
        Assert.Equal(4L, await TestDatabase.ScalarAsync(cs, "SELECT count(DISTINCT impact_level) FROM cloud_systems"));
        Assert.True((long)(await TestDatabase.ScalarAsync(cs, "SELECT count(DISTINCT work_country) FROM people"))! >= 8);
        Assert.True((long)(await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM people WHERE cardinality(citizenships) > 1"))! >= 2);
        Assert.True((long)(await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM people WHERE NOT ('US' = ANY(citizenships))"))! >= 10);
        Assert.Equal(7L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM users"));
        // Two contracting offices: DITCO-Scott holds the three demo contracts, NAVWAR a second Globex one and has co3 (ADR 0028).
        Assert.Equal(2L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM contracting_offices"));
        Assert.Equal(3L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM contracts c JOIN contracting_offices o ON o.id = c.office_id WHERE o.code = 'HC1028'"));
        Assert.Equal("co3@demo.local", await TestDatabase.ScalarAsync(cs,
            "SELECT u.email FROM users u JOIN contracting_offices o ON o.id = u.office_id WHERE o.code = 'N00039'"));
    }

    [Fact]
    public async Task Seed_ShipsAnInventedRestrictedPartyList_WithOneHitAwaitingAdjudication()
    {
        var cs = fixture.Database.AppConnectionString;
        Assert.Equal(4, await TestDatabase.ScalarAsync(cs, "SELECT entry_count FROM restricted_party_lists WHERE version = 1"));
        Assert.Equal("Iris Moreno", await TestDatabase.ScalarAsync(cs,
            "SELECT p.full_name FROM screening_hits h JOIN people p ON p.id = h.person_id WHERE h.status = 'Pending'"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync(cs, "SELECT count(*) FROM people WHERE screening_status = 'PotentialMatch'"));
    }

    [Fact]
    public async Task Seed_RunTwice_AddsNothing()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("Development");
        Assert.Equal(new DemoSeeder.Result(0, 0, 0, 0), result);
    }

    [Fact]
    public async Task Seed_RefusesToRunInProduction()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("Production"));
        Assert.Contains("Production", ex.Message);
    }
}
