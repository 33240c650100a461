using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Common.Idempotency;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// The Idempotency-Key header on API writes (ADR 0041): a retry with the same key never applies a change twice — replayed when
/// the response was kept, answered "already applied" when it was not — and a key is its caller's alone.
/// </summary>
public sealed class ApiIdempotencyTests() : ApiTestBase("apiidem")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static HttpRequestMessage CreateVendor(string key, string name, string cage, string uei)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vendors") { Content = JsonContent.Create(new { name, cageCode = cage, uei }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private Task<long> CountAsync(string sql) => ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql) => (T)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;

    private Task<long> VendorsNamedAsync(string name) => CountAsync($"SELECT count(*) FROM vendors WHERE name = '{name}'");

    private Task<long> VendorEventsAsync() => CountAsync("SELECT count(*) FROM audit_events WHERE event_type = 2000");

    [Fact]
    public async Task TheSameKeyTwice_AppliesOnce_AndReplaysTheFirstResponse()
    {
        using var co = await AsAsync(Co1Email);
        var events = await VendorEventsAsync();

        var first = await co.SendAsync(CreateVendor("create-initrode-1", "Initrode Federal", "9INI1", "INITRODE0001"));
        var retry = await co.SendAsync(CreateVendor("create-initrode-1", "Initrode Federal", "9INI1", "INITRODE0001"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotency-Replayed")));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType?.MediaType, retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await VendorsNamedAsync("Initrode Federal"));
        Assert.Equal(events + 1, await VendorEventsAsync());
        // The key records the change's audit event, marked in the transaction that committed it.
        var sequence = await ScalarAsync<long>("SELECT audit_sequence FROM idempotency_keys WHERE key = 'create-initrode-1'");
        Assert.Equal(2000, await ScalarAsync<int>($"SELECT event_type FROM audit_events WHERE sequence = {sequence}"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TwoRequestsWithTheSameKeyAtOnce_ApplyOnce_TheOtherIsToldToWaitOrReplayed()
    {
        using var co = await AsAsync(Co1Email);
        var events = await VendorEventsAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => co.SendAsync(CreateVendor("create-hooli", "Hooli Gov", "9HOO1", "HOOLIGOV0001"))));

        Assert.Equal(1, await VendorsNamedAsync("Hooli Gov"));
        Assert.Equal(events + 1, await VendorEventsAsync());
        var applied = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotency-Replayed"));
        foreach (var other in responses.Where(r => r != applied))
        {
            if (other.StatusCode == HttpStatusCode.Conflict)
            {
                Assert.NotNull(other.Headers.RetryAfter);
                Assert.Contains("still being processed", (await BodyAsync(other)).GetProperty("title").GetString());
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, other.StatusCode);
                Assert.Equal("true", Assert.Single(other.Headers.GetValues("Idempotency-Replayed")));
            }
        }
        // Once the first has answered, a retry is the first's response.
        var later = await co.SendAsync(CreateVendor("create-hooli", "Hooli Gov", "9HOO1", "HOOLIGOV0001"));
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(await applied.Content.ReadAsStringAsync(), await later.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSameKeyForADifferentRequest_Is422_AndDoesNothing()
    {
        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Created, (await co.SendAsync(CreateVendor("create-vandelay", "Vandelay Industries", "9VAN1", "VANDELAY0001"))).StatusCode);

        var other = await co.SendAsync(CreateVendor("create-vandelay", "Vandelay Imports", "9VAN2", "VANDELAY0002"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        var problem = await BodyAsync(other);
        Assert.StartsWith("This Idempotency-Key was used for a different request (POST /api/v1/vendors", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await VendorsNamedAsync("Vandelay Imports"));
    }

    [Fact]
    public async Task AKeyIsItsCallersOwn_AnotherCallerWithTheSameKeyAppliesTheirOwnChange()
    {
        using var co1 = await AsAsync(Co1Email);
        using var co2 = await AsAsync(Co2Email);

        var first = await co1.SendAsync(CreateVendor("shared-key", "Stark Federal", "9STA1", "STARKFED0001"));
        var second = await co2.SendAsync(CreateVendor("shared-key", "Wayne Federal", "9WAY1", "WAYNEFED0001"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotency-Replayed"));
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await VendorsNamedAsync("Stark Federal"));
        Assert.Equal(1, await VendorsNamedAsync("Wayne Federal"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'shared-key'"));
    }

    [Fact]
    public async Task AppliedButTheResponseLost_TheRetryIsToldItWasApplied_AndNothingIsAppliedAgain()
    {
        using var co = await AsAsync(Co1Email);
        var first = await co.SendAsync(CreateVendor("create-cyberdyne", "Cyberdyne Federal", "9CYB1", "CYBERDYN0001"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var events = await VendorEventsAsync();
        // As if the portal had stopped between the commit (which marked the key applied) and storing the response.
        await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "UPDATE idempotency_keys SET response_status = NULL, response_content_type = NULL, response_location = NULL, response_body = NULL, " +
            "response_body_kept = false, completed_at = NULL WHERE key = 'create-cyberdyne'");

        // Within the claim's lease the request may still be storing its response: the retry is asked to wait.
        var early = await co.SendAsync(CreateVendor("create-cyberdyne", "Cyberdyne Federal", "9CYB1", "CYBERDYN0001"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.NotNull(early.Headers.RetryAfter);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var retry = await co.SendAsync(CreateVendor("create-cyberdyne", "Cyberdyne Federal", "9CYB1", "CYBERDYN0001"));

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Null(retry.Headers.RetryAfter); // not "try again": it is done
        var problem = await BodyAsync(retry);
        Assert.True(problem.GetProperty("applied").GetBoolean());
        var sequence = problem.GetProperty("auditSequence").GetInt64();
        Assert.Contains($"audit event {sequence}", problem.GetProperty("detail").GetString());
        Assert.Contains("It was not applied again", problem.GetProperty("detail").GetString());
        Assert.Equal(1, await VendorsNamedAsync("Cyberdyne Federal"));
        Assert.Equal(events, await VendorEventsAsync());
    }

    [Fact]
    public async Task AClaimWhoseRequestStoppedBeforeCommitting_IsTakenOverOnceItsLeaseRunsOut()
    {
        using var co = await AsAsync(Co1Email);
        var first = await co.SendAsync(CreateVendor("create-soylent", "Soylent Federal", "9SOY1", "SOYLENTF0001"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        // As if a request had claimed the key and its instance had died before its change committed: no applied mark, no response.
        await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "UPDATE idempotency_keys SET applied_at = NULL, audit_sequence = NULL, response_status = NULL, response_body = NULL, response_body_kept = false " +
            "WHERE key = 'create-soylent'");

        var waiting = await co.SendAsync(CreateVendor("create-soylent", "Soylent Federal", "9SOY1", "SOYLENTF0001"));
        Assert.Equal(HttpStatusCode.Conflict, waiting.StatusCode); // within the lease the claim is the other request's
        Assert.NotNull(waiting.Headers.RetryAfter);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var taken = await co.SendAsync(CreateVendor("create-soylent", "Soylent Federal", "9SOY1", "SOYLENTF0001"));
        // The retry runs the request: the vendor exists already (the simulation kept it), so the duplicate check answers — no second vendor.
        Assert.NotEqual(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.False(taken.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, await VendorsNamedAsync("Soylent Federal"));
    }

    [Fact]
    public async Task AFailureARetryMayFix_GivesTheKeyUp_AndAnInvalidRequestIsReplayed()
    {
        using var co = await AsAsync(Co1Email);
        var created = await BodyAsync(await co.PostAsJsonAsync("/api/v1/vendors", new { name = "Tyrell Federal", cageCode = "9TYR1", uei = "TYRELLFE0001" }));
        var id = created.GetProperty("id").GetGuid();

        // A stale version is a 409: nothing was applied, and the key is given up so the same request may be sent again.
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/vendors/{id}")
        {
            Content = JsonContent.Create(new { name = "Tyrell Corp", cageCode = "9TYR1", uei = "TYRELLFE0001", version = "1" }),
            Headers = { { "Idempotency-Key", "stale-put" } },
        };
        Assert.Equal(HttpStatusCode.Conflict, (await co.SendAsync(stale)).StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM idempotency_keys WHERE key = 'stale-put'"));

        // Invalid input is a 400 that is kept and replayed (the draft allows it): the same request gets the same answer.
        var invalid = await co.SendAsync(CreateVendor("invalid-post", "", "x", "y"));
        var again = await co.SendAsync(CreateVendor("invalid-post", "", "x", "y"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotency-Replayed")));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData(null)]
    public async Task AnEmptyOrOverlongKey_Is400(string? key)
    {
        using var co = await AsAsync(Co1Email);
        var response = await co.SendAsync(CreateVendor(key ?? new string('k', 256), "Nakatomi Federal", "9NAK1", "NAKATOMI0001"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 to 255 characters", (await BodyAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await VendorsNamedAsync("Nakatomi Federal"));
    }

    [Fact]
    public async Task ExpiredKeys_ArePurgedInBatches_AndAnExpiredKeyIsANewKey()
    {
        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Created, (await co.SendAsync(CreateVendor("expiring", "Acme Expiry", "9EXP1", "EXPIRING0001"))).StatusCode);
        var keys = await CountAsync("SELECT count(*) FROM idempotency_keys");

        // Older than the key lifetime (24 hours by default); the bearer token would not outlive moving the clock a day on.
        await TestDatabase.ScalarAsync(Database.AppConnectionString, "UPDATE idempotency_keys SET expires_at = expires_at - interval '25 hours'");
        var store = Portal.Services.GetRequiredService<IdempotencyStore>();
        var purged = await store.PurgeExpiredAsync(CancellationToken.None);

        Assert.Equal(keys, purged);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM idempotency_keys"));
        // Past its lifetime the key names a new request: this one runs (and meets the vendor's duplicate check).
        var reused = await co.SendAsync(CreateVendor("expiring", "Acme Expiry", "9EXP1", "EXPIRING0001"));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.False(reused.Headers.Contains("Idempotency-Replayed"));
    }

    [Fact]
    public async Task ARosterImportSentTwiceWithItsKey_IsImportedOnce()
    {
        using var rep = await AsAsync(AcmeEmail);
        var file = "employeeId,fullName,email,employerType,citizenships,countryOfBirth,usLawfulPermanentResident,workCountry,workCity," +
                   "investigationTier,adjudicatedOn,continuousVetting,clearance,ndaSignedOn,escortQualification,escortTrainingOn,employmentStatus\n" +
                   "IDEM-1,Ida Empotent,ida@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n";
        HttpRequestMessage Upload()
        {
            var part = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(file));
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            // A fixed boundary: a retry sends the same bytes, as a client retrying its request does.
            var form = new MultipartFormDataContent("idem-boundary") { { part, "file", "roster.csv" } };
            return new HttpRequestMessage(HttpMethod.Post, $"/api/v1/vendors/{Core.Data.Seeding.DemoSeeder.AcmeId}/roster-imports")
            {
                Content = form, Headers = { { "Idempotency-Key", "import-once" } },
            };
        }
        var events = await CountAsync("SELECT count(*) FROM audit_events");

        var first = await rep.SendAsync(Upload());
        var retry = await rep.SendAsync(Upload());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(JsonNode.Parse(await first.Content.ReadAsStringAsync())!["applied"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotency-Replayed")));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM people WHERE employee_id = 'IDEM-1'"));
        Assert.Equal(events + 2, await CountAsync("SELECT count(*) FROM audit_events")); // the person and the file's record, once
    }
}
