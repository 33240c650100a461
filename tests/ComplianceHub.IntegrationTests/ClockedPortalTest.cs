using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.IntegrationTests;

/// <summary>
/// A test class with its own database and portal on a fake clock. Identity compares lock-out ends with the real
/// clock, so the fake clock starts at real time.
/// </summary>
public abstract class ClockedPortalTest(string prefix) : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());
    protected TestDatabase Database { get; private set; } = null!;
    protected PortalFactory Portal { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(prefix);
        Portal = new PortalFactory(Database, Clock);
        await ArrangeAsync();
    }

    /// <summary>Creates what every test of the class needs (accounts, data).</summary>
    protected abstract Task ArrangeAsync();

    public virtual async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Database.DisposeAsync();
    }
}
