using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Attestations;

/// <summary>A representative's signed attestation: confirmations renew the date, corrections are fact changes with consequences.</summary>
public sealed class SubmitAttestationTests() : CommandPortalTest("attest")
{
    private Guid staying;
    private Guid moved;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        staying = await AddPersonAsync("US");
        moved = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(moved, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Value!.Id;
    }

    [Fact]
    public async Task AnAttestationWithOneCorrection_RenewsEveryone_AndAppliesTheCorrectionsConsequences()
    {
        Clock.Advance(TimeSpan.FromDays(20));
        var outcome = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId,
            "I attest that the people below work where stated and hold exactly the citizenships listed.",
            [new AttestedPerson(staying, "US", "Reston", ["US"]), new AttestedPerson(moved, "HK", "Hong Kong", ["US"])]));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(2, outcome.Value!.People);
        Assert.Equal(1, outcome.Value.Corrected);
        Assert.Equal([grant], outcome.Value.Consequences.SuspendedGrants);

        await using var db = await ContextAsync();
        var people = await db.People.AsNoTracking().Where(p => p.Id == staying || p.Id == moved).ToListAsync();
        Assert.All(people, p => Assert.Equal(Today, p.LocationAttestedOn));
        var correction = await db.PersonFactChanges.AsNoTracking()
            .Where(c => c.PersonId == moved && c.Attribute == "workCountry").OrderByDescending(c => c.RecordedAt).FirstAsync();
        Assert.Equal("\"HK\"", correction.Value);
        Assert.Equal(FactSource.Attested, correction.Source);

        var signed = await db.LocationAttestations.AsNoTracking().SingleAsync(a => a.Id == outcome.Value.AttestationId);
        Assert.Equal("Riley Acme", signed.SubmittedByName);
        Assert.Equal(signed.ContentHash, signed.ComputeHash());
        Assert.Equal(outcome.Value.ContentHash, signed.ContentHash);
    }

    [Fact]
    public async Task OnlyTheVendorsOwnRepresentative_Attests_ForTheirOwnPeople()
    {
        var item = new AttestedPerson(staying, "US", "Reston", ["US"]);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new SubmitAttestation(DemoSeeder.AcmeId, "x", [item]))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new SubmitAttestation(DemoSeeder.GlobexId, "x", [item]))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new SubmitAttestation(DemoSeeder.AcmeId, "x", [item]))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new SubmitAttestation(DemoSeeder.AcmeId, "x", [item]))).Kind);
    }

    [Fact]
    public async Task InvalidAttestations_NameEachProblem_AndChangeNothing()
    {
        var outcome = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId, "",
            [new AttestedPerson(staying, "XX", "", []), new AttestedPerson(staying, "US", "Reston", ["US"])]));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("Statement", outcome.Errors!.Keys);
        Assert.Contains("Items", outcome.Errors.Keys);
        Assert.Contains("Items[0].WorkCountry", outcome.Errors.Keys);
        Assert.Contains("Items[0].Citizenships", outcome.Errors.Keys);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.LocationAttestations.CountAsync());
    }
}
