using System.Net;
using System.Text.Json;
using ComplianceHub.IntegrationTests.Auditing;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// The checkpoints over the API: the verification answer carries what they say, auditors and administrators list them, only an
/// administrator signs one; officers and vendor representatives do neither (403, API.md: the role may not).
/// </summary>
public sealed class ApiCheckpointTests() : CheckpointTestBase("apickpt")
{
    [Fact]
    public async Task AnAdministratorSigns_AnAuditorListsAndVerifies_OthersAreRefused()
    {
        using var admin = await AsAsync(AdminEmail);
        var signed = await BodyAsync(await Expect(await admin.PostAsync("/api/v1/audit/checkpoints", null), HttpStatusCode.OK));
        Assert.Equal("Signed", signed.GetProperty("status").GetString());
        var head = await HeadAsync();
        Assert.Equal(head, signed.GetProperty("checkpoint").GetProperty("sequence").GetInt64());
        var again = await BodyAsync(await Expect(await admin.PostAsync("/api/v1/audit/checkpoints", null), HttpStatusCode.OK));
        Assert.Equal("NotDue", again.GetProperty("status").GetString());

        using var auditor = await AsAsync(AuditorEmail);
        var list = await BodyAsync(await Expect(await auditor.GetAsync("/api/v1/audit/checkpoints?pageSize=10"), HttpStatusCode.OK));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var item = list.GetProperty("items")[0];
        Assert.Equal(head, item.GetProperty("sequence").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", item.GetProperty("keyId").GetString()!);
        Assert.True(item.GetProperty("trusted").GetBoolean());
        Assert.True(item.GetProperty("signedByCurrentKey").GetBoolean());
        Assert.NotEmpty(Convert.FromBase64String(item.GetProperty("signature").GetString()!));

        var verify = await BodyAsync(await Expect(await auditor.GetAsync("/api/v1/audit/verify"), HttpStatusCode.OK));
        Assert.True(verify.GetProperty("valid").GetBoolean());
        var checkpoints = verify.GetProperty("checkpoints");
        Assert.Equal(1, checkpoints.GetProperty("checked").GetInt32());
        Assert.Equal(head, checkpoints.GetProperty("lastValid").GetProperty("sequence").GetInt64());
        Assert.Equal("Compared", checkpoints.GetProperty("file").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, checkpoints.GetProperty("forgedRange").ValueKind);

        // An auditor reads but does not sign; officers and representatives do neither.
        await Expect(await auditor.PostAsync("/api/v1/audit/checkpoints", null), HttpStatusCode.Forbidden);
        foreach (var email in new[] { Co1Email, AcmeEmail })
        {
            using var other = await AsAsync(email);
            await Expect(await other.GetAsync("/api/v1/audit/checkpoints"), HttpStatusCode.Forbidden);
            await Expect(await other.PostAsync("/api/v1/audit/checkpoints", null), HttpStatusCode.Forbidden);
        }
        Assert.Single(await TableAsync());
    }

    [Fact]
    public async Task TheVerifyAnswer_NamesTheFirstForgedRange_AfterAConsistentRewrite()
    {
        await AppendEventsAsync(20);
        var first = (await SignedAsync()).Checkpoint!.Sequence;
        await AppendEventsAsync(20);
        var second = (await SignedAsync()).Checkpoint!.Sequence;
        await RewriteAsync(first + 5, first + 5);

        using var auditor = await AsAsync(AuditorEmail);
        var verify = await BodyAsync(await Expect(await auditor.GetAsync("/api/v1/audit/verify"), HttpStatusCode.OK));
        Assert.False(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(first + 1, verify.GetProperty("firstBrokenSequence").GetInt64());
        var forged = verify.GetProperty("checkpoints").GetProperty("forgedRange");
        Assert.Equal(first + 1, forged.GetProperty("firstSequence").GetInt64());
        Assert.Equal(second, forged.GetProperty("lastSequence").GetInt64());
        Assert.Equal("Rewritten", verify.GetProperty("checkpoints").GetProperty("problem").GetProperty("kind").GetString());
    }

    private static async Task<HttpResponseMessage> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
