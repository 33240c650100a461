using System.Globalization;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// The checkpoints a verification checks the chain against, each already judged on its own: does it name a key the installation
/// trusts (<see cref="AuditKeyRing"/>, never a key from the database), and does its signature verify with it. Built from the
/// table and, where it is kept, the append-only checkpoint file: a checkpoint the file holds and the table lacks (same sequence
/// and hash) was removed from the table, and is checked all the same.
/// </summary>
public sealed class CheckpointSet
{
    /// <summary>How a checkpoint stands before the walk reaches its event.</summary>
    internal enum Standing { Trusted, UntrustedKey, BadSignature }

    internal sealed record Entry(CheckpointView View, Standing Standing);

    private CheckpointSet(List<Entry> entries, CheckpointFileCheck file)
    {
        Entries = entries;
        File = file;
    }

    internal IReadOnlyList<Entry> Entries { get; }

    /// <summary>Whether the checkpoint file was compared.</summary>
    public CheckpointFileCheck File { get; }

    /// <summary>No checkpoints: the walk checks hashes, links and numbers only.</summary>
    public static CheckpointSet None { get; } = new([], CheckpointFileCheck.NotConfigured);

    /// <summary>
    /// The table's checkpoints, plus those of <paramref name="fromFile"/> the table lacks (null: no file was read), each judged
    /// against <paramref name="keys"/>.
    /// </summary>
    public static CheckpointSet Build(IEnumerable<ChainCheckpoint> table, IEnumerable<ChainCheckpoint>? fromFile, CheckpointFileCheck file, AuditKeyRing keys)
    {
        var all = table.Select(c => (Checkpoint: c, Source: CheckpointSource.Database, Standing: Judge(c, keys))).ToList();
        if (fromFile is not null)
        {
            // A line the table has as a good checkpoint (same event, same hash) adds nothing: it may be a second signature of the same
            // fact (a signing whose commit failed, signed again). Any other line is a checkpoint the table lacks, or one whose row
            // there was replaced by a forgery.
            var known = all.Where(c => c.Standing == Standing.Trusted).Select(c => (c.Checkpoint.Sequence, c.Checkpoint.Hash)).ToHashSet();
            foreach (var c in fromFile)
            {
                if (known.Add((c.Sequence, c.Hash)))
                {
                    all.Add((c, CheckpointSource.FileOnly, Judge(c, keys)));
                }
            }
        }
        var entries = all.OrderBy(c => c.Checkpoint.Sequence).ThenBy(c => c.Source)
            .Select((c, i) => new Entry(new CheckpointView(i + 1, c.Checkpoint.Sequence, c.Checkpoint.Hash, c.Checkpoint.SignedAt, c.Checkpoint.KeyId,
                c.Checkpoint.KeyId == keys.CurrentKeyId, c.Source), c.Standing))
            .ToList();
        return new CheckpointSet(entries, file);
    }

    private static Standing Judge(ChainCheckpoint c, AuditKeyRing keys) =>
        keys.Find(c.KeyId) is not { } key ? Standing.UntrustedKey : c.IsSignedBy(key) ? Standing.Trusted : Standing.BadSignature;
}

/// <summary>
/// The verification of the audit chain, one event at a time, in sequence order: the one piece of logic that judges a chain,
/// whether its events stream from the database (<see cref="AuditChainVerifier"/>, <see cref="ChainCheckpointSigner"/>) or are
/// held in memory (the tamper battery). Pure: no I/O, no clock.
/// <list type="bullet">
/// <item>Each event: its number follows the previous one, its previous-hash is the previous event's hash, and its content
/// hashes to its stored hash. The first event that fails stops the walk and is named.</item>
/// <item>Each trusted checkpoint, when the walk reaches its event: the event's hash must be the one it signed. A database owner
/// who rewrites events and recomputes every hash after them passes the first checks, and fails here: the range between the last
/// checkpoint that still agrees and this one is named as the first forged range.</item>
/// <item>At the end: a trusted checkpoint beyond the last event means the tail was removed; a checkpoint signed by a key the
/// installation does not trust, or whose signature fails, vouches for nothing (a later good checkpoint still vouches for
/// everything before it, the chain being linked); one the file holds and the table lacks was removed from the table.</item>
/// </list>
/// </summary>
public sealed class ChainWalk
{
    private readonly IReadOnlyList<CheckpointSet.Entry> checkpoints;
    private readonly CheckpointFileCheck file;
    private readonly long startedAfter;
    private readonly string startHash;
    private int next;
    private long expected;
    private string previous;
    private CheckpointView? lastValid;
    private int good;
    private CheckpointSet.Entry? firstUntrusted;
    private CheckpointView? firstRemoved;
    private ChainVerification? broken;

