using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Screening;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Screening;

/// <summary>The screening page's read model: the demo's hit side by side with its listed party, scoped to the vendor, and its adjudication.</summary>
public sealed class ScreeningHitsQueryTests() : CommandPortalTest("hits")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private async Task<PagedResult<ScreeningHitRow>> ListAsync(Core.Authorization.Actor actor, HitStatus? status, string? search = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScreeningHitsQuery>().ListAsync(actor, status, search, new PageRequest());
    }

    [Fact]
    public async Task ThePendingHit_ShowsThePersonBesideTheListedParty_AndOnlyToItsOwnVendor()
    {
        await using var db = await ContextAsync();
        var stored = await db.ScreeningHits.AsNoTracking().SingleAsync(h => h.Status == HitStatus.Pending);
        var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == stored.PersonId);
        var entry = await db.RestrictedPartyEntries.AsNoTracking().SingleAsync(e => e.Id == stored.EntryId);

        var pending = await ListAsync(Co1, HitStatus.Pending);

        var hit = Assert.Single(pending.Items);
        Assert.Equal(person.FullName, hit.PersonName);
        Assert.Equal(entry.Name, hit.MatchedName);
        Assert.Equal(entry.Countries, hit.EntryCountries);
        Assert.Equal(person.Citizenships, hit.Citizenships);
        Assert.False(string.IsNullOrEmpty(hit.VendorName));
        Assert.Equal(hit.Id, Assert.Single((await ListAsync(Co1, null, person.EmployeeId)).Items).Id);
        Assert.Empty((await ListAsync(Co1, HitStatus.TrueMatch)).Items);

        var ownRep = person.VendorId == Core.Data.Seeding.DemoSeeder.AcmeId ? AcmeRep : GlobexRep;
        var otherRep = ownRep == AcmeRep ? GlobexRep : AcmeRep;
        Assert.Single((await ListAsync(ownRep, null)).Items);
        Assert.Empty((await ListAsync(otherRep, null)).Items);
    }

    [Fact]
    public async Task AFalsePositive_ReleasesThePerson_AndShowsWhoDecided_ButAnAuditorCannotDecide()
    {
        var (casey, _) = await DemoOfficersAsync();
        var hit = Assert.Single((await ListAsync(Co1, HitStatus.Pending)).Items);

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive, "Looked"))).Kind);
        var invalid = await SendAsync(casey, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive, " "));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        var decided = await SendAsync(casey, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive, "Date of birth and passport country differ from the SDN entry."));

        Assert.True(decided.IsOk, decided.Message);
        Assert.Equal(ScreeningStatus.Clear, decided.Value!.PersonStatus);
        Assert.Empty((await ListAsync(Co1, HitStatus.Pending)).Items);
        var row = Assert.Single((await ListAsync(Co1, HitStatus.FalsePositive)).Items);
        Assert.Equal("Casey Officer", row.AdjudicatedBy);
        Assert.StartsWith("Date of birth", row.Notes, StringComparison.Ordinal);
    }
}
