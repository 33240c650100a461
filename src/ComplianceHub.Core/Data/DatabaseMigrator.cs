using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Data;

/// <summary>Applies the migrations as the owner role: the explicit deploy step, never done at start-up.</summary>
public static class DatabaseMigrator
{
    /// <summary>Applies every pending migration; returns the names applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string ownerConnectionString, CancellationToken ct = default)
    {
        await using var db = ComplianceDbContextFactory.Create(ownerConnectionString);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }
}

/// <summary>Lets dotnet-ef build the context at design time without a running database.</summary>
internal sealed class DesignTimeComplianceDbContextFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ComplianceDbContext>
{
    public ComplianceDbContext CreateDbContext(string[] args) =>
        ComplianceDbContextFactory.Create("Host=127.0.0.1;Port=55432;Database=compliancehub_design;Username=compliancehub_owner");
}

/// <summary>Builds a context outside DI (migrations, design time, database tests) with the same options as DI.</summary>
internal static class ComplianceDbContextFactory
{
    public static ComplianceDbContext Create(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<ComplianceDbContext>();
        builder.UseComplianceHubDatabase(connectionString);
        return new ComplianceDbContext(builder.Options);
    }
}
