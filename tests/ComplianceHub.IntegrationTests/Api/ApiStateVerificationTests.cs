using System.Net;
using ComplianceHub.Core.Auditing;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// <c>GET /api/v1/audit/verify-state</c> (ADR 0031): auditors and administrators compare the tables with the trail; other roles
/// are refused (403), anonymous callers 401; the answer names each unexplained row in words, with the JSON values beside them.
/// </summary>
public sealed class ApiStateVerificationTests() : ApiTestBase("apiverifystate")
{
    private Guid person;

    protected override async Task ArrangePeopleAsync() => person = await AddPersonAsync("US", name: "Api Tampered");

    [Fact]
    public async Task AnAuditor_GetsEveryTable_AndEachUnexplainedRowInWords()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var clean = await BodyAsync(await auditor.GetAsync("/api/v1/audit/verify-state"));
        Assert.True(clean.GetProperty("clean").GetBoolean());
        Assert.Equal(["access_grants", "cloud_systems", "escort_assignments", "findings", "integrity_findings", "people", "policy_versions", "vendors"],
            clean.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("table").GetString()!).Order());

        await using (var connection = new NpgsqlConnection(Database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { "ALTER TABLE people DISABLE TRIGGER USER", $"UPDATE people SET work_country = 'IR' WHERE id = '{person}'",
                         "ALTER TABLE people ENABLE TRIGGER USER" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        using var admin = await AsAsync(AdminEmail);
        var response = await admin.GetAsync("/api/v1/audit/verify-state?limit=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal((false, 1L, false), (body.GetProperty("clean").GetBoolean(), body.GetProperty("discrepancies").GetInt64(), body.GetProperty("truncated").GetBoolean()));
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(("people", person.ToString(), "Changed", "workCountry", "United States (US)", "Iran (IR)", "US", "IR"),
            (item.GetProperty("table").GetString(), item.GetProperty("rowId").GetString(), item.GetProperty("kind").GetString(),
             item.GetProperty("field").GetString(), item.GetProperty("expected").GetString(), item.GetProperty("found").GetString(),
             item.GetProperty("trailValue").GetString(), item.GetProperty("tableValue").GetString()));
        Assert.StartsWith("Person Api Tampered (Acme Cloud Services): work country changed outside the portal", item.GetProperty("explanation").GetString(),
            StringComparison.Ordinal);

        // limit=0 counts without listing; a limit past the cap is a 400 naming the field.
        var counted = await BodyAsync(await admin.GetAsync("/api/v1/audit/verify-state?limit=0"));
        Assert.Equal((1L, 0, true), (counted.GetProperty("discrepancies").GetInt64(), counted.GetProperty("items").GetArrayLength(), counted.GetProperty("truncated").GetBoolean()));
        var tooMany = await admin.GetAsync($"/api/v1/audit/verify-state?limit={StateVerifier.MaxListed + 1}");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await BodyAsync(tooMany)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task OfficersAndRepresentatives_AreRefused_AndAnonymousCallersAreNotSignedIn()
    {
        foreach (var email in new[] { Co1Email, AcmeEmail, GlobexEmail })
        {
            using var caller = await AsAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync("/api/v1/audit/verify-state")).StatusCode);
        }
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/audit/verify-state")).StatusCode);
    }

    [Fact]
    public async Task WhileAnotherVerificationRuns_TheAnswerIs409()
    {
        await using var otherInstance = await Database.HoldAdvisoryLockAsync(StateVerifier.LockKey);
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync("/api/v1/audit/verify-state");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Another state verification is running", (await BodyAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
