using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Vendors;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>Each test gets its own database (a fresh class instance), so tampering in one cannot leak into another.</summary>
public sealed class AuditTrailTests() : ClockedPortalTest("audit")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private static readonly Actor Auditor = new(Guid.NewGuid(), "Jordan Auditor", Roles.Auditor, null, null);

    protected override Task ArrangeAsync() => Portal.SeedDemoAsync();

    [Fact]
    public async Task CreatingAnAccount_IsAudited_WithItsActor_AndWithoutSecrets()
    {
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAsync(Admin, new NewAccount("new@audit.test", "New Person", Roles.Auditor, null, DemoSeeder.DemoPassword));
            Assert.True(created.Succeeded);
        }

        var events = await EventsAsync(e => e.Operation == "account.create" && e.ActorName == "Avery Admin");
        Assert.Equal([AuditEventTypes.For(typeof(ApplicationUser), AuditEventTypes.Change.Created).Code,
            AuditEventTypes.For(typeof(Microsoft.AspNetCore.Identity.IdentityUserRole<Guid>), AuditEventTypes.Change.Created).Code],
            events.Select(e => e.EventType).ToArray());
        Assert.All(events, e => Assert.Equal(Roles.Administrator, e.ActorRole));
        Assert.Single(events.Select(e => e.CorrelationId).Distinct());

        using var changes = JsonDocument.Parse(events[0].Changes);
        Assert.Equal("new@audit.test", changes.RootElement.GetProperty("email").GetProperty("after").GetString());
        Assert.Equal("[redacted]", changes.RootElement.GetProperty("passwordHash").GetProperty("after").GetString());
        Assert.Equal("[redacted]", changes.RootElement.GetProperty("securityStamp").GetProperty("after").GetString());
        Assert.DoesNotContain("AQAAAA", events[0].Changes, StringComparison.Ordinal); // Identity's hash prefix
    }

    [Fact]
    public async Task SignIns_AreAudited_WithTheAccountAsActor()
    {
        using var session = PortalSession.Open(Portal);
        session.Client.DefaultRequestHeaders.UserAgent.ParseAdd("ComplianceHubTests/1.0");
        Assert.True(await session.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var events = await EventsAsync(e => e.Operation == "account.sign-in");
        var signIn = Assert.Single(events, e => e.SubjectType == "account");
        Assert.Equal("Casey Officer", signIn.ActorName);
        Assert.Equal("password", signIn.AuthenticationMethod);
        Assert.Contains("lastSignInAt", signIn.Changes, StringComparison.Ordinal);
        // The server-side session opened in the same transaction, with where it came from.
        var opened = Assert.Single(events, e => e.SubjectType == "session");
        Assert.Equal(signIn.CorrelationId, opened.CorrelationId);
        Assert.Contains("ComplianceHubTests/1.0", opened.Changes, StringComparison.Ordinal);
        Assert.Contains("expiresAt", opened.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChain_Verifies_AndItsHeadIsTheLastEvent()
    {
        var result = await VerifyAsync();
        var count = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!;
        var last = (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT hash FROM audit_events ORDER BY sequence DESC LIMIT 1"))!;
        Assert.True(result.Valid, result.Problem);
        Assert.True(count > 60, "the demo seed is audited event by event");
        Assert.Equal(count, result.Events);
        Assert.Equal(last, result.HeadHash);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET actor_name = 'someone else' WHERE sequence = 1")]
    [InlineData("DELETE FROM audit_events WHERE sequence = 1")]
    [InlineData("TRUNCATE audit_events")]
    public async Task AppRole_CannotChangeOrRemoveAuditEvents(string sql)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    [Fact]
    public async Task EvenTheOwner_IsStoppedByTheTrigger()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(Database.OwnerConnectionString, "UPDATE audit_events SET actor_name = 'x' WHERE sequence = 3"));
        Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET changes = '{\"name\": {\"before\": null, \"after\": \"Innocent Vendor\"}}' WHERE sequence = 5", 5, "altered")]
    [InlineData("UPDATE audit_events SET occurred_at = occurred_at - interval '1 day' WHERE sequence = 6", 6, "altered")]
    [InlineData("DELETE FROM audit_events WHERE sequence = 7", 7, "missing")]
    public async Task TamperingThroughTheOwner_IsDetected_AtTheFirstBrokenEvent(string tampering, long brokenSequence, string problem)
    {
        await AsOwnerWithoutTriggerAsync(tampering);

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(brokenSequence, result.FirstBrokenSequence);
        Assert.Contains(problem, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RewritingAnEventAndItsHash_IsDetected_AtTheNextLink()
    {
        // A careful forger recomputes the altered event's own hash; the next event's link still exposes it.
        await using (var db = ComplianceDbContextFactory.Create(Database.OwnerConnectionString))
        {
            var e = await db.AuditEvents.AsNoTracking().SingleAsync(x => x.Sequence == 4);
            var forged = new AuditEvent
            {
                Sequence = e.Sequence, OccurredAt = e.OccurredAt, ActorUserId = e.ActorUserId, ActorName = "Nobody", ActorRole = e.ActorRole,
                ActorVendorId = e.ActorVendorId, AuthenticationMethod = e.AuthenticationMethod, EventType = e.EventType, Operation = e.Operation,
                SubjectType = e.SubjectType, SubjectId = e.SubjectId, Changes = e.Changes, RuleOutcomes = e.RuleOutcomes,
                CorrelationId = e.CorrelationId, PreviousHash = e.PreviousHash,
            };
            var hash = AuditChain.ComputeHash(forged);
            await AsOwnerWithoutTriggerAsync($"UPDATE audit_events SET actor_name = 'Nobody', hash = '{hash}' WHERE sequence = 4");
        }

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task ABreakSeveralBatchesDeep_IsReportedAtItsSequence_ThoughLaterEventsAreBrokenToo()
    {
        // A trail of several hashing batches: 7,500 events appended as the portal appends them, in one transaction.
        var contexts = Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var scope = new AuditScope(AuditActor.From(Admin, "test"), "test.bulk", Guid.CreateVersion7().ToString());
            using var ambient = AuditScope.Begin(scope);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditRecorder.AppendAsync(db, Enumerable.Range(0, 7_500).Select(i =>
                new AuditRecorder.AuditDraft(AuditEventTypes.Export, "export", $"bulk-{i}", "{\"n\": {\"before\": null, \"after\": " + i + "}}", "[]")),
                scope, DateTimeOffset.UtcNow, default);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        var count = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!;
        var deep = count - 2 * AuditChainVerifier.BatchSize - 321; // three batches or more from the start, two from the end
        Assert.True(deep > 3 * AuditChainVerifier.BatchSize);
        Assert.True((await VerifyAsync()).Valid);

        // The first break altered, then a later link broken and a later event removed: each batch after the first broken one
        // is hashed (in parallel) before the walk reaches it, and the walk still names the first.
        var actorName = (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT actor_name FROM audit_events WHERE sequence = {deep}"))!;
        await AsOwnerWithoutTriggerAsync($"UPDATE audit_events SET actor_name = 'Forger' WHERE sequence = {deep}");
        await AsOwnerWithoutTriggerAsync($"UPDATE audit_events SET previous_hash = repeat('1', 64) WHERE sequence = {deep + 700}");
        await AsOwnerWithoutTriggerAsync($"DELETE FROM audit_events WHERE sequence = {count - 5}");

        var progress = new List<ChainProgress>();
        await using var verifying = Portal.Services.CreateAsyncScope();
        var result = await verifying.ServiceProvider.GetRequiredService<AuditChainVerifier>()
            .VerifyAsync(Auditor, new SynchronousProgress(progress.Add));
        Assert.False(result.Valid);
        Assert.Equal(deep, result.FirstBrokenSequence);
        Assert.Equal($"Event {deep}: its content does not match its hash (the event was altered).", result.Problem);
        Assert.Equal(deep - 1, result.Events);
        var before = (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT hash FROM audit_events WHERE sequence = {deep - 1}"))!;
        Assert.Equal(before, result.HeadHash);
        // Progress was heard every interval up to the break, in order.
        Assert.True(deep > AuditChainVerifier.ProgressInterval);
        Assert.Equal(Enumerable.Range(0, (int)(deep / AuditChainVerifier.ProgressInterval) + 1).Select(i => (long)i * AuditChainVerifier.ProgressInterval),
            progress.Select(p => p.Checked));

        // Mended, the next break is the link; then the gap.
        await AsOwnerWithoutTriggerAsync($"UPDATE audit_events SET actor_name = '{actorName}' WHERE sequence = {deep}");
        var link = await VerifyAsync();
        Assert.Equal(deep + 700, link.FirstBrokenSequence);
        Assert.Contains("previous-hash does not match", link.Problem, StringComparison.Ordinal);
        await AsOwnerWithoutTriggerAsync($"UPDATE audit_events SET previous_hash = (SELECT hash FROM audit_events WHERE sequence = {deep + 699}) WHERE sequence = {deep + 700}");
        var gap = await VerifyAsync();
        Assert.Equal(count - 5, gap.FirstBrokenSequence);
        Assert.Equal($"Event {count - 5}: event {count - 5} is missing (the next stored event is {count - 4}).", gap.Problem);
    }

    /// <summary>Hears progress on the reporting thread (<see cref="Progress{T}"/> would post it later, to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ChainProgress> report) : IProgress<ChainProgress>
    {
        public void Report(ChainProgress value) => report(value);
    }

    [Fact]
    public async Task ConcurrentWriters_ExtendOneChain_WithoutForksOrGaps()
    {
        var before = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!;
        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await using var scope = Portal.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAsync(Admin, new NewAccount($"parallel{i}@audit.test", $"Parallel {i}", Roles.Auditor, null, DemoSeeder.DemoPassword));
            Assert.True(result.Succeeded);
        }));

        var result = await VerifyAsync();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(before + 24, result.Events);
    }

    [Fact]
    public async Task AWriteWithoutAnActor_IsRefused_AndNothingIsWritten()
    {
        var contexts = Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        db.Vendors.Add(new Vendor(Guid.NewGuid(), "Anonymous Vendor", "9ANON", "ANONYMOUS001"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("audit scope", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM vendors WHERE name = 'Anonymous Vendor'"));
    }

    [Fact]
    public async Task AFailedWrite_LeavesNoAuditEvent()
    {
        var before = (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"))!;
        var contexts = Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        using (AuditScope.Begin(Admin, "vendor.create"))
        {
            // The same CAGE code as Acme: the unique index refuses it at save.
            db.Vendors.Add(new Vendor(Guid.NewGuid(), "Copy Vendor", "1ACM5", "COPYVENDOR01"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
        Assert.Equal(before, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"));
    }

    [Fact]
    public async Task VerifyEndpoint_IsForAuditorsAndAdministrators()
    {
        using var auditor = PortalSession.Open(Portal);
        Assert.True(await auditor.SignInAsync("auditor@demo.local", DemoSeeder.DemoPassword));
        var body = await auditor.Client.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.True(body.GetProperty("events").GetInt64() > 0);
        Assert.Matches("^[0-9a-f]{64}$", body.GetProperty("headHash").GetString()!);

        using var officer = PortalSession.Open(Portal);
        Assert.True(await officer.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.Client.GetAsync("/api/v1/audit/verify")).StatusCode);

        using var rep = PortalSession.Open(Portal);
        Assert.True(await rep.SignInAsync("rep@acme.demo.local", DemoSeeder.DemoPassword));
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.GetAsync("/api/v1/audit/verify")).StatusCode);

        using var anonymous = PortalSession.Open(Portal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Client.GetAsync("/api/v1/audit/verify")).StatusCode);
    }

    private async Task<ChainVerification> VerifyAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Auditor);
    }

    private async Task<List<AuditEvent>> EventsAsync(System.Linq.Expressions.Expression<Func<AuditEvent, bool>> filter)
    {
        var contexts = Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(filter).OrderBy(e => e.Sequence).ToListAsync();
    }

    private Task AsOwnerWithoutTriggerAsync(string sql) =>
        Database.AsOwnerWithoutTriggerAsync("audit_events", "audit_events_no_update_or_delete", sql);
}
