using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Screening;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Screening;

/// <summary>
/// Restricted-party screening end to end: a list import screens everyone and holds the grants of a hit, adjudication
/// releases or keeps them, decisions stand across list versions, and new names are screened as they are saved.
/// </summary>
public sealed class ScreeningTests() : CommandPortalTest("screening")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private Guid petrov;
    private Guid grant;
    private Guid bystander;

    private const string Header = "source,entity_number,type,programs,name,alt_names,addresses,country,federal_register_notice,start_date,end_date,source_list_url\n";
    private const string PetrovRow = "Specially Designated Nationals (SDN) - Treasury Department,36541,Individual,RUSSIA-EO14024,\"PETROV, Ivan Sergeyevich\",Ivan Petrov; Ivan Petroff,\"Moscow, RU\",RU,87 FR 1234,2022-03-01,,https://example.test/sdn\n";
    private const string VesselRow = "Specially Designated Nationals (SDN) - Treasury Department,40001,Vessel,IRAN,Test Person,,,IR,,,,\n";
    private const string EntityRow = "Entity List (EL) - Bureau of Industry and Security,,Entity,,Northwind Trading Co,,\"Shenzhen, CN\",CN,,,,\n";

    protected override async Task ArrangePeopleAsync()
    {
        petrov = await AddNamedAsync("Ivan Petrov", "US"); // listed as RU: the country penalty lowers an exact alias to 0.95, still a hit
        bystander = await AddNamedAsync("Maria Gonzalez", "US");
        var requested = await SendAsync(Co1, new RequestGrant(petrov, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
        Assert.True(requested.IsOk, requested.Message);
        grant = requested.Value!.Id;
        if (requested.Value.Status == GrantStatus.PendingApproval)
        {
            Assert.True((await SendAsync(Co2, new ApproveGrant(grant))).IsOk);
        }
    }

    private async Task<Guid> AddNamedAsync(string name, string citizenships)
    {
        var id = await AddPersonAsync(citizenships);
        await RenameAsync(id, name); // the helper's people are all "Test Person"
        return id;
    }

    /// <summary>A change of name, saved through the gate (there is no rename command yet: the roster issues add one).</summary>
    private async Task RenameAsync(Guid id, string name)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.rename");
        db.Entry(await db.People.SingleAsync(p => p.Id == id)).Property(nameof(Person.FullName)).CurrentValue = name;
        await db.SaveChangesAsync();
    }

    private static ImportRestrictedPartyList File(string csv, string name = "consolidated.csv") => new(name, Encoding.UTF8.GetBytes(csv));

    private async Task<Person> PersonAsync(Guid id)
    {
        await using var db = await ContextAsync();
        return await db.People.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    private async Task<(GrantStatus Status, string? Reason)> GrantAsync()
    {
        await using var db = await ContextAsync();
        var g = await db.Grants.AsNoTracking().SingleAsync(x => x.Id == grant);
        return (g.Status, g.StatusReason);
    }

    private async Task<ScreeningHit> PendingHitAsync(Guid personId)
    {
        await using var db = await ContextAsync();
        return await db.ScreeningHits.AsNoTracking().SingleAsync(h => h.PersonId == personId && h.Status == HitStatus.Pending);
    }

    [Fact]
    public async Task ImportingTheList_ScreensEveryone_AndHoldsTheGrantsOfAHit_InOneAuditedChange()
    {
        var imported = await SendAsync(Admin, File(Header + PetrovRow + VesselRow + EntityRow));

        Assert.True(imported.IsOk, imported.Message);
        var result = imported.Value!;
        Assert.Equal((2, 3, 1), (result.Version, result.Entries, result.NewHits)); // the demo seed's invented list is version 1
        Assert.Contains(grant, result.Consequences.SuspendedGrants);
        Assert.Single(result.Consequences.FindingsOpened);

        var person = await PersonAsync(petrov);
        Assert.Equal(ScreeningStatus.PotentialMatch, person.ScreeningStatus);
        Assert.Contains("36541", person.ScreeningMatch, StringComparison.Ordinal);
        Assert.Equal(ScreeningStatus.Clear, (await PersonAsync(bystander)).ScreeningStatus);
        var (status, reason) = await GrantAsync();
        Assert.Equal(GrantStatus.Suspended, status);
        Assert.StartsWith("Held pending screening adjudication", reason, StringComparison.Ordinal);

        var listEvent = await SingleEventAsync(e => e.EventType == 6200 && e.ActorUserId == Admin.UserId);
        Assert.Contains(result.Sha256, listEvent.Changes, StringComparison.Ordinal);
        Assert.Equal(Admin.UserId, listEvent.ActorUserId);
        await using var db = await ContextAsync();
        var history = await db.PersonFactChanges.AsNoTracking().Where(c => c.PersonId == petrov && c.Attribute == "screeningStatus").ToListAsync();
        var change = Assert.Single(history, c => c.Value!.Contains("PotentialMatch", StringComparison.Ordinal));
        Assert.Equal(FactSource.Screening, change.Source);
        Assert.True((await VerifyChainAsync()).Valid);

        // While the hit is pending, no new access: the request is refused with the rule's facts.
        var refused = await SendAsync(Co1, new RequestGrant(petrov, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "More work"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Equal("PotentialMatch", Assert.Single(refused.Violations!, v => v.RuleId == "SCREENING-MATCH").Facts["screeningStatus"]);
    }

    [Fact]
    public async Task AFalsePositive_ReleasesTheHold_AndStands_AcrossListVersions_UntilTheNameChanges()
    {
        await SendAsync(Admin, File(Header + PetrovRow));
        var hit = await PendingHitAsync(petrov);

        var cleared = await SendAsync(Co1, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive,
            "Date of birth 1991 against the listed 1968; passport numbers differ."));

        Assert.True(cleared.IsOk, cleared.Message);
        Assert.Equal(ScreeningStatus.Clear, cleared.Value!.PersonStatus);
        Assert.Contains(grant, cleared.Value.Consequences.ReactivatedGrants);
        Assert.Single(cleared.Value.Consequences.FindingsClosed);
        Assert.Equal(GrantStatus.Active, (await GrantAsync()).Status);
        var adjudication = await SingleEventAsync(e => e.EventType == 6301 && e.SubjectId == hit.Id.ToString());
        Assert.Contains("FalsePositive", adjudication.Changes, StringComparison.Ordinal);

        // A new list version with the same party: the decision stands.
        var second = await SendAsync(Admin, File(Header + PetrovRow + EntityRow, "consolidated-2.csv"));
        Assert.Equal((3, 0), (second.Value!.Version, second.Value.NewHits));
        Assert.Equal(GrantStatus.Active, (await GrantAsync()).Status);

        // A new name is screened afresh as it is saved: the old decision was for the old name.
        await RenameAsync(petrov, "Ivan Petroff");
        Assert.Equal(ScreeningStatus.PotentialMatch, (await PersonAsync(petrov)).ScreeningStatus);
        Assert.Equal(GrantStatus.Suspended, (await GrantAsync()).Status);
    }

    [Fact]
    public async Task ATrueMatch_KeepsTheGrantsHeld()
    {
        await SendAsync(Admin, File(Header + PetrovRow));
        var hit = await PendingHitAsync(petrov);

        var confirmed = await SendAsync(Co1, new AdjudicateScreeningHit(hit.Id, HitDecision.TrueMatch, "Identifiers match the SDN record."));

        Assert.Equal(ScreeningStatus.ConfirmedMatch, confirmed.Value!.PersonStatus);
        Assert.Empty(confirmed.Value.Consequences.ReactivatedGrants);
        Assert.Equal(GrantStatus.Suspended, (await GrantAsync()).Status);
        Assert.Equal(ScreeningStatus.ConfirmedMatch, (await PersonAsync(petrov)).ScreeningStatus);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co2, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive, "Second opinion"))).Kind);
        // Reactivation is an access decision: refused while the match stands.
        Assert.Equal(OutcomeKind.Refused, (await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Reactivate, "Try"))).Kind);
    }

    [Fact]
    public async Task AStaffMemberAddedAfterTheImport_IsScreenedWhenSaved()
    {
        await SendAsync(Admin, File(Header + PetrovRow + EntityRow));

        var added = await AddNamedAsync("Ivan S. Petrov", "RU");

        Assert.Equal(ScreeningStatus.PotentialMatch, (await PersonAsync(added)).ScreeningStatus);
        Assert.EndsWith(":36541", (await PendingHitAsync(added)).EntryKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadFile_IsRefusedRowByRow_AndNothingIsWritten()
    {
        var outcome = await SendAsync(Admin, File(Header + PetrovRow + "SDN,1,Individual,,,,,,,,,\n" + ",2,Individual,,Someone,,,,,,,\n"));

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(["row 3", "row 4"], outcome.Errors!.Keys.Order());
        Assert.Contains("name", outcome.Errors["row 3"][0], StringComparison.Ordinal);
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM restricted_party_lists")); // the demo's
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM screening_hits WHERE person_id = '{petrov}'"));

        var notCsv = await SendAsync(Admin, File(Header + PetrovRow, "list.xlsx"));
        Assert.Contains("FileName", notCsv.Errors!.Keys);
    }

    [Fact]
    public async Task OnlyAdministratorsImport_AndOnlyOfficersAdjudicate()
    {
        foreach (var actor in new[] { Co1, AcmeRep, Auditor })
        {
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, File(Header + PetrovRow))).Kind);
        }
        await SendAsync(Admin, File(Header + PetrovRow));
        var hit = await PendingHitAsync(petrov);
        foreach (var actor in new[] { Admin, AcmeRep, GlobexRep, Auditor })
        {
            Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(actor, new AdjudicateScreeningHit(hit.Id, HitDecision.FalsePositive, "x"))).Kind);
        }
        Assert.Equal(HitStatus.Pending, (await PendingHitAsync(petrov)).Status);
        Assert.Equal(DemoSeeder.AcmeId, hit.VendorId);
    }
}
