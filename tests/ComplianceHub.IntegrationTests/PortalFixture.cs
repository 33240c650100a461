using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests;

/// <summary>One migrated database with the demo data and one portal for a test class.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public PortalFactory Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("it");
        Portal = new PortalFactory(Database);
        await Portal.SeedDemoAsync();
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
    }
}
