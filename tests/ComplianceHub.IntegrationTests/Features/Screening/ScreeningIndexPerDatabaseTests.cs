using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Screening;

/// <summary>
/// The screening index is cached per database: two databases seeded with the demo hold the same list (its id is fixed) with
/// different entries (their ids are not), and a person saved in each is screened against that database's own entries. With one
/// index for the process, the second database's hit named the first's entry and the save failed on the foreign key (seen when
/// the browser tests' classes ran one after the other in one process).
/// </summary>
public sealed class ScreeningIndexPerDatabaseTests : IAsyncLifetime
{
    private readonly List<(TestDatabase Database, PortalFactory Portal)> portals = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            var database = await TestDatabase.CreateAsync("screenidx");
            var portal = new PortalFactory(database);
            await portal.SeedDemoAsync();
            portals.Add((database, portal));
        }
    }

    [Fact]
    public async Task APersonMatchingTheDemoList_IsScreenedAgainstTheEntriesOfTheirOwnDatabase_InEachOfTwo()
    {
        var entryIds = new List<Guid>();
        foreach (var (_, portal) in portals)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
            var rep = await db.Users.Where(u => u.Email == "rep@acme.demo.local").Select(u => new { u.Id, u.DisplayName }).SingleAsync();
            var actor = new Actor(rep.Id, rep.DisplayName, Roles.VendorRepresentative, DemoSeeder.AcmeId, null);

            var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(actor, new AddPerson(DemoSeeder.AcmeId,
                new PersonFields("ACME-9001", "Dmitri Volkov", "dmitri.volkov@acme.example", EmployerType.VendorEmployee, ["US"], "US", false,
                    new WorkLocation("US", "Reston"))));

            Assert.True(outcome.IsOk, $"{outcome.Kind} {outcome.Message}");
            var hit = await db.ScreeningHits.AsNoTracking().SingleAsync(h => h.PersonId == outcome.Value!.Person.Id && h.Status == HitStatus.Pending);
            Assert.True(await db.RestrictedPartyEntries.AnyAsync(e => e.Id == hit.EntryId), "the hit names an entry of this database");
            entryIds.Add(hit.EntryId);
        }
        Assert.NotEqual(entryIds[0], entryIds[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var (database, portal) in portals)
        {
            await portal.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
