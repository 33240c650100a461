using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// Chain verification against the signed checkpoints, on a real database tampered with as its owner can (triggers disabled): a
/// rewrite that recomputes every hash passes the chain's own checks and is named by the first checkpoint it passes; a checkpoint
/// re-signed with another key, one deleted from the table (found in the checkpoint file), and a removed tail are each found.
/// </summary>
public sealed class CheckpointVerificationTests() : CheckpointTestBase("ckptverify")
{
    /// <summary>Three checkpoints, 40 events apart, the last at the head; returns their sequences.</summary>
    private async Task<long[]> ThreeCheckpointsAsync()
    {
        var sequences = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await AppendEventsAsync(40);
            sequences.Add((await SignedAsync()).Checkpoint!.Sequence);
        }
        return [.. sequences];
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnIntactChain_VerifiesEveryCheckpoint_AgainstTheFile()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        await AppendEventsAsync(7);
        var result = await VerifyAsync();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(3, result.Checkpoints.Total);
        Assert.Equal(3, result.Checkpoints.Checked);
        Assert.Equal(checkpoints[2], result.Checkpoints.LastValid!.Sequence);
        Assert.True(result.Checkpoints.LastValid.SignedByCurrentKey);
        Assert.Equal(7, result.Checkpoints.EventsAfterLastValid);
        Assert.Equal(CheckpointFileState.Compared, result.Checkpoints.File.State);
        Assert.Equal(3, result.Checkpoints.File.Checkpoints);
    }

    [Fact]
    public async Task AConsistentRewrite_PassesTheChain_ButTheCheckpointsNameTheFirstForgedRange()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        // Events in the second checkpoint's range rewritten, and every hash from there to the head recomputed.
        await RewriteAsync(checkpoints[0] + 10, checkpoints[0] + 12);

        // The chain alone checks out: every link and hash agrees.
        var plain = new ChainWalk(CheckpointSet.None);
        await using (var db = await ContextAsync())
        {
            foreach (var e in await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync())
            {
                Assert.True(plain.Add(ChainLink.Of(e)), $"event {e.Sequence}");
            }
        }
        Assert.True(plain.Finish().Valid);

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        var forged = result.Checkpoints.ForgedRange!;
        Assert.Equal((checkpoints[0] + 1, checkpoints[1]), (forged.FirstSequence, forged.LastSequence));
        Assert.Equal(checkpoints[0], forged.After!.Sequence);
        Assert.Equal(2, forged.Upto.Number);
        Assert.Equal(CheckpointProblemKind.Rewritten, result.Checkpoints.Problem!.Kind);
        Assert.Equal(checkpoints[0] + 1, result.FirstBrokenSequence);
        Assert.Equal(checkpoints[0], result.Events);
        Assert.Contains($"The history after checkpoint 1 (event {N(checkpoints[0])}", result.Problem, StringComparison.Ordinal);
        Assert.Contains($"up to checkpoint 2 (event {N(checkpoints[1])}", result.Problem, StringComparison.Ordinal);
        Assert.Contains($"The first forged range is events {N(checkpoints[0] + 1)} … {N(checkpoints[1])}.", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARewriteWhoseCheckpointsWereDeleted_IsStillNamed_ThroughTheCheckpointFile()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        await RewriteAsync(checkpoints[1] + 1, checkpoints[1] + 1);
        await AsOwnerAsync("chain_checkpoints", $"DELETE FROM chain_checkpoints WHERE sequence > {checkpoints[1]}");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal((checkpoints[1] + 1, checkpoints[2]), (result.Checkpoints.ForgedRange!.FirstSequence, result.Checkpoints.ForgedRange.LastSequence));
        Assert.Equal(CheckpointSource.FileOnly, result.Checkpoints.ForgedRange.Upto.Source);
    }

    [Fact]
    public async Task ACheckpointDeletedFromTheTable_IsFound_ThroughTheCheckpointFile()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        await AsOwnerAsync("chain_checkpoints", $"DELETE FROM chain_checkpoints WHERE sequence = {checkpoints[1]}");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Null(result.FirstBrokenSequence); // the events themselves still agree with it
        var problem = result.Checkpoints.Problem!;
        Assert.Equal(CheckpointProblemKind.RemovedFromDatabase, problem.Kind);
        Assert.Equal(checkpoints[1], problem.Checkpoint.Sequence);
        Assert.Contains("in the append-only checkpoint file but not in the database", result.Problem, StringComparison.Ordinal);
        Assert.Equal(3, result.Checkpoints.Checked);
    }

    [Fact]
    public async Task ACheckpointResignedWithAnotherKey_IsRefused_AndNotSignedFrom()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        var last = (await TableAsync())[^1];
        var folder = Path.Combine(Path.GetTempPath(), $"compliancehub-forger-{Guid.NewGuid():N}");
        KeyFiles.Create(folder);
        try
        {
            using var forger = KeyFiles.InFolder(folder).LoadAuditSigningKey();
            var resigned = ChainCheckpoint.Sign(forger, last.Sequence, last.Hash, last.SignedAt);
            await AsOwnerAsync("chain_checkpoints", $"UPDATE chain_checkpoints SET key_id = '{resigned.KeyId}', " +
                $"signature = decode('{Convert.ToHexString(resigned.Signature)}', 'hex') WHERE sequence = {last.Sequence}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(CheckpointProblemKind.UntrustedKey, result.Checkpoints.Problem!.Kind);
        Assert.Equal(checkpoints[2], result.Checkpoints.Problem.Checkpoint.Sequence);
        Assert.Contains("does not trust", result.Problem, StringComparison.Ordinal);

        // The signer does not build on a checkpoint that is not the installation's.
        await AppendEventsAsync(2);
        var refused = await SignAsync();
        Assert.Equal(CheckpointSigningStatus.Refused, refused.Value!.Status);
        Assert.Contains("not signed by a key this installation trusts", refused.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATailRemoved_BelowTheLastCheckpoint_IsFound()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        var cut = checkpoints[2] - 5;
        await AsOwnerAsync("audit_events", $"DELETE FROM audit_events WHERE sequence >= {cut}");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(cut, result.FirstBrokenSequence);
        Assert.Equal(CheckpointProblemKind.Truncated, result.Checkpoints.Problem!.Kind);
        Assert.Contains($"The chain ends at event {N(cut - 1)}", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterKeyRotation_OldCheckpointsVerify_WithThePreviousPublicKeyListed()
    {
        var checkpoints = await ThreeCheckpointsAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"compliancehub-rotated-{Guid.NewGuid():N}");
        KeyFiles.Create(folder);
        var previous = Path.Combine(PortalFactory.TestKeys.Folder, KeyFiles.AuditSigningPublicKeyFile);
        try
        {
            // The new key signs from now on; the old public key is listed as a previous key.
            await using (var rotated = Rotated(folder, previous))
            {
                await AppendEventsAsync(3);
                await using var scope = rotated.Services.CreateAsyncScope();
                var signed = await scope.ServiceProvider.GetRequiredService<ChainCheckpointSigner>().SignAsync(Admin, new SignChainCheckpoint());
                Assert.Equal(CheckpointSigningStatus.Signed, signed.Value!.Status);
                var result = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Auditor);
                Assert.True(result.Valid, result.Problem);
                Assert.Equal(4, result.Checkpoints.Checked);
                Assert.True(result.Checkpoints.LastValid!.SignedByCurrentKey);
            }
            // Without the previous key the old checkpoints are not trusted, and the answer says what to do.
            await using (var forgetful = Rotated(folder, null))
            {
                await using var scope = forgetful.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Auditor);
                Assert.False(result.Valid);
                Assert.Equal(CheckpointProblemKind.UntrustedKey, result.Checkpoints.Problem!.Kind);
                Assert.Equal(checkpoints[0], result.Checkpoints.Problem.Checkpoint.Sequence);
                Assert.Null(result.FirstBrokenSequence); // the new key's checkpoint still vouches for every event
                Assert.Contains("Keys:PreviousAuditSigningKeys", result.Problem, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>This portal with the keys of <paramref name="folder"/>, and <paramref name="previous"/> as an earlier public key.</summary>
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Rotated(string folder, string? previous) =>
        Portal.WithWebHostBuilder(b =>
        {
            b.UseSetting("Keys:Folder", folder);
            if (previous is not null)
            {
                b.UseSetting("Keys:PreviousAuditSigningKeys:0", previous);
            }
        });
}
