using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Cli;

/// <summary>
/// <c>checkpoint</c>: signs a checkpoint of the audit chain's head now, as the server operator (<see cref="ChainCheckpointSigner"/>):
/// what an operator runs before a backup, after a restore, or to see why the portal stopped signing. Exit 0 signed or nothing to
/// sign, 1 refused (the events since the last checkpoint do not check out; an integrity finding is opened), 2 could not run.
/// </summary>
public static class CheckpointCommand
{
    public static async Task<int> RunAsync(ChainCheckpointSigner signer, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var outcome = await signer.SignAsync(Actor.ServerOperator, new SignChainCheckpoint(), ct);
        if (!outcome.IsOk)
        {
            error.WriteLine($"error: {outcome.Message}");
            return 2;
        }
        var signing = outcome.Value!;
        (signing.Status == CheckpointSigningStatus.Refused ? error : output).WriteLine(signing.Message);
        if (signing.Checkpoint is { } c)
        {
            output.WriteLine($"{(signing.Status == CheckpointSigningStatus.Signed ? "signed" : "last")} checkpoint: event {c.Sequence}, hash {c.Hash}, " +
                             $"signed {c.SignedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z with key {c.KeyId}");
        }
        return signing.Status == CheckpointSigningStatus.Refused ? 1 : 0;
    }
}