    /// <summary>
    /// A walk from the first event (by default), or from the event after <paramref name="afterSequence"/>, whose hash is
    /// <paramref name="afterHash"/> (the signer walks from its last checkpoint).
    /// </summary>
    public ChainWalk(CheckpointSet checkpoints, long afterSequence = 0, string? afterHash = null)
    {
        this.checkpoints = checkpoints.Entries;
        file = checkpoints.File;
        startedAfter = afterSequence;
        expected = afterSequence + 1;
        previous = startHash = afterHash ?? AuditChain.GenesisHash;
        while (next < this.checkpoints.Count && this.checkpoints[next].View.Sequence <= afterSequence)
        {
            next++;
        }
    }

    /// <summary>True once an event or a checkpoint failed: the walk takes no more events.</summary>
    public bool IsBroken => broken is not null;

    /// <summary>The events checked so far.</summary>
    public long Checked => expected - 1 - startedAfter;

    /// <summary>The sequence number of the last event checked (the one the walk started after, before any).</summary>
    public long LastSequence => expected - 1;

    /// <summary>Checks the next event; false (and the walk is over) when it or a checkpoint at its sequence fails.</summary>
    public bool Add(in ChainLink e)
    {
        if (broken is not null)
        {
            return false;
        }
        if (e.Sequence != expected)
        {
            return Break(expected, $"event {expected} is missing (the next stored event is {e.Sequence})");
        }
        if (e.PreviousHash != previous)
        {
            return Break(e.Sequence, "its previous-hash does not match the hash of the event before it");
        }
        if (!e.HashMatches)
        {
            return Break(e.Sequence, "its content does not match its hash (the event was altered)");
        }
        while (next < checkpoints.Count && checkpoints[next].View.Sequence == e.Sequence)
        {
            var checkpoint = checkpoints[next++];
            if (checkpoint.Standing != CheckpointSet.Standing.Trusted)
            {
                firstUntrusted ??= checkpoint;
                continue;
            }
            if (checkpoint.View.Hash != e.Hash)
            {
                var range = new ForgedRange((lastValid?.Sequence ?? startedAfter) + 1, e.Sequence, lastValid, checkpoint.View);
                var message = $"The history {After(lastValid)}up to checkpoint {checkpoint.View.Number} (event {N(e.Sequence)}, signed {Time(checkpoint.View.SignedAt)}) " +
                              $"was rewritten: event {N(e.Sequence)} now has the hash {Short(e.Hash)}…, but the checkpoint signed {Short(checkpoint.View.Hash)}…. " +
                              $"The first forged range is events {N(range.FirstSequence)} … {N(range.LastSequence)}.";
                broken = Vouched(range.FirstSequence, message) with
                {
                    Checkpoints = Summary(range, new CheckpointProblem(CheckpointProblemKind.Rewritten, checkpoint.View, message), 0),
                };
                return false;
            }
            good++;
            lastValid = checkpoint.View;
            if (checkpoint.View.Source == CheckpointSource.FileOnly)
            {
                firstRemoved ??= checkpoint.View;
            }
        }
        previous = e.Hash;
        expected++;
        return true;
    }

