using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The checkpoint signer (issue 19, ADR 0031) against a real database: it signs the committed head only when it moved, one instance
/// at a time, writes the checkpoint file before it commits, refuses to sign a chain that does not check out (opening one integrity
/// finding for the administrator), and nobody — the owner included — can change or remove a checkpoint.
/// </summary>
public sealed class ChainCheckpointSignerTests() : CheckpointTestBase("ckptsign")
{
    [Fact]
    public async Task TheSigner_SignsTheHead_OnlyWhenItMoved()
    {
        var head = await HeadAsync();
        var first = await SignedAsync();
        Assert.Equal(head, first.Head);
        Assert.Equal(head, first.Checkpoint!.Sequence);
        Assert.Equal(head, first.EventsChecked); // the first checkpoint walks the whole trail
        Assert.True(first.Checkpoint.Trusted);
        Assert.True(first.Checkpoint.SignedByCurrentKey);

        var again = await SignAsync();
        Assert.Equal(CheckpointSigningStatus.NotDue, again.Value!.Status);
        Assert.Equal(head, again.Value.Checkpoint!.Sequence);

        await AppendEventsAsync(3);
        var next = await SignedAsync();
        Assert.Equal(head + 3, next.Checkpoint!.Sequence);
        Assert.Equal(3, next.EventsChecked); // only the events since the last checkpoint
        var table = await TableAsync();
        Assert.Equal([head, head + 3], table.Select(c => c.Sequence).ToArray());
        await using var db = await ContextAsync();
        Assert.Equal(await db.AuditEvents.Where(e => e.Sequence == head + 3).Select(e => e.Hash).SingleAsync(), table[1].Hash);
    }

    [Fact]
    public async Task TheJob_SignsEveryNEvents_AndAtLeastAfterTheInterval()
    {
        await SignedAsync();
        var job = new SignChainCheckpoint(MinimumEvents: 50, MaximumAge: TimeSpan.FromHours(1));
        await AppendEventsAsync(49);
        Assert.Equal(CheckpointSigningStatus.NotDue, (await SignAsync(job)).Value!.Status);
        await AppendEventsAsync(1);
        Assert.Equal(CheckpointSigningStatus.Signed, (await SignAsync(job)).Value!.Status);

        await AppendEventsAsync(2);
        Assert.Equal(CheckpointSigningStatus.NotDue, (await SignAsync(job)).Value!.Status);
        Clock.Advance(TimeSpan.FromMinutes(61));
        var hourly = await SignAsync(job);
        Assert.Equal(CheckpointSigningStatus.Signed, hourly.Value!.Status);
        Assert.Equal(2, hourly.Value.EventsChecked);
    }

