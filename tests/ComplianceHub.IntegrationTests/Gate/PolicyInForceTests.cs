using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Gate;

/// <summary>
/// The gate keeps the active policy version between changes (ActivePolicyCache) and never trusts it on its own: every
/// change is decided under the version active when it reaches the audit trail, whether the version was activated in this
/// process or another, before the change was evaluated or while it was.
/// </summary>
public sealed class PolicyInForceTests() : CommandPortalTest("inforce")
{
    private Guid person;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US", birth: "US");
        // Someone else's request first: the gate now holds version 1 (at most 365 days per grant) for this database.
        var colleague = await AddPersonAsync("US", birth: "US", email: "colleague@acme.example", name: "A Colleague");
        var first = await SendAsync(Co1, new RequestGrant(colleague, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Monitoring"));
        Assert.True(first.IsOk, first.Message);
    }

    /// <summary>An officer's request on IL2 for a US person: decided at once (active, naming the version it was decided under).</summary>
    private RequestGrant Request(int days, bool dryRun = false) =>
        new(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(days), "Monitoring", dryRun);

    private async Task<PolicyVersionView> DraftAsync(int maxGrantDays)
    {
        var draft = await SendAsync(Co1, new DraftPolicyVersion($"At most {maxGrantDays} days", PolicyDefaults.Baseline2026 with { MaxGrantDays = maxGrantDays }));
        Assert.True(draft.IsOk, draft.Message);
        return draft.Value!;
    }

    private async Task<int> GrantsAsync()
    {
        await using var db = await ContextAsync();
        return await db.Grants.CountAsync(g => g.PersonId == person);
    }

    /// <summary>
    /// Another process holds the chain lock (as an activation does) while a request runs up to it and waits; the other
    /// process then activates <paramref name="version"/> and commits, and the request goes on.
    /// </summary>
    private async Task<Outcome<GrantView>> RequestWhileActivatingAsync(Guid version, int days)
    {
        await using var other = new NpgsqlConnection(Database.OwnerConnectionString);
        await other.OpenAsync();
        var activation = await other.BeginTransactionAsync();
        await Execute(other, $"SELECT pg_advisory_xact_lock({AuditRecorder.ChainLockKey})");
        var request = SendAsync(Co1, Request(days));
        await WaitUntilWaitingForTheChainLockAsync(request);
        await Execute(other, "UPDATE policy_versions SET status = 'Retired', retired_at = now() WHERE status = 'Active'");
        await Execute(other, $"UPDATE policy_versions SET status = 'Active', activated_at = now() WHERE id = '{version}'");
        await activation.CommitAsync();
        return await request;
    }

    [Fact]
    public async Task AVersionActivatedWhileAChangeWaitsForTheTrail_DecidesIt_AndTheChangeIsRunAgainUnderIt()
    {
        var stricter = await DraftAsync(200);

        // A 300-day request is evaluated under the version the gate holds (1: allowed), then waits for the lock.
        var outcome = await RequestWhileActivatingAsync(stricter.Id, 300);

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        var terms = Assert.Single(outcome.Violations!, v => v.RuleId == "GRANT-TERMS");
        Assert.Equal(2, terms.PolicyVersion);
        Assert.Equal(0, await GrantsAsync());
    }

    [Fact]
    public async Task ARefusalRecordedAfterAVersionWasActivatedUnderIt_DoesNotStand_TheRequestRunsAgain()
    {
        var longer = await DraftAsync(500);

        // A 400-day request is refused under version 1 and waits for the lock to record the refusal.
        var outcome = await RequestWhileActivatingAsync(longer.Id, 400);

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(longer.Id, outcome.Value!.PolicyVersionId);
        await using var db = await ContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EventType == AuditEventTypes.AccessDecisionRefused));
    }

    [Fact]
    public async Task AChangeThatReadsTwoVersions_SawAnActivation_AndStops()
    {
        await using var db = await ContextAsync();
        var (first, _) = await ComplianceHub.Core.Gate.ActivePolicy.ForChangeAsync(db, CancellationToken.None);
        Assert.Equal(first.Id, db.EvaluatedUnder!.Value.Id);

        var stricter = await DraftAsync(200);
        Assert.True((await SendAsync(Co2, new ActivatePolicyVersion(stricter.Id))).IsOk);

        await Assert.ThrowsAsync<ComplianceHub.Core.Gate.PolicyChangedException>(() =>
            ComplianceHub.Core.Gate.ActivePolicy.ForChangeAsync(db, CancellationToken.None));
    }

    [Fact]
    public async Task ARefusalUnderAVersionReplacedSince_DoesNotStand_TheRequestIsDecidedUnderTheNewOne()
    {
        var longer = await DraftAsync(500);
        var activated = await SendAsync(Co2, new ActivatePolicyVersion(longer.Id));
        Assert.True(activated.IsOk, activated.Message);

        // 400 days: refused under version 1 (which the gate still holds), allowed under version 2.
        var outcome = await SendAsync(Co1, Request(400));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(GrantStatus.Active, outcome.Value!.Status);
        Assert.Equal(longer.Id, outcome.Value.PolicyVersionId);
        await using var db = await ContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EventType == AuditEventTypes.AccessDecisionRefused)); // no refusal was recorded
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AGrantUnderAVersionReplacedSince_IsNotWritten_TheRequestIsRefusedUnderTheNewOne()
    {
        var stricter = await DraftAsync(200);
        Assert.True((await SendAsync(Co2, new ActivatePolicyVersion(stricter.Id))).IsOk);

        var outcome = await SendAsync(Co1, Request(300));

        Assert.Equal(OutcomeKind.Refused, outcome.Kind);
        Assert.Equal(2, Assert.Single(outcome.Violations!, v => v.RuleId == "GRANT-TERMS").PolicyVersion);
        Assert.Equal(0, await GrantsAsync());
    }

    [Fact]
    public async Task ADryRun_ReadsTheActiveVersion()
    {
        var stricter = await DraftAsync(200);
        Assert.True((await SendAsync(Co2, new ActivatePolicyVersion(stricter.Id))).IsOk);

        var preview = await SendAsync(Co1, Request(300, dryRun: true));

        Assert.Equal(OutcomeKind.Refused, preview.Kind);
        Assert.Equal(2, Assert.Single(preview.Violations!, v => v.RuleId == "GRANT-TERMS").PolicyVersion);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Until the request waits for the advisory lock (polled: a busy machine takes as long as it takes).</summary>
    private async Task WaitUntilWaitingForTheChainLockAsync(Task request)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(request.IsCompleted, "The request finished without waiting for the chain lock.");
            var waiting = await TestDatabase.ScalarAsync(Database.OwnerConnectionString,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
            if (Convert.ToInt64(waiting, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The request never waited for the chain lock.");
    }
}
