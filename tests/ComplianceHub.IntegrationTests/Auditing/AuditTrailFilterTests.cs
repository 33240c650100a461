using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// Each filter of the audit trail returns exactly the events it names: the expected set is computed here from every
/// stored event with plain C#, independently of the query's SQL.
/// </summary>
public sealed class AuditTrailFilterTests() : CommandPortalTest("auditfilter")
{
    private Guid dual;
    private Guid escort;
    private Guid grant;
    private Guid assignment;
    private DateTimeOffset windowStart;
    private DateTimeOffset windowEnd;

    protected override async Task ArrangePeopleAsync()
    {
        dual = await AddPersonAsync("US,VE", birth: "US");
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        Clock.Advance(TimeSpan.FromDays(2));
        windowStart = Microseconds(Clock.GetUtcNow());
        var requested = await SendAsync(Co1, new RequestGrant(dual, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Monitoring"));
        Assert.True(requested.IsOk, requested.Message); // CIT-CONCERN warns: an outcome in the event
        grant = requested.Value!.Id;
        var assigned = await SendAsync(Co2, new AssignEscort(escort, dual, Il2, Today, Today.AddDays(30)));
        Assert.True(assigned.IsOk, assigned.Message);
        assignment = assigned.Value!.Id;
        Clock.Advance(TimeSpan.FromDays(1));
        windowEnd = Microseconds(Clock.GetUtcNow());
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await SendAsync(AcmeRep, new ChangePersonFacts(dual, "GB", "London"))).IsOk);
    }