    [Fact]
    public async Task TwoSignersAtOnce_ProduceOneCheckpoint()
    {
        // While another instance holds the signer's lock, a signing writes nothing.
        await using (var other = new NpgsqlConnection(Database.AppConnectionString))
        {
            await other.OpenAsync();
            await using var transaction = await other.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ChainCheckpointSigner.LockKey})", other, transaction))
            {
                await take.ExecuteNonQueryAsync();
            }
            var blocked = await SignAsync();
            Assert.Equal(OutcomeKind.Conflict, blocked.Kind);
            Assert.Empty(await TableAsync());
            Assert.Empty(FileLines());
        }

        // Eight at once: one signs the head, the others find the lock taken or nothing left to sign.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SignAsync()));
        Assert.Single(outcomes, o => o.Value?.Status == CheckpointSigningStatus.Signed);
        Assert.All(outcomes, o => Assert.True(o.Kind == OutcomeKind.Conflict || o.Value!.Status is CheckpointSigningStatus.Signed or CheckpointSigningStatus.NotDue,
            $"{o.Kind} {o.Message}"));
        Assert.Single(await TableAsync());
        Assert.Single(FileLines());
    }

    [Fact]
    public async Task EachCheckpoint_IsAppendedToTheFile_ReadableByThePortalsAccountOnly()
    {
        await SignedAsync();
        await AppendEventsAsync(5);
        await SignedAsync();
        var table = await TableAsync();
        Assert.Equal(table.Select(c => c.ToJsonLine()).ToArray(), FileLines());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Portal.CheckpointLogPath));
        }
        // Each line stands on its own: the installation's public key verifies it without the database.
        using var key = Core.Security.AuditSigningKey.FromPem(File.ReadAllText(Path.Combine(PortalFactory.TestKeys.Folder,
            Core.Security.KeyFiles.AuditSigningPublicKeyFile)));
        Assert.All(FileLines(), line => Assert.True(ChainCheckpoint.FromJsonLine(line)!.IsSignedBy(key)));
    }

    [Theory]
    [InlineData("UPDATE chain_checkpoints SET hash = repeat('0', 64)")]
    [InlineData("DELETE FROM chain_checkpoints")]
    [InlineData("TRUNCATE chain_checkpoints")]
    public async Task NeitherTheAppRoleNorTheOwner_CanChangeOrRemoveACheckpoint(string sql)
    {
        await SignedAsync();
        var app = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.AppConnectionString, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, app.SqlState);
        var owner = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.OwnerConnectionString, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, owner.SqlState);
        Assert.Contains("append-only", owner.MessageText, StringComparison.Ordinal);
        Assert.Single(await TableAsync());
    }

    [Fact]
    public async Task AChainThatDoesNotCheckOut_IsNotSigned_AndOneIntegrityFindingIsOpened()
    {
        await SignedAsync();
        var signedAt = await HeadAsync();
        await AppendEventsAsync(10);
        await AsOwnerAsync("audit_events", $"UPDATE audit_events SET actor_name = 'Mallory' WHERE sequence = {signedAt + 4}");

        var refused = await SignAsync();
        Assert.Equal(CheckpointSigningStatus.Refused, refused.Value!.Status);
        Assert.Equal(signedAt + 4, refused.Value.Refusal!.FirstBrokenSequence);
        Assert.Contains("was altered", refused.Value.Message, StringComparison.Ordinal);
        Assert.Single(await TableAsync());
        Assert.Single(FileLines());

        var findings = await IntegrityFindingsAsync();
        var finding = Assert.Single(findings);
        Assert.Equal(IntegrityFindingKinds.AuditChain, finding.Kind);
        Assert.Equal(IntegrityFindingStatus.Open, finding.Status);
        Assert.Contains($"Event {signedAt + 4}", finding.Message, StringComparison.Ordinal);
        Assert.Equal((signedAt + 4).ToString(System.Globalization.CultureInfo.InvariantCulture), finding.Facts["firstBrokenSequence"]);
        // Opened through the pipeline: audited like any change.
        var opened = await SingleEventAsync(e => e.SubjectType == "integrity-finding");
        Assert.Equal(6400, opened.EventType);
        Assert.Equal("raise-integrity-finding", opened.Operation);

        // The administrator's bell says so; an auditor's does not (the audit page shows it to them).
        Assert.Equal(1, (await BellAsync(Admin)).Single(i => i.Kind == "integrity-findings").Count);
        Assert.DoesNotContain(await BellAsync(Auditor), i => i.Kind == "integrity-findings");

        // The job keeps finding it: still one finding, and nothing signed.
        Assert.Equal(CheckpointSigningStatus.Refused, (await SignAsync()).Value!.Status);
        Assert.Single(await IntegrityFindingsAsync());
        Assert.Single(await TableAsync());

        // The administrator closes it, saying what was found; an auditor may not.
        Assert.Equal(OutcomeKind.Forbidden, (await SendOnlyAsync(Auditor, new CloseIntegrityFinding(finding.Id, "Looked at it."))).Kind);
        Assert.Equal(OutcomeKind.Invalid, (await SendOnlyAsync(Admin, new CloseIntegrityFinding(finding.Id, " "))).Kind);
        var closed = await SendOnlyAsync(Admin, new CloseIntegrityFinding(finding.Id, "Event restored from the backup of the night before."));
        Assert.Equal(IntegrityFindingStatus.Closed, closed.Value!.Status);
        Assert.DoesNotContain(await IntegrityFindingsAsync(), f => f.Status == IntegrityFindingStatus.Open);
        Assert.DoesNotContain(await BellAsync(Admin), i => i.Kind == "integrity-findings");
    }

    private async Task<IReadOnlyList<Core.Features.Notifications.NotificationItem>> BellAsync(Core.Authorization.Actor actor)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<Core.Features.Notifications.NotificationsQuery>().ForAsync(actor)).Items;
    }

    [Fact]
    public async Task ATailRemovedBelowTheLastCheckpoint_IsNotSignedOver()
    {
        await AppendEventsAsync(5);
        var last = (await SignedAsync()).Checkpoint!.Sequence;
        await AsOwnerAsync("audit_events", $"DELETE FROM audit_events WHERE sequence > {last - 3}");
        var refused = await SignAsync();
        Assert.Equal(CheckpointSigningStatus.Refused, refused.Value!.Status);
        Assert.Contains("tail was removed", refused.Value.Message, StringComparison.Ordinal);
        Assert.Equal(last - 2, refused.Value.Refusal!.FirstBrokenSequence);
        Assert.Single(await IntegrityFindingsAsync());
    }

    [Fact]
    public async Task TheCommandLine_SignsNow_AsTheServerOperator()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cli.CheckpointCommand.RunAsync(scope.ServiceProvider.GetRequiredService<ChainCheckpointSigner>(), output, error);
        Assert.Equal(0, exit);
        Assert.Contains("Signed the checkpoint of event", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"event {await HeadAsync()}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await Cli.CheckpointCommand.RunAsync(scope.ServiceProvider.GetRequiredService<ChainCheckpointSigner>(), output, error));
        Assert.Contains("has not moved", output.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<IntegrityFindingView>> IntegrityFindingsAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return [.. await scope.ServiceProvider.GetRequiredService<IntegrityFindingsQuery>().ListAsync(Admin, closed: 10)];
    }
}
