using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>Facts are always recorded; their consequences (suspensions, revocations, findings, history) land in the same transaction.</summary>
public sealed class FactChangeTests() : CommandPortalTest("facts")
{
    private Guid person;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        var requested = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Monitoring"));
        Assert.Equal(GrantStatus.Active, requested.Value!.Status);
        grant = requested.Value.Id;
    }

    [Fact]
    public async Task MovingToACoveredNation_IsRecorded_SuspendsTheGrants_AndOpensAFinding()
    {
        var effective = Today.AddDays(-2);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var outcome = await SendAsync(AcmeRep, new ChangePersonFacts(person, "CN", "Shenzhen", EffectiveOn: effective));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal([grant], outcome.Value!.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        var stored = await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant);
        Assert.Equal(GrantStatus.Suspended, stored.Status);
        Assert.Contains("LOC-COVERED", stored.StatusReason, StringComparison.Ordinal);

        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == grant && f.RuleId == "LOC-COVERED");
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Equal(Today.AddDays(7), finding.DueOn);
        Assert.Contains("\"workCountry\": \"CN\"", finding.Facts, StringComparison.Ordinal);
        Assert.Contains(finding.Id, outcome.Value.Consequences.FindingsOpened);

        var history = await db.PersonFactChanges.AsNoTracking().Where(c => c.PersonId == person && c.Attribute == "workCountry")
            .OrderBy(c => c.RecordedAt).ToListAsync();
        Assert.Equal(new List<string?> { "\"US\"", "\"CN\"" }, history.Select(h => h.Value).ToList());
        Assert.Equal(FactSource.VendorDeclared, history[1].Source);
        Assert.Equal(effective, history[1].EffectiveOn);
        Assert.Equal("Riley Acme", history[1].RecordedByName);
        Assert.Equal(FactSource.Imported, history[0].Source);

        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM audit_events WHERE operation = 'change-person-facts' AND subject_type = 'grant' AND subject_id = '{grant}'"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ANewPerson_IsOneHistoryRow_WithTheScreeningResultUnderItsOwnSource_AndTheRowCannotBeRewritten()
    {
        await using var db = await ContextAsync();
        var record = Assert.Single(await db.PersonFactHistory.AsNoTracking().Where(h => h.PersonId == person).ToListAsync());
        var changes = await db.PersonFactChanges.AsNoTracking().Where(c => c.PersonId == person).ToListAsync();

        Assert.True(changes.Count >= 15, $"a new person records every fact; the view read {changes.Count}");
        Assert.All(changes, c => Assert.Equal(record.Id, c.Id));
        Assert.Equal(FactSource.Screening, changes.Single(c => c.Attribute == "screeningStatus").Source);
        Assert.Equal(FactSource.Imported, changes.Single(c => c.Attribute == "workCountry").Source);
        Assert.Equal(FactSource.Imported, record.Source);
        // The view in SQL and the record read in memory (as the contribution flags read pending history) agree.
        Assert.Equal(changes.Select(c => (c.Attribute, c.Value, c.Source)).OrderBy(c => c.Attribute, StringComparer.Ordinal),
            record.Changes().Select(c => (c.Attribute, c.Value, c.Source)).OrderBy(c => c.Attribute, StringComparer.Ordinal));

        // Insert-only for the application: a recorded fact is not rewritten or removed.
        foreach (var sql in new[] { $"UPDATE person_fact_history SET facts = '{{}}' WHERE id = '{record.Id}'", $"DELETE FROM person_fact_history WHERE id = '{record.Id}'" })
        {
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString, sql));
            Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        // Nor for the owner, who holds every privilege on the table: a trigger refuses it (Data/Sql/0010).
        foreach (var sql in new[] { $"UPDATE person_fact_history SET facts = '{{}}' WHERE id = '{record.Id}'", $"DELETE FROM person_fact_history WHERE id = '{record.Id}'",
                     "TRUNCATE person_fact_history" })
        {
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => TestDatabase.ScalarAsync(Database.OwnerConnectionString, sql));
            Assert.Equal((Npgsql.PostgresErrorCodes.InsufficientPrivilege, $"person_fact_history is append-only: {sql.Split(' ')[0]} refused"),
                (refused.SqlState, refused.MessageText));
        }
        await using var check = await ContextAsync();
        Assert.Equal(record.Facts, (await check.PersonFactHistory.AsNoTracking().SingleAsync(h => h.Id == record.Id)).Facts);
    }

    [Fact]
    public async Task MovingBack_ClosesTheFinding_ButReactivationStaysAnOfficersDecision()
    {
        await SendAsync(AcmeRep, new ChangePersonFacts(person, "CN", "Shenzhen"));
        var back = await SendAsync(AcmeRep, new ChangePersonFacts(person, "US", "Reston"));

        Assert.True(back.IsOk, back.Message);
        Assert.Single(back.Value!.Consequences.FindingsClosed);
        await using var db = await ContextAsync();
        Assert.Equal(GrantStatus.Suspended, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant)).Status);
        Assert.Equal(FindingStatus.Closed, (await db.Findings.AsNoTracking().SingleAsync(f => f.SubjectId == grant && f.RuleId == "LOC-COVERED")).Status);
    }

    [Fact]
    public async Task ANewCitizenship_IsAFactChange_WithConsequences()
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        var outcome = await SendAsync(Co1, new ChangePersonFacts(person, Citizenships: ["US", "RU"]));
        Assert.Equal([grant], outcome.Value!.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        Assert.Equal(FactSource.OfficerVerified, (await db.PersonFactChanges.AsNoTracking()
            .Where(c => c.PersonId == person && c.Attribute == "citizenships").OrderBy(c => c.RecordedAt).LastAsync()).Source);
    }

    [Fact]
    public async Task Termination_RevokesEveryGrant_AtOnce()
    {
        var pending = await SendAsync(Co1, new RequestGrant(person, Il5, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Reports"));
        Assert.Equal(GrantStatus.PendingApproval, pending.Value!.Status);

        var outcome = await SendAsync(AcmeRep, new TerminatePerson(person, Today));
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(new[] { grant, pending.Value.Id }.Order(), outcome.Value!.Consequences.RevokedGrants.Order());
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT count(*) FROM access_grants WHERE person_id = '{person}' AND status <> 'Revoked'"));

        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(AcmeRep, new TerminatePerson(person, Today))).Kind);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNotFound_AndAnAuditorIsForbidden()
    {
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new ChangePersonFacts(person, "DE", "Berlin"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new TerminatePerson(person, Today))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new ChangePersonFacts(person, "DE", "Berlin"))).Kind);
        await using var db = await ContextAsync();
        Assert.Equal("US", (await db.People.AsNoTracking().SingleAsync(p => p.Id == person)).WorkCountry);
    }

    [Theory]
    [InlineData("XX", "Nowhere", null, "WorkCountry")]
    [InlineData("DE", "", null, "WorkCity")]
    [InlineData(null, null, "", "Citizenships")]
    [InlineData(null, null, "US,ZZ", "Citizenships[1]")]
    [InlineData(null, null, null, "facts")]
    public async Task InvalidFacts_GetPerFieldErrors_AndChangeNothing(string? country, string? city, string? citizenships, string field)
    {
        await using var db = await ContextAsync();
        var before = await db.PersonFactChanges.CountAsync(c => c.PersonId == person);
        var list = citizenships is null ? null : citizenships.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var outcome = await SendAsync(Co1, new ChangePersonFacts(person, country, city, list));
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains(field, outcome.Errors!.Keys);
        Assert.Equal(before, await db.PersonFactChanges.CountAsync(c => c.PersonId == person));
        Assert.Equal(0, await db.PersonFactChanges.CountAsync(c => c.PersonId == person && c.Source == FactSource.OfficerVerified));
    }
}
