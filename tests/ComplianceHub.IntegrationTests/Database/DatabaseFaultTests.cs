using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// ADR 0042 on the real portal, its connections relayed through a cut the test controls (<see cref="TcpCut"/>): a change that
/// lost its connection before COMMIT runs again and is saved once; a change whose COMMIT was acknowledged but whose answer was
/// lost is read back as saved, never applied twice; while the database cannot be reached the API answers 503 with Retry-After
/// in words and /healthz is Unhealthy; once it can, everything answers again with no manual step.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private TcpCut relay = null!;
    private FaultyPortal portal = null!;
    private Actor acmeRep = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("faults");
        var target = new NpgsqlConnectionStringBuilder(database.AppConnectionString);
        relay = new TcpCut(target.Host!, target.Port);
        portal = new FaultyPortal(database, relay.Through(database.AppConnectionString));
        await portal.SeedDemoAsync();
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var rep = await db.Users.Where(u => u.Email == "rep@acme.demo.local").Select(u => new { u.Id, u.DisplayName }).SingleAsync();
        acmeRep = new Actor(rep.Id, rep.DisplayName, Roles.VendorRepresentative, DemoSeeder.AcmeId, null);
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await relay.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task ACommitWhoseAnswerWasLost_IsReadBackAsSaved_AndAppliedOnce()
    {
        portal.Faults.LoseTheAnswerOfTheNextCommit();

        var outcome = await AddPersonAsync("FAULT-AFTER");

        Assert.True(outcome.IsOk, $"{outcome.Kind} {outcome.Message}");
        Assert.Equal(0, portal.Faults.Armed);
        await AssertSavedOnceAsync("FAULT-AFTER", outcome.Value!.Person.Id);
    }

    [Fact]
    public async Task AConnectionLostAsTheCommitWasSent_ButBeforeItReachedTheServer_RunsTheChangeAgain_AndSavesItOnce()
    {
        portal.Faults.LoseTheConnectionBeforeTheNextCommit();

        var outcome = await AddPersonAsync("FAULT-BEFORE");

        Assert.True(outcome.IsOk, $"{outcome.Kind} {outcome.Message}");
        Assert.Equal(0, portal.Faults.Armed);
        await AssertSavedOnceAsync("FAULT-BEFORE", outcome.Value!.Person.Id);
    }

    [Fact]
    public async Task AfterEveryConnectionWasDropped_AsByARestart_TheNextChangeIsSaved_AndTheNextHealthCheckIsHealthy()
    {
        using var client = portal.CreateClient();
        // Several connections in the pool, all idle once these are done.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetAsync("/healthz")));

        relay.Drop();

        // The change's first connection is dead (it fails on its first statement): nothing was committed, so it runs again on a
        // fresh one; the failure cleared the pool, so the health check after it gets a fresh connection too.
        var outcome = await AddPersonAsync("FAULT-DROPPED");
        Assert.True(outcome.IsOk, $"{outcome.Kind} {outcome.Message}");
        await AssertSavedOnceAsync("FAULT-DROPPED", outcome.Value!.Person.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AChangeSentWhileTheDatabaseIsDown_WaitsForItWithinTheBudget_AndIsSavedOnce()
    {
        relay.Cut();
        var sending = AddPersonAsync("FAULT-WAITED");
        // Restored only once the change has been refused a connection at least once: no timing to fit.
        await Eventually.TrueAsync(() => Task.FromResult(relay.Refused > 0 || sending.IsCompleted), TimeSpan.FromSeconds(30));
        relay.Restore();

        var outcome = await sending;

        Assert.True(outcome.IsOk, $"{outcome.Kind} {outcome.Message}");
        await AssertSavedOnceAsync("FAULT-WAITED", outcome.Value!.Person.Id);
    }

    [Fact]
    public async Task WhileTheDatabaseCannotBeReached_TheApiAndPagesAnswer503WithRetryAfterInWords_HealthzIsUnhealthy_ThenAllAnswersAgain()
    {
        using var anonymous = portal.CreateClient();
        var token = await TokenAsync(anonymous, "co1@demo.local");
        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        var before = await PeopleCountAsync();
        using var browser = PortalSession.Open(portal);
        Assert.True(await browser.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));

        relay.Cut();

        var read = await api.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel");
        await AssertUnavailableAsync(read);
        var write = await api.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", new
        {
            employeeNumber = "FAULT-503", fullName = "Outage Person", email = "outage@acme.example", employerType = "VendorEmployee",
            citizenships = new[] { "US" }, countryOfBirth = "US", usPerson = true, workLocation = new { country = "US", city = "Reston" },
        });
        await AssertUnavailableAsync(write);
        // A change sent now is tried again for the executor's budget, then refused in words: nothing was changed.
        var refused = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => AddPersonAsync("FAULT-GIVEUP"));
        Assert.False(refused.OutcomeUnknown);
        // A page says it in words too, with no stack trace and nothing of the exception.
        var page = await browser.Client.GetAsync("/roster");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(page.Headers.RetryAfter);
        Assert.Contains("The database is restarting; nothing was saved. Try again in a moment.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/roster\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        var health = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        relay.Restore();

        await Eventually.TrueAsync(async () => (await anonymous.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        Assert.Equal(before, await PeopleCountAsync()); // the 503 said nothing was changed, and nothing was
    }

    [Fact]
    public async Task TheOpenApiDocument_DeclaresThe503AndItsRetryAfter_OnEveryOperation()
    {
        using var client = portal.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("responses", out _)))
            {
                operations++;
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("503", out var unavailable), $"{operation.Name} {path.Name} declares no 503");
                Assert.True(unavailable.GetProperty("headers").TryGetProperty("Retry-After", out _), $"{operation.Name} {path.Name}: its 503 has no Retry-After");
            }
        }
        Assert.True(operations > 50, $"only {operations} operations were read");
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{response.Content.Headers.ContentType}: {body}");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("The database is not reachable right now; nothing was changed. Try again in 5 seconds.", problem.GetProperty("detail").GetString());
        Assert.False(problem.GetProperty("outcomeUnknown").GetBoolean());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
    }

    private async Task<Outcome<PersonSaved>> AddPersonAsync(string employeeNumber)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(acmeRep, new AddPerson(DemoSeeder.AcmeId,
            new PersonFields(employeeNumber, "Fault Tolerant", $"{employeeNumber.ToLowerInvariant()}@acme.example", EmployerType.VendorEmployee,
                ["US"], "US", true, new WorkLocation("US", "Reston"))));
    }

    /// <summary>One person with the number, one audit event that added them, and a chain that verifies.</summary>
    private async Task AssertSavedOnceAsync(string employeeNumber, Guid personId)
    {
        var direct = database.AppConnectionString;
        Assert.Equal(1L, await TestDatabase.ScalarAsync(direct, $"SELECT count(*) FROM people WHERE employee_id = '{employeeNumber}'"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync(direct,
            $"SELECT count(*) FROM audit_events WHERE operation = 'add-person' AND subject_id = '{personId}'"));
        await using var scope = portal.Services.CreateAsyncScope();
        var chain = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Actor.ServerOperator);
        Assert.True(chain.Valid, chain.Problem);
    }

    private async Task<long> PeopleCountAsync() => (long)(await TestDatabase.ScalarAsync(database.AppConnectionString, "SELECT count(*) FROM people"))!;

    private static async Task<string> TokenAsync(HttpClient client, string email)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoSeeder.DemoPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Polls until the condition holds (every 100 ms), failing after the timeout: no wait that must fit.</summary>
    private static class Eventually
    {
        public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
        {
            var deadline = TimeProvider.System.GetUtcNow() + timeout;
            while (!await condition())
            {
                Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Not true within {timeout.TotalSeconds:0} s.");
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The portal on the relay, with a commit fault the test can arm once.</summary>
    private sealed class FaultyPortal(TestDatabase database, string relayed) : PortalFactory(database)
    {
        public CommitFaults Faults { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ConnectionStrings:ComplianceHub", relayed);
            builder.ConfigureServices(s => s.ConfigureDbContext<ComplianceDbContext>(o => o.AddInterceptors(Faults), ServiceLifetime.Singleton));
        }
    }

    /// <summary>
    /// A lost connection at the commit, as Npgsql reports one (an <see cref="NpgsqlException"/> over an <see cref="IOException"/>):
    /// before the COMMIT is sent (nothing committed), or after PostgreSQL committed it (the acknowledgement lost).
    /// </summary>
    private sealed class CommitFaults : DbTransactionInterceptor
    {
        private int before;
        private int after;

        public int Armed => before + after;

        public void LoseTheConnectionBeforeTheNextCommit() => Interlocked.Exchange(ref before, 1);

        public void LoseTheAnswerOfTheNextCommit() => Interlocked.Exchange(ref after, 1);

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(System.Data.Common.DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) =>
            Interlocked.Exchange(ref before, 0) == 1
                ? throw new NpgsqlException("Exception while writing to stream", new IOException("the test cut the connection before COMMIT"))
                : ValueTask.FromResult(result);

        public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default) =>
            Interlocked.Exchange(ref after, 0) == 1
                ? throw new NpgsqlException("Exception while reading from stream", new IOException("the test lost COMMIT's answer"))
                : Task.CompletedTask;
    }
}