    /// <summary>The verdict, once every event was given (or the walk broke).</summary>
    public ChainVerification Finish()
    {
        if (broken is not null)
        {
            return broken;
        }
        var end = expected - 1;
        var unsigned = end - (lastValid?.Sequence ?? startedAfter);
        var beyond = checkpoints.Skip(next).FirstOrDefault(c => c.Standing == CheckpointSet.Standing.Trusted);
        if (beyond is not null)
        {
            var c = beyond.View;
            var message = $"The chain ends at event {N(end)}, but checkpoint {c.Number} (signed {Time(c.SignedAt)}) vouches for event {N(c.Sequence)}: " +
                          $"the events from {N(end + 1)} on were removed (at least {N(end + 1)} … {N(c.Sequence)}).";
            return new ChainVerification(false, Checked, previous, end + 1, message)
            {
                Checkpoints = Summary(null, new CheckpointProblem(CheckpointProblemKind.Truncated, c, message), unsigned),
            };
        }
        firstUntrusted ??= checkpoints.Skip(next).FirstOrDefault();
        if (firstUntrusted is { } untrusted)
        {
            var c = untrusted.View;
            var kind = untrusted.Standing == CheckpointSet.Standing.UntrustedKey ? CheckpointProblemKind.UntrustedKey : CheckpointProblemKind.BadSignature;
            var why = kind == CheckpointProblemKind.UntrustedKey
                ? $"is signed by a key this installation does not trust (key {c.ShortKeyId}…)"
                : $"has a signature that does not verify with the key it names (key {c.ShortKeyId}…)";
            var head = $"Checkpoint {c.Number} (event {N(c.Sequence)}, signed {Time(c.SignedAt)}) {why}";
            if (lastValid is null || lastValid.Sequence < c.Sequence)
            {
                // Nothing trusted vouches for the events up to it: they may have been rewritten, the checkpoints re-signed.
                var range = new ForgedRange((lastValid?.Sequence ?? startedAfter) + 1, Math.Min(c.Sequence, end), lastValid, c);
                var message = $"{head}: no trusted checkpoint vouches for events {N(range.FirstSequence)} … {N(c.Sequence)}, which may have been rewritten." +
                              (kind == CheckpointProblemKind.UntrustedKey ? RotationHint : "");
                return Vouched(range.FirstSequence, message) with { Checkpoints = Summary(range, new CheckpointProblem(kind, c, message), 0) };
            }
            var vouched = $"{head}: it was not written by this installation's signer. The events themselves are vouched for by checkpoint " +
                          $"{lastValid.Number} (event {N(lastValid.Sequence)})." + (kind == CheckpointProblemKind.UntrustedKey ? RotationHint : "");
            return new ChainVerification(false, Checked, previous, null, vouched)
            {
                Checkpoints = Summary(null, new CheckpointProblem(kind, c, vouched), unsigned),
            };
        }
        if (firstRemoved is { } removed)
        {
            var message = $"Checkpoint {removed.Number} (event {N(removed.Sequence)}, signed {Time(removed.SignedAt)}) is in the append-only checkpoint file but " +
                          "not in the database: it was removed from the table (or the portal stopped between writing the file and committing). " +
                          "The events still agree with it.";
            return new ChainVerification(false, Checked, previous, null, message)
            {
                Checkpoints = Summary(null, new CheckpointProblem(CheckpointProblemKind.RemovedFromDatabase, removed, message), unsigned),
            };
        }
        return new ChainVerification(true, Checked, previous, null, null) { Checkpoints = Summary(null, null, unsigned) };
    }

    private const string RotationHint = " If the signing key was rotated, list the earlier public key in Keys:PreviousAuditSigningKeys.";

    private bool Break(long sequence, string problem)
    {
        broken = new ChainVerification(false, sequence - 1 - startedAfter, previous, sequence, $"Event {sequence}: {problem}.")
        {
            Checkpoints = Summary(null, null, 0),
        };
        return false;
    }

    /// <summary>A verdict that the events up to the last good checkpoint check out and those from <paramref name="first"/> on are not vouched for.</summary>
    private ChainVerification Vouched(long first, string message) =>
        new(false, (lastValid?.Sequence ?? startedAfter) - startedAfter, lastValid?.Hash ?? startHash, first, message);

    private CheckpointVerification Summary(ForgedRange? forged, CheckpointProblem? problem, long unsigned) =>
        new(checkpoints.Count, good, lastValid, unsigned, forged, problem, file);

    private static string After(CheckpointView? c) =>
        c is null ? "" : $"after checkpoint {c.Number} (event {N(c.Sequence)}, signed {Time(c.SignedAt)}) ";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>An instant in a message that leaves the portal's pages (API, command line, logs): UTC, to the second.</summary>
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
