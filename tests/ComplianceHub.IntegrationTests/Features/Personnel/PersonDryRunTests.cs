using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>
/// The representative's forms show what a change would do before it is saved: add, edit and offboard run as dry runs of
/// the real commands through the gate, answer with the consequences, and write nothing.
/// </summary>
public sealed class PersonDryRunTests() : CommandPortalTest("persondry")
{
    private Guid engineer;

    protected override async Task ArrangePeopleAsync()
    {
        engineer = await AddPersonAsync("US");
    }

    private async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;

    private async Task<Guid> ActiveGrantAsync()
    {
        var grant = await SendAsync(Co1, new RequestGrant(engineer, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "On-call"));
        Assert.True(grant.IsOk, grant.Message);
        Assert.Equal(GrantStatus.Active, grant.Value!.Status);
        return grant.Value.Id;
    }

    private async Task<PersonView> ReadAsync(Core.Authorization.Actor actor) =>
        (await Portal.Services.CreateScope().ServiceProvider.GetRequiredService<PersonnelQuery>().GetAsync(actor, engineer))!;

    [Fact]
    public async Task AnEditMovingThePersonToACoveredNation_SaysItWouldSuspendTheGrant_AndWritesNothing()
    {
        var grant = await ActiveGrantAsync();
        var person = await ReadAsync(AcmeRep);
        var events = await CountAsync("SELECT count(*) FROM audit_events");
        var fields = Fields(person) with { WorkLocation = new WorkLocation("CN", "Shanghai") };

        var preview = await SendAsync(AcmeRep, new UpdatePerson(engineer, person.Version, fields, null, DryRun: true));

        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal([grant], preview.Value!.Consequences.SuspendedGrants);
        Assert.NotEmpty(preview.Value.Consequences.FindingsOpened);
        Assert.Equal("US", (await ReadAsync(AcmeRep)).WorkLocation.Country);
        Assert.Equal(events, await CountAsync("SELECT count(*) FROM audit_events"));
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM findings WHERE person_id = '{engineer}'"));

        // The real save does what the preview said.
        var saved = await SendAsync(AcmeRep, new UpdatePerson(engineer, person.Version, fields));
        Assert.Equal([grant], saved.Value!.Consequences.SuspendedGrants);
        Assert.Equal("Suspended", (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT status FROM access_grants WHERE id = '{grant}'"))!);
    }

    [Fact]
    public async Task AnOffboardingPreview_NamesTheGrantsItWouldRevoke()
    {
        var grant = await ActiveGrantAsync();
        var preview = await SendAsync(AcmeRep, new TerminatePerson(engineer, Today, DryRun: true));
        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal([grant], preview.Value!.Consequences.RevokedGrants);
        Assert.Equal("Active", (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT employment_status FROM people WHERE id = '{engineer}'"))!);
    }

    [Fact]
    public async Task AnAddPreview_ValidatesAndWritesNothing()
    {
        var people = await CountAsync("SELECT count(*) FROM people");
        var fields = new PersonFields("E-DRY-1", "Dry Run", "dry@acme.example", EmployerType.VendorEmployee, ["US"], "US", false,
            new WorkLocation("US", "Reston"));
        Assert.True((await SendAsync(AcmeRep, new AddPerson(DemoSeeder.AcmeId, fields, DryRun: true))).IsOk);
        Assert.Equal(people, await CountAsync("SELECT count(*) FROM people"));

        var invalid = await SendAsync(AcmeRep, new AddPerson(DemoSeeder.AcmeId, fields with { Citizenships = ["XX"], Email = "nope" }, DryRun: true));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Contains(invalid.Errors!.Keys, k => k.StartsWith("Citizenships", StringComparison.Ordinal));
        Assert.Contains("Email", invalid.Errors!.Keys);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNotFound_AndAnAuditorIsForbidden_EvenForAPreview()
    {
        var person = await ReadAsync(Co1);
        var fields = Fields(person);
        Assert.Null(await Portal.Services.CreateScope().ServiceProvider.GetRequiredService<PersonnelQuery>().GetAsync(GlobexRep, engineer));
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new UpdatePerson(engineer, person.Version, fields, null, DryRun: true))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new TerminatePerson(engineer, Today, DryRun: true))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new ChangePersonFacts(engineer, "GB", "London", DryRun: true))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new AddPerson(DemoSeeder.AcmeId, fields with { EmployeeId = "X-1" }))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new UpdatePerson(engineer, person.Version, fields, null, DryRun: true))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new TerminatePerson(engineer, Today))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ChangePersonFacts(engineer, "GB", "London"))).Kind);
    }

    [Fact]
    public async Task AFactChangePreview_ReportsItsConsequences_AndWritesNoHistory()
    {
        var grant = await ActiveGrantAsync();
        var history = await CountAsync($"SELECT count(*) FROM person_fact_changes WHERE person_id = '{engineer}'");
        var preview = await SendAsync(AcmeRep, new ChangePersonFacts(engineer, "RU", "Moscow", DryRun: true));
        Assert.True(preview.IsOk, preview.Message);
        Assert.Equal([grant], preview.Value!.Consequences.SuspendedGrants);
        Assert.Equal(history, await CountAsync($"SELECT count(*) FROM person_fact_changes WHERE person_id = '{engineer}'"));
    }

    private static PersonFields Fields(PersonView p) => new(p.EmployeeId, p.FullName, p.Email, p.EmployerType, p.Citizenships, p.CountryOfBirth,
        p.UsLawfulPermanentResident, p.WorkLocation, p.InvestigationTier, p.AdjudicatedOn, p.ContinuousVetting, p.Clearance, p.NdaSignedOn,
        p.EscortQualification, p.EscortTrainingOn);
}
