using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ComplianceHub.Tests.Shared;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// ADR 0022: the new people of one vendor in one save, from <see cref="AuditRecorder.BulkPeopleThreshold"/> on, are one chained
/// "people added" event keyed by person id, with a subject row per person — and every reader that asks "what happened to this
/// person" (the trail's subject and vendor filters, the person's history) still finds it; the subject rows are append-only and
/// checked against the chained event by the verifier.
/// </summary>
public sealed class BulkPeopleEventTests() : CommandPortalTest("bulkpeople")
{
    private const int Added = 250;
    private string moverId = "";
    private Guid mover;

    protected override async Task ArrangePeopleAsync()
    {
        mover = await AddPersonAsync("US");
        await using var db = await ContextAsync();
        moverId = (await db.People.SingleAsync(p => p.Id == mover)).EmployeeId;
    }

    private byte[] File(int count, string prefix)
    {
        var text = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        text.Append(moverId).Append(",Test Person,test@acme.example,VendorEmployee,US,US,false,US,Arlington,T5,2025-01-01,true,Secret,2025-06-01,None,,Active\n");
        for (var i = 1; i <= count; i++)
        {
            text.Append(prefix).Append(i.ToString("D4")).Append(",Bulk Person").Append(prefix).Append(i).Append(",p").Append(prefix).Append(i)
                .Append("@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task<long> ImportAsync(int count, string prefix)
    {
        await using var db = await ContextAsync();
        var head = await db.AuditEvents.MaxAsync(e => e.Sequence);
        var outcome = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "bulk.csv", File(count, prefix), DryRun: false));
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal((count, 1), (outcome.Value!.Added, outcome.Value.Updated));
        return head;
    }

    [Fact]
    public async Task ManyNewPeople_AreOneChainedEvent_ThatEveryPersonReaderStillFinds()
    {
        var head = await ImportAsync(Added, "BK-");

        await using var db = await ContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > head).OrderBy(e => e.Sequence).ToListAsync();
        var bulk = Assert.Single(events, e => e.EventType == AuditEventTypes.PeopleAdded);
        Assert.Equal((AuditEventTypes.PeopleSubject, DemoSeeder.AcmeId.ToString(), "import-roster"), (bulk.SubjectType, bulk.SubjectId, bulk.Operation));
        // No event of its own for an added person; the change to an existing person still has one.
        Assert.DoesNotContain(events, e => e.EventType == 3000);
        Assert.Contains(events, e => e.EventType == 3001 && e.SubjectId == mover.ToString());

        var added = await db.People.AsNoTracking().Where(p => p.EmployeeId.StartsWith("BK-")).ToDictionaryAsync(p => p.Id.ToString(), p => p.FullName);
        Assert.Equal(Added, added.Count);
        using (var changes = JsonDocument.Parse(bulk.Changes))
        {
            // Columnar: the field names once, then each person's values in that order.
            var fields = changes.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
            var keys = changes.RootElement.GetProperty("people").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal(added.Keys.Order(), keys.Keys.Order());
            var one = added.First();
            Assert.Equal(one.Value, keys[one.Key][fields.IndexOf("fullName")].GetString());
            Assert.Equal(one.Key, keys[one.Key][fields.IndexOf("id")].GetString());
            Assert.Equal("Reston", keys[one.Key][fields.IndexOf("workCity")].GetString());
            Assert.All(keys.Values, v => Assert.Equal(fields.Count, v.GetArrayLength()));
        }
        var subjects = await db.AuditEventSubjects.AsNoTracking().Where(s => s.Sequence == bulk.Sequence).ToListAsync();
        Assert.Equal(added.Keys.Order(), subjects.Select(s => s.SubjectId).Order());
        Assert.All(subjects, s => Assert.Equal("person", s.SubjectType));

        // The trail: by the person (with or without the type), by the person type, by the vendor.
        var someone = added.Keys.Last();
        var trail = ActivatorUtilities.CreateInstance<AuditTrailQuery>(Portal.Services);
        async Task<IReadOnlyList<long>> Find(AuditFilter filter) =>
            (await trail.ListAsync(Auditor, filter, new PageRequest(1, 500))).Items.Select(e => e.Sequence).ToList();
        Assert.Equal([bulk.Sequence], await Find(new AuditFilter(SubjectType: "person", SubjectId: someone)));
        Assert.Equal([bulk.Sequence], await Find(new AuditFilter(SubjectId: someone)));
        Assert.Contains(bulk.Sequence, await Find(new AuditFilter(SubjectType: "person", From: bulk.OccurredAt)));
        Assert.Contains(bulk.Sequence, await Find(new AuditFilter(VendorId: DemoSeeder.AcmeId, From: bulk.OccurredAt)));
        Assert.DoesNotContain(bulk.Sequence, await Find(new AuditFilter(VendorId: DemoSeeder.GlobexId, From: bulk.OccurredAt)));
        var detail = await trail.GetAsync(Auditor, bulk.Sequence);
        Assert.Equal(DemoSeeder.AcmeId, detail!.Subject.VendorId);

        // The person's history shows their own part of the event, not the other 249 people.
        var history = await ActivatorUtilities.CreateInstance<PersonWorkspaceQuery>(Portal.Services)
            .AuditAsync(Co1, Guid.Parse(someone), new PageRequest(1, 25));
        var entry = Assert.Single(history!.Items);
        Assert.Equal((bulk.Sequence, "person", someone), (entry.Sequence, entry.SubjectType, entry.SubjectId));
        Assert.Contains($"Name: {added[someone]}", entry.Summary, StringComparison.Ordinal);
        Assert.Contains("Work city: Reston", entry.Summary, StringComparison.Ordinal);
        Assert.Contains("Citizenships: United States (US)", entry.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(added[added.Keys.First()], entry.Summary, StringComparison.Ordinal);

        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AFewNewPeople_KeepAnEventEach()
    {
        var head = await ImportAsync(5, "SM-");
        await using var db = await ContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > head).ToListAsync();
        Assert.Equal(5, events.Count(e => e.EventType == 3000));
        Assert.DoesNotContain(events, e => e.EventType == AuditEventTypes.PeopleAdded);
        Assert.False(await db.AuditEventSubjects.AnyAsync(s => s.Sequence > head));
    }

    [Theory]
    [InlineData("UPDATE audit_event_subjects SET subject_id = 'x'")]
    [InlineData("DELETE FROM audit_event_subjects")]
    [InlineData("TRUNCATE audit_event_subjects")]
    public async Task TheSubjectRows_AreAppendOnly(string sql)
    {
        await ImportAsync(Added, "AO-");
        await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString, sql));
        // The owner is refused by the trigger too.
        await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.OwnerConnectionString, sql));
        Assert.Equal((long)Added, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_event_subjects"));
    }

    [Theory]
    [InlineData("DELETE FROM audit_event_subjects WHERE subject_id = (SELECT max(subject_id) FROM audit_event_subjects)")]
    [InlineData("INSERT INTO audit_event_subjects (subject_id, sequence, subject_type) SELECT gen_random_uuid()::text, max(sequence), 'person' FROM audit_event_subjects")]
    [InlineData("INSERT INTO audit_event_subjects (subject_id, sequence, subject_type) VALUES (gen_random_uuid()::text, 1, 'person')")]
    public async Task ASubjectRowRemovedOrAdded_IsFoundByTheVerifier(string sql)
    {
        await ImportAsync(Added, "TM-");
        Assert.True((await VerifyChainAsync()).Valid);
        // The owner disables the trigger and rewrites the index behind the chain's back.
        await Database.AsOwnerWithoutTriggerAsync("audit_event_subjects", "audit_event_subjects_no_update_or_delete", sql);

        var result = await VerifyChainAsync();
        Assert.False(result.Valid);
        Assert.Contains("audit_event_subjects", result.Problem, StringComparison.Ordinal);
        Assert.NotNull(result.FirstBrokenSequence);
    }
}
