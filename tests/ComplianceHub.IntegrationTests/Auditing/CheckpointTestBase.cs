using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.IntegrationTests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The demo installation with the helpers the checkpoint tests share: sign as the portal's job does, append events as the portal
/// appends them, read the table and the checkpoint file, verify, and tamper as the database owner (triggers disabled).
/// </summary>
public abstract class CheckpointTestBase(string prefix) : ApiTestBase(prefix)
{
    protected static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    /// <summary>Signs through the production signer (what the background job, the API and the command line call).</summary>
    protected async Task<Outcome<CheckpointSigning>> SignAsync(SignChainCheckpoint? command = null, Actor? actor = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ChainCheckpointSigner>().SignAsync(actor ?? Admin, command ?? new SignChainCheckpoint());
    }

    /// <summary>Signs and expects a checkpoint of the head.</summary>
    protected async Task<CheckpointSigning> SignedAsync()
    {
        var outcome = await SignAsync();
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(CheckpointSigningStatus.Signed, outcome.Value!.Status);
        return outcome.Value;
    }

    /// <summary>Appends <paramref name="count"/> events to the chain as the portal does (under the chain lock, in one transaction).</summary>
    protected async Task AppendEventsAsync(int count)
    {
        await using var db = await ContextAsync();
        var scope = new AuditScope(AuditActor.From(Admin, "test"), "test.bulk", Guid.CreateVersion7().ToString());
        using var ambient = AuditScope.Begin(scope);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await AuditRecorder.AppendAsync(db, Enumerable.Range(0, count).Select(i =>
            new AuditRecorder.AuditDraft(AuditEventTypes.Export, "export", $"bulk-{i}", "{\"n\": {\"before\": null, \"after\": " + i + "}}", "[]")),
            scope, Clock.GetUtcNow(), default);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    protected async Task<long> HeadAsync()
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.MaxAsync(e => e.Sequence);
    }

    protected async Task<List<ChainCheckpoint>> TableAsync()
    {
        await using var db = await ContextAsync();
        return await db.ChainCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync();
    }

    /// <summary>The lines of this installation's append-only checkpoint file.</summary>
    protected string[] FileLines() => File.Exists(Portal.CheckpointLogPath) ? File.ReadAllLines(Portal.CheckpointLogPath) : [];

    protected async Task<ChainVerification> VerifyAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Auditor);
    }

    /// <summary>
    /// A consistent rewrite, as the database owner can make one: the events <paramref name="from"/> … <paramref name="to"/> given
    /// another actor, and every event from <paramref name="from"/> on re-linked and re-hashed, so the chain alone still checks out.
    /// </summary>
    protected async Task RewriteAsync(long from, long to)
    {
        await using var db = await ContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= from).OrderBy(e => e.Sequence).ToListAsync();
        var previous = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == from - 1).Select(e => e.Hash).SingleOrDefaultAsync()
            ?? AuditChain.GenesisHash;
        var statements = new List<string>();
        foreach (var e in events)
        {
            var actor = e.Sequence <= to ? "Mallory" : e.ActorName;
            var forged = new AuditEvent
            {
                Sequence = e.Sequence, OccurredAt = e.OccurredAt, ActorUserId = e.ActorUserId, ActorName = actor, ActorRole = e.ActorRole,
                ActorVendorId = e.ActorVendorId, AuthenticationMethod = e.AuthenticationMethod, EventType = e.EventType, Operation = e.Operation,
                SubjectType = e.SubjectType, SubjectId = e.SubjectId, Changes = e.Changes, RuleOutcomes = e.RuleOutcomes,
                CorrelationId = e.CorrelationId, SessionId = e.SessionId, ApiTokenId = e.ApiTokenId, ClientAddress = e.ClientAddress,
                UserAgent = e.UserAgent, PreviousHash = previous,
            };
            forged.Hash = AuditChain.ComputeHash(forged);
            statements.Add($"UPDATE audit_events SET actor_name = '{actor.Replace("'", "''", StringComparison.Ordinal)}', previous_hash = '{previous}', " +
                           $"hash = '{forged.Hash}' WHERE sequence = {e.Sequence}");
            previous = forged.Hash;
        }
        await AsOwnerAsync("audit_events", string.Join(";\n", statements));
    }

    /// <summary>Runs <paramref name="sql"/> as the owner with the append-only triggers of <paramref name="table"/> disabled.</summary>
    protected Task AsOwnerAsync(string table, string sql) => Database.AsOwnerWithoutTriggerAsync(table, "USER", sql);
}
