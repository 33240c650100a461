using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The audit viewer names what an event refers to by id — the person, the system, the grant, the officer who requested it — from
/// the real trail; and an auditor of one office does not learn the names of another vendor's people through it.
/// </summary>
public sealed class AuditNameQueryTests() : CommandPortalTest("auditnames")
{
    private Guid quinn;
    private Guid grant;
    private Guid globexPerson;
    private Actor casey = null!;

    protected override async Task ArrangePeopleAsync()
    {
        quinn = await AddPersonAsync("US", name: "Quinn Evans");
        (casey, _) = await DemoOfficersAsync();
        var requested = await SendAsync(casey, new RequestGrant(quinn, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Monitoring"));
        Assert.True(requested.IsOk, requested.Message);
        grant = requested.Value!.Id;
        await using var db = await ContextAsync();
        globexPerson = await db.People.Where(p => p.VendorId == DemoSeeder.GlobexId).OrderBy(p => p.FullName).Select(p => p.Id).FirstAsync();
        Assert.True((await SendAsync(GlobexRep, new ChangePersonFacts(globexPerson, "GB", "London"))).IsOk);
    }

    private async Task<AuditNames> NamesAsync(Actor actor, params AuditEvent[] events)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditNameQuery>().ResolveAsync(actor, events.Select(AuditTrailQuery.ToView).ToList());
    }

    private Task<AuditEvent> GrantCreatedAsync() =>
        SingleEventAsync(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString() && e.EventType == 4000);

    private Task<AuditEvent> GlobexPersonChangedAsync() =>
        SingleEventAsync(e => e.SubjectType == "person" && e.SubjectId == globexPerson.ToString() && e.Operation == "change-person-facts");

    [Fact]
    public async Task AGrantsEvent_NamesThePerson_TheSystem_TheGrant_AndTheOfficer()
    {
        var created = await GrantCreatedAsync();
        await using var db = await ContextAsync();
        var system = await db.Systems.Where(s => s.Id == Il2).Select(s => s.Name).SingleAsync();
        var officer = await db.Users.Where(u => u.Id == casey.UserId).Select(u => u.DisplayName).SingleAsync();

        var names = await NamesAsync(Auditor, created);

        Assert.Equal("Quinn Evans", names.Of("personId", quinn.ToString()));
        Assert.Equal(system, names.Of("systemId", Il2.ToString()));
        Assert.Equal(officer, names.Of("requestedBy", casey.UserId.ToString()));
        Assert.Equal($"Non-privileged access to {system} for Quinn Evans", names.OfSubject("grant", grant.ToString()));
        Assert.Contains(grant.ToString(), created.Changes + created.SubjectId, StringComparison.Ordinal); // the raw ids stay in the event
        Assert.Null(names.Of("justification", "Monitoring")); // not a reference: shown as recorded
    }

    [Fact]
    public async Task AnAuditorOfAnOffice_DoesNotLearnTheNamesOfAnotherVendorsPeople()
    {
        var acmeOffice = Auditor with { OfficeId = Guid.NewGuid(), OfficeName = "Acme's office", OfficeVendorIds = [DemoSeeder.AcmeId] };
        var events = new[] { await GrantCreatedAsync(), await GlobexPersonChangedAsync() };
        await using var db = await ContextAsync();
        var globexName = await db.People.Where(p => p.Id == globexPerson).Select(p => p.FullName).SingleAsync();

        var scoped = await NamesAsync(acmeOffice, events);
        var everyone = await NamesAsync(Auditor, events);

        Assert.Equal("Quinn Evans", scoped.Of("personId", quinn.ToString()));
        Assert.Null(scoped.OfSubject("person", globexPerson.ToString()));
        Assert.Null(scoped.Of("personId", globexPerson.ToString()));
        Assert.Equal(globexName, everyone.OfSubject("person", globexPerson.ToString()));
    }

    [Fact]
    public async Task OnlyAuditorsAndAdministrators_ResolveNames()
    {
        var created = await GrantCreatedAsync();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => NamesAsync(AcmeRep, created));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => NamesAsync(Co1, created));
    }
}
