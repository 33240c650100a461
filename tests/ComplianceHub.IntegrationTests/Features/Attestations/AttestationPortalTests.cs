using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Attestations;

/// <summary>
/// The attestation page's reads and writes: due dates from the one shared schedule, the dry run that previews the
/// corrections' consequences, the signed history with hash verification, and the vendor boundary in every query.
/// </summary>
public sealed class AttestationPortalTests() : CommandPortalTest("attestpage")
{
    private Guid fresh;   // attested 3 days ago: current
    private Guid holder;  // attested 3 days ago, holds an active IL2 grant
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        fresh = await AddPersonAsync("US");
        holder = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(holder, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(365), "Support"))).Value!.Id;
    }

    private T Query<T>() where T : notnull => Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<T>();

    private async Task<AttestationDueRow> RowAsync(Guid person, Core.Authorization.Actor? actor = null)
    {
        var page = await Query<AttestationDueQuery>().ListAsync(actor ?? AcmeRep, new AttestationDueFilter(Search: null), new PageRequest(1, 500));
        return page!.Items.Single(r => r.PersonId == person);
    }

    [Fact]
    public async Task DueDates_FollowTheSharedSchedule_AndWarnBeforeSuspending()
    {
        var row = await RowAsync(holder);
        Assert.Equal(AttestationState.Current, row.State);
        Assert.Equal(Today.AddDays(-3).AddDays(180), row.DueOn); // the default policy's non-privileged interval
        Assert.Null(row.Warning);

        Clock.Advance(TimeSpan.FromDays(172)); // 175 days after the attestation: inside the 7-day warning window
        row = await RowAsync(holder);
        Assert.Equal(AttestationState.DueSoon, row.State);
        Assert.Equal(5, row.DaysUntilDue);
        Assert.Equal($"Due in 5 days — access to 1 grant will be suspended on {row.DueOn!.Value.AddDays(1):yyyy-MM-dd}.", row.Warning);

        Clock.Advance(TimeSpan.FromDays(6));
        row = await RowAsync(holder);
        Assert.Equal(AttestationState.Overdue, row.State);
        Assert.StartsWith($"Overdue since {row.DueOn!.Value.AddDays(1):yyyy-MM-dd}", row.Warning);

        // The filter in SQL agrees with the state computed per row, and the counts agree with both.
        var overdue = await Query<AttestationDueQuery>().ListAsync(AcmeRep, new AttestationDueFilter(States: [AttestationState.Overdue]), new PageRequest(1, 500));
        Assert.Contains(overdue!.Items, r => r.PersonId == holder);
        Assert.All(overdue.Items, r => Assert.Equal(AttestationState.Overdue, r.State));
        var counts = await Query<AttestationDueQuery>().CountsAsync(AcmeRep, DemoSeeder.AcmeId);
        Assert.Equal(overdue.Total, counts!.Overdue);

        // The roster reads the same definition.
        var roster = await Query<RosterQuery>().ListAsync(AcmeRep, new RosterFilter { Attestation = [AttestationState.Overdue], Status = EmploymentStatus.Active }, new PageRequest(1, 500));
        Assert.Equal(overdue.Items.Select(r => r.PersonId).Order(), roster.Items.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task ARepresentative_SeesOnlyTheirOwnVendorsPeople_AndHistory()
    {
        Assert.Null(await Query<AttestationDueQuery>().ListAsync(GlobexRep, new AttestationDueFilter(DemoSeeder.AcmeId), new PageRequest()));
        Assert.Null(await Query<AttestationDueQuery>().CountsAsync(GlobexRep, DemoSeeder.AcmeId));
        var globex = await Query<AttestationDueQuery>().ListAsync(GlobexRep, new AttestationDueFilter(), new PageRequest(1, 500));
        Assert.NotEmpty(globex!.Items);
        Assert.All(globex.Items, r => Assert.Equal(DemoSeeder.GlobexId, r.VendorId));

        var signed = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(fresh, "US", "Reston", ["US"])]));
        Assert.True(signed.IsOk, signed.Message);
        Assert.Null(await Query<AttestationHistoryQuery>().DetailAsync(GlobexRep, signed.Value!.AttestationId));
        Assert.Null(await Query<AttestationHistoryQuery>().ListAsync(GlobexRep, DemoSeeder.AcmeId, new PageRequest()));
        Assert.Empty((await Query<AttestationHistoryQuery>().ListAsync(GlobexRep, null, new PageRequest()))!.Items);

        // Officers and auditors read across vendors, or one vendor.
        Assert.Single((await Query<AttestationHistoryQuery>().ListAsync(Auditor, null, new PageRequest()))!.Items);
        Assert.Single((await Query<AttestationHistoryQuery>().ListAsync(Co1, DemoSeeder.AcmeId, new PageRequest()))!.Items);
        Assert.Empty((await Query<AttestationHistoryQuery>().ListAsync(Co1, DemoSeeder.GlobexId, new PageRequest()))!.Items);
        Assert.NotNull(await Query<AttestationHistoryQuery>().DetailAsync(Auditor, signed.Value.AttestationId));
        var officerView = await Query<AttestationDueQuery>().ListAsync(Co1, new AttestationDueFilter(), new PageRequest(1, 500));
        Assert.Contains(officerView!.Items, r => r.VendorId == DemoSeeder.GlobexId);
        Assert.Contains(officerView.Items, r => r.VendorId == DemoSeeder.AcmeId);
    }

    [Fact]
    public async Task OnlyARepresentative_Submits_AndNeverForAnotherVendorsPeople()
    {
        var item = new AttestedPerson(fresh, "US", "Reston", ["US"]);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new SubmitAttestation(DemoSeeder.AcmeId, "x", [item], DryRun: true))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new SubmitAttestation(DemoSeeder.AcmeId, "x", [item]))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new SubmitAttestation(DemoSeeder.GlobexId, "x", [item]))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new SubmitAttestation(DemoSeeder.GlobexId, "x", [item], DryRun: true))).Kind);
    }

    [Fact]
    public async Task ACorrectionToChina_SuspendsTheGrant_OpensLocCovered_AsAttestedFacts()
    {
        var outcome = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, AttestationStatement,
            [new AttestedPerson(holder, "CN", "Shenzhen", ["US"]), new AttestedPerson(fresh, "US", "Reston", ["US"])]));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(1, outcome.Value!.Corrected);
        Assert.Equal([grant], outcome.Value.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        var opened = await db.Findings.AsNoTracking().Where(f => outcome.Value.Consequences.FindingsOpened.Contains(f.Id)).ToListAsync();
        Assert.Contains(opened, f => f.RuleId == "LOC-COVERED" && f.PersonId == holder && f.Status == FindingStatus.Open);
        Assert.Equal(GrantStatus.Suspended, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant)).Status);
        var moved = await db.PersonFactChanges.AsNoTracking().Where(c => c.PersonId == holder && c.Attribute == "workCountry" && c.Value == "\"CN\"").SingleAsync();
        Assert.Equal(FactSource.Attested, moved.Source);
    }

    [Fact]
    public async Task TheDryRun_PreviewsTheConsequences_AndWritesNothing()
    {
        await using (var before = await ContextAsync())
        {
            var events = await before.AuditEvents.CountAsync();
            var preview = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, AttestationStatement,
                [new AttestedPerson(holder, "CN", "Shenzhen", ["US"])], DryRun: true));

            Assert.True(preview.IsOk, preview.Message);
            Assert.Equal([grant], preview.Value!.Consequences.SuspendedGrants);
            Assert.NotEmpty(preview.Value.Consequences.FindingsOpened);

            await using var db = await ContextAsync();
            Assert.Equal(0, await db.LocationAttestations.CountAsync());
            Assert.Equal(events, await db.AuditEvents.CountAsync());
            var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == holder);
            Assert.Equal("US", person.WorkCountry);
            Assert.Equal(Today.AddDays(-3), person.LocationAttestedOn);
            Assert.Equal(GrantStatus.Active, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant)).Status);
            Assert.False(await db.Findings.AnyAsync(f => f.PersonId == holder && f.RuleId == "LOC-COVERED"));
        }
    }

    [Fact]
    public async Task TheSignedHash_Verifies_AndDetectsAnAlteredRow()
    {
        var signed = (await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, AttestationStatement,
            [new AttestedPerson(fresh, "US", "Reston", ["US"]), new AttestedPerson(holder, "US", "Reston", ["US"])]))).Value!;

        var detail = await Query<AttestationHistoryQuery>().DetailAsync(AcmeRep, signed.AttestationId);
        Assert.True(detail!.HashVerified);
        Assert.Equal(signed.ContentHash, detail.ContentHash);
        Assert.Equal("Riley Acme", detail.SubmittedByName);
        Assert.Equal(2, detail.People.Count);
        Assert.Equal(AttestationStatement, detail.Statement);
        var row = Assert.Single((await Query<AttestationHistoryQuery>().ListAsync(AcmeRep, null, new PageRequest()))!.Items);
        Assert.Equal(2, row.People);

        // Someone with database access rewrites what was attested: the stored hash no longer matches.
        await TestDatabase.ScalarAsync(Database.OwnerConnectionString,
            $"UPDATE location_attestations SET statement = 'I attest nothing.' WHERE id = '{signed.AttestationId}'");
        var altered = await Query<AttestationHistoryQuery>().DetailAsync(AcmeRep, signed.AttestationId);
        Assert.False(altered!.HashVerified);
        Assert.Equal(signed.ContentHash, altered.ContentHash);
        Assert.NotEqual(altered.ContentHash, altered.RecomputedHash);
    }

    private const string AttestationStatement =
        "I attest that, to the best of my knowledge, the people listed work at the locations and hold the citizenships shown.";
}