    /// <summary>An instant at the precision PostgreSQL keeps (and the trail stores).</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private async Task<List<AuditEventView>> AllAsync(AuditFilter filter, bool desc = false)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<AuditTrailQuery>();
        var all = new List<AuditEventView>();
        for (var page = 1; ; page++)
        {
            var result = await query.ListAsync(Auditor, filter, new PageRequest(page, PageRequest.MaxPageSize, null, desc));
            all.AddRange(result.Items);
            if (all.Count >= result.Total || result.Items.Count == 0)
            {
                Assert.Equal(result.Total, all.Count);
                return all;
            }
        }
    }

    private async Task<List<AuditEvent>> StoredAsync()
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    private static long[] Sequences(IEnumerable<AuditEventView> events) => events.Select(e => e.Sequence).ToArray();

    [Fact]
    public async Task ByRule_ExactlyTheEventsWhoseOutcomesNameIt()
    {
        var expected = (await StoredAsync()).Where(e =>
        {
            using var outcomes = JsonDocument.Parse(e.RuleOutcomes);
            return outcomes.RootElement.EnumerateArray().Any(o => o.GetProperty("ruleId").GetString() == "CIT-CONCERN");
        }).Select(e => e.Sequence).ToArray();

        var found = await AllAsync(new AuditFilter(RuleId: "cit-concern"));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Sequences(found));
        Assert.Contains(found, e => e.SubjectType == "grant" && e.SubjectId == grant.ToString());
        Assert.Empty(await AllAsync(new AuditFilter(RuleId: "NO-SUCH-RULE")));
    }

    [Fact]
    public async Task ByOperation_ExactlyThatOperationsEvents()
    {
        var stored = await StoredAsync();
        var operation = stored.Single(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString() && e.EventType == 4000).Operation;
        var expected = stored.Where(e => e.Operation == operation).Select(e => e.Sequence).ToArray();

        Assert.Equal(expected, Sequences(await AllAsync(new AuditFilter(Operation: operation))));
    }

    [Fact]
    public async Task ByActor_IdOrNameContains()
    {
        var stored = await StoredAsync();
        Assert.Equal(stored.Where(e => e.ActorUserId == Co2.UserId).Select(e => e.Sequence).ToArray(),
            Sequences(await AllAsync(new AuditFilter(ActorUserId: Co2.UserId))));
        var byName = stored.Where(e => e.ActorName.Contains("riley", StringComparison.OrdinalIgnoreCase)).Select(e => e.Sequence).ToArray();
        Assert.NotEmpty(byName);
        Assert.Equal(byName, Sequences(await AllAsync(new AuditFilter(ActorName: "RILEY"))));
        Assert.Empty(await AllAsync(new AuditFilter(ActorName: "%")));   // a wildcard is matched literally
        Assert.Equal(stored.Where(e => e.ActorUserId == Co2.UserId && e.ActorName.Contains("Morgan", StringComparison.Ordinal)).Select(e => e.Sequence).ToArray(),
            Sequences(await AllAsync(new AuditFilter(ActorUserId: Co2.UserId, ActorName: "morgan"))));
    }

    [Fact]
    public async Task ByDateRange_FromIncluded_ToExcluded()
    {
        var expected = (await StoredAsync()).Where(e => e.OccurredAt >= windowStart && e.OccurredAt < windowEnd).Select(e => e.Sequence).ToArray();
        var found = await AllAsync(new AuditFilter(From: windowStart, To: windowEnd));
        Assert.Equal(expected, Sequences(found));
        Assert.Contains(found, e => e.SubjectId == grant.ToString());
        Assert.Contains(found, e => e.SubjectId == assignment.ToString());
        Assert.DoesNotContain(found, e => e.ActorName == AcmeRep.DisplayName);
    }

    [Fact]
    public async Task ByVendor_TheVendorsPeopleTheirRows_AndItsRepresentativesActions()
    {
        var acme = await AllAsync(new AuditFilter(VendorId: DemoSeeder.AcmeId));
        var globex = await AllAsync(new AuditFilter(VendorId: DemoSeeder.GlobexId));
        var mine = new[] { dual.ToString(), escort.ToString(), grant.ToString(), assignment.ToString() };

        foreach (var id in mine)
        {
            Assert.Contains(acme, e => e.SubjectId == id);
            Assert.DoesNotContain(globex, e => e.SubjectId == id);
        }
        Assert.Contains(acme, e => e.ActorName == AcmeRep.DisplayName);
        Assert.Empty(acme.Select(e => e.Sequence).Intersect(globex.Select(e => e.Sequence)));

        // Every event found belongs to the vendor: by its subject's owner, or because someone acting for it caused it.
        await using var scope = Portal.Services.CreateAsyncScope();
        var subjects = await scope.ServiceProvider.GetRequiredService<AuditTrailQuery>().SubjectsAsync(Auditor, acme);
        Assert.All(acme, e => Assert.True(subjects[e.Sequence].VendorId == DemoSeeder.AcmeId || e.ActorVendorId == DemoSeeder.AcmeId,
            $"event {e.Sequence} ({e.SubjectType} {e.SubjectId}) is not Acme's"));
        // And every stored event about one of these rows is found.
        var expectedAboutMine = (await StoredAsync()).Where(e => mine.Contains(e.SubjectId)).Select(e => e.Sequence).ToHashSet();
        Assert.Subset(acme.Select(e => e.Sequence).ToHashSet(), expectedAboutMine);
    }

    [Fact]
    public async Task FiltersCombine_AndNewestFirstReversesTheOrder()
    {
        var grantEvents = await AllAsync(new AuditFilter(SubjectType: "grant", SubjectId: grant.ToString(), VendorId: DemoSeeder.AcmeId, RuleId: "CIT-CONCERN"));
        Assert.NotEmpty(grantEvents);
        Assert.All(grantEvents, e => Assert.Contains("CIT-CONCERN", e.RuleIds()));
        var ascending = await AllAsync(new AuditFilter(VendorId: DemoSeeder.AcmeId));
        var descending = await AllAsync(new AuditFilter(VendorId: DemoSeeder.AcmeId), desc: true);
        Assert.Equal(Sequences(ascending).Reverse().ToArray(), Sequences(descending));
    }

    [Fact]
    public async Task TheSql_UsesJsonbContainment_AndIndexedSubjectLookups()
    {
        await using var db = await ContextAsync();
        var rule = AuditTrailQuery.Filter(db, new AuditFilter(RuleId: "CIT-CONCERN")).ToQueryString();
        Assert.Contains("@>", rule, StringComparison.Ordinal);
        var vendor = AuditTrailQuery.Filter(db, new AuditFilter(VendorId: DemoSeeder.AcmeId)).ToQueryString();
        Assert.Contains("UNION ALL", vendor, StringComparison.Ordinal);
        Assert.Contains("subject_type", vendor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDetail_HasTheEventItsOwnerAndTheSameOperation()
    {
        var stored = await StoredAsync();
        var created = stored.Single(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString() && e.EventType == 4000);
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<AuditTrailQuery>();
        var detail = (await query.GetAsync(Auditor, created.Sequence))!;

        Assert.Equal(created.Hash, detail.Event.Hash);
        Assert.Equal((DemoSeeder.AcmeId, dual), (detail.Subject.VendorId!.Value, detail.Subject.PersonId!.Value));
        Assert.Equal(stored.Where(e => e.CorrelationId == created.CorrelationId && e.Sequence != created.Sequence).Select(e => e.Sequence).ToArray(),
            Sequences(detail.SameOperation));
        Assert.Null(await query.GetAsync(Auditor, stored[^1].Sequence + 1000));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => query.GetAsync(Co1, created.Sequence));

        var options = await query.OptionsAsync(Auditor);
        Assert.Equal(stored.Select(e => e.Operation).Distinct().Order(StringComparer.Ordinal).ToArray(), options.Operations.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("grant", options.SubjectTypes);
        Assert.Contains(options.EventTypes, t => t.Code == 4000);
        Assert.Contains(options.Actors, a => a.UserId == Co2.UserId && a.Name == Co2.DisplayName);
    }
}
