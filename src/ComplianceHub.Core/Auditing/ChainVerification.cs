using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Auditing;

/// <summary>The result of walking the chain.</summary>
/// <param name="Valid">True when every event's hash, link and sequence number check out and every checkpoint agrees.</param>
/// <param name="Events">How many events check out (for a rewrite found by a checkpoint: how many the last good checkpoint vouches for).</param>
/// <param name="HeadHash">The hash of the last of those events (the genesis hash for none).</param>
/// <param name="FirstBrokenSequence">The first sequence number that does not check out or that no trusted checkpoint vouches for,
/// when not valid; null when the events check out and only the checkpoints' records were tampered with.</param>
/// <param name="Problem">What is wrong, in words.</param>
public sealed record ChainVerification(bool Valid, long Events, string HeadHash, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>What the signed checkpoints say about the chain (<see cref="CheckpointVerification.None"/> when none were read).</summary>
    public CheckpointVerification Checkpoints { get; init; } = CheckpointVerification.None;
}

/// <summary>How far a running verification has come.</summary>
/// <param name="Checked">Events checked so far.</param>
/// <param name="Head">The last sequence number when the walk began (the events there are to check).</param>
public sealed record ChainProgress(long Checked, long Head);

/// <summary>What the walk needs of one event once hashed: its number, its stored link and hash, and whether its content hashes to it.</summary>
public readonly record struct ChainLink(long Sequence, string PreviousHash, string Hash, bool HashMatches)
{
    /// <summary>Hashes <paramref name="e"/>'s content and compares it with its stored hash.</summary>
    public static ChainLink Of(AuditEvent e) => new(e.Sequence, e.PreviousHash, e.Hash, AuditChain.ComputeHash(e) == e.Hash);
}

/// <summary>Where a checkpoint the verification checked was found.</summary>
public enum CheckpointSource
{
    /// <summary>In the <c>chain_checkpoints</c> table (and, where it is kept, in the checkpoint file too).</summary>
    Database,

    /// <summary>Only in the append-only checkpoint file: removed from the table.</summary>
    FileOnly,
}

/// <summary>A checkpoint as the verification reports it.</summary>
/// <param name="Number">Its place among the checkpoints, in sequence order, from 1.</param>
/// <param name="Sequence">The event it vouches for.</param>
/// <param name="Hash">The hash it signed for that event.</param>
/// <param name="SignedAt">When it was signed (UTC).</param>
/// <param name="KeyId">The id of the key it names (SHA-256 of the public key).</param>
/// <param name="SignedByCurrentKey">True when that key is the installation's current signing key (false: an earlier, rotated key, or an unknown one).</param>
/// <param name="Source">Where it was found.</param>
public sealed record CheckpointView(int Number, long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, bool SignedByCurrentKey,
    CheckpointSource Source)
{
    /// <summary>The key id's first 16 hex digits, as people are shown it.</summary>
    public string ShortKeyId => AuditKeyRing.ShortId(KeyId);
}

/// <summary>What can be wrong with the chain as the checkpoints see it.</summary>
public enum CheckpointProblemKind
{
    /// <summary>A trusted checkpoint's hash is no longer the chain's at its sequence: the events up to it were rewritten, every hash recomputed.</summary>
    Rewritten,

    /// <summary>The chain ends before a trusted checkpoint's sequence: its tail was removed.</summary>
    Truncated,

    /// <summary>A checkpoint names a key the installation does not trust.</summary>
    UntrustedKey,

    /// <summary>A checkpoint's signature does not verify with the key it names.</summary>
    BadSignature,

    /// <summary>A checkpoint is in the append-only file but not in the database.</summary>
    RemovedFromDatabase,
}

/// <summary>The first thing the checkpoints found wrong.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Checkpoint">The checkpoint that shows it.</param>
/// <param name="Message">In words.</param>
public sealed record CheckpointProblem(CheckpointProblemKind Kind, CheckpointView Checkpoint, string Message);

/// <summary>
/// The first range of events no trusted checkpoint vouches for any longer: the events after the last checkpoint that still
/// agrees with the chain, up to and including the first one that does not (or that is not signed by a trusted key).
/// </summary>
/// <param name="FirstSequence">The first event of the range.</param>
/// <param name="LastSequence">The last event of the range (the disagreeing checkpoint's sequence).</param>
/// <param name="After">The last checkpoint that agrees, before the range (null: the range starts at the first event).</param>
/// <param name="Upto">The checkpoint that ends the range.</param>
public sealed record ForgedRange(long FirstSequence, long LastSequence, CheckpointView? After, CheckpointView Upto);

/// <summary>Whether the append-only checkpoint file was compared with the table.</summary>
public enum CheckpointFileState
{
    /// <summary>No file is configured (<c>Audit:CheckpointLogPath</c> and <c>Keys:Folder</c> unset).</summary>
    NotConfigured,

    /// <summary>Read and compared with the table.</summary>
    Compared,

    /// <summary>Configured, but there is no file (nothing signed on this host yet, or it was moved).</summary>
    Missing,

    /// <summary>Configured, but it could not be read.</summary>
    Unreadable,
}

/// <summary>The checkpoint file's part of a verification.</summary>
/// <param name="State">Whether it was compared.</param>
/// <param name="Checkpoints">The checkpoints it holds (lines read).</param>
/// <param name="Detail">Why it could not be compared, or lines that are not checkpoints.</param>
public sealed record CheckpointFileCheck(CheckpointFileState State, int Checkpoints, string? Detail)
{
    public static CheckpointFileCheck NotConfigured { get; } = new(CheckpointFileState.NotConfigured, 0, null);
}

/// <summary>What the signed checkpoints say about the chain.</summary>
/// <param name="Total">The checkpoints considered (the table's, and the file's that the table lacks).</param>
/// <param name="Checked">The ones found good: signed by a trusted key and agreeing with the chain.</param>
/// <param name="LastValid">The last good one: everything up to its sequence is as it was when it was signed.</param>
/// <param name="EventsAfterLastValid">Events after <paramref name="LastValid"/> (or all, without one): not yet vouched for.</param>
/// <param name="ForgedRange">The first range the checkpoints no longer vouch for, when a rewrite (or an untrusted checkpoint) shows one.</param>
/// <param name="Problem">The first problem the checkpoints show.</param>
/// <param name="File">Whether the checkpoint file was compared.</param>
public sealed record CheckpointVerification(int Total, int Checked, CheckpointView? LastValid, long EventsAfterLastValid, ForgedRange? ForgedRange,
    CheckpointProblem? Problem, CheckpointFileCheck File)
{
    public static CheckpointVerification None { get; } = new(0, 0, null, 0, null, null, CheckpointFileCheck.NotConfigured);
}
