using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Signs the chain head now, if it is due: when it moved by at least <paramref name="MinimumEvents"/> since the last checkpoint, or
/// moved at all and the last checkpoint is older than <paramref name="MaximumAge"/>. The defaults sign whenever the head moved (an
/// operator's "sign now"); the portal's background job passes <c>Audit:CheckpointEvery</c> and <c>Audit:CheckpointInterval</c>.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record SignChainCheckpoint(long MinimumEvents = 1, TimeSpan? MaximumAge = null) : ICommand<CheckpointSigning>;

/// <summary>What a signing did.</summary>
public enum CheckpointSigningStatus
{
    /// <summary>A checkpoint of the head was signed, stored and appended to the checkpoint file.</summary>
    Signed,

    /// <summary>Nothing to sign: the head has not moved since the last checkpoint, or not enough yet.</summary>
    NotDue,

    /// <summary>The events since the last checkpoint do not check out (or the last checkpoint is not the installation's): nothing was signed.</summary>
    Refused,
}

/// <summary>A checkpoint as the API lists it.</summary>
/// <param name="Sequence">The event it vouches for.</param>
/// <param name="Hash">That event's hash, as signed.</param>
/// <param name="SignedAt">When (UTC).</param>
/// <param name="KeyId">The signing key's id: SHA-256 of its public key (<c>openssl pkey -pubin -outform DER | sha256sum</c>).</param>
/// <param name="Signature">The DER ECDSA signature of the checkpoint's text, base64.</param>
/// <param name="Trusted">True when the key is one the installation trusts and the signature verifies with it.</param>
/// <param name="SignedByCurrentKey">True when the key is the installation's current signing key.</param>
public sealed record ChainCheckpointView(long Sequence, string Hash, DateTimeOffset SignedAt, string KeyId, string Signature, bool Trusted, bool SignedByCurrentKey)
{
    public static ChainCheckpointView From(ChainCheckpoint c, AuditKeyRing keys) =>
        new(c.Sequence, c.Hash, c.SignedAt, c.KeyId, Convert.ToBase64String(c.Signature), keys.Find(c.KeyId) is { } key && c.IsSignedBy(key),
            c.KeyId == keys.CurrentKeyId);
}

/// <summary>What a signing did, and why.</summary>
/// <param name="Status">Signed, not due, or refused.</param>
/// <param name="Head">The chain's last event when it looked.</param>
/// <param name="Checkpoint">The checkpoint signed; when nothing was, the last one (null when there is none).</param>
/// <param name="EventsChecked">Events walked since the last checkpoint before signing.</param>
/// <param name="Message">In words.</param>
/// <param name="Refusal">When refused: the walk's verdict (which event, what is wrong).</param>
public sealed record CheckpointSigning(CheckpointSigningStatus Status, long Head, ChainCheckpointView? Checkpoint, long EventsChecked, string Message,
    ChainVerification? Refusal = null);

/// <summary>
/// Signs the chain's head only when it is committed and hashed correctly: under an advisory lock (one instance signs at a time),
/// it reads the last checkpoint and the head, checks that the last checkpoint is the installation's, walks the events since it —
/// only those, with the same <see cref="ChainWalk"/> every verification uses — and signs the head when they check out. The
/// checkpoint is inserted, then its line appended to the checkpoint file and flushed to disk, then the transaction commits.
/// </summary>
internal sealed class SignChainCheckpointHandler(AuditKeyRing keys, CheckpointLog log) : ICommandHandler<SignChainCheckpoint, CheckpointSigning>
{
    public async Task<Outcome<CheckpointSigning>> HandleAsync(SignChainCheckpoint command, CommandContext context, CancellationToken ct)
    {
        if (keys.SigningKey is not { HasPrivateKey: true } key)
        {
            return Outcome<CheckpointSigning>.Conflict("No audit signing key is configured (Keys, docs/operations.md): no checkpoint can be signed.");
        }
        var db = context.Db;
        if (!await AdvisoryLocks.TryTakeAsync(db, ChainCheckpointSigner.LockKey, ct))
        {
            return Outcome<CheckpointSigning>.Conflict("Another instance is signing a checkpoint, or a verification is reading them, now.");
        }
        // Committed rows only: appends are serialised by the chain lock and commit in order, so what this transaction's
        // statement sees of the trail is always a whole prefix of it.
        var last = await db.ChainCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var headSequence = head?.Sequence ?? 0;
        var from = last?.Sequence ?? 0;
        var lastView = last is null ? null : ChainCheckpointView.From(last, keys);
        if (headSequence < from)
        {
            return Refused(headSequence, lastView, 0, $"The chain ends at event {N(headSequence)}, before the last checkpoint's event {N(from)}: " +
                $"its tail was removed.", null, headSequence + 1);
        }
        if (headSequence == from)
        {
            return Outcome<CheckpointSigning>.Ok(new CheckpointSigning(CheckpointSigningStatus.NotDue, headSequence, lastView, 0,
                headSequence == 0 ? "The audit trail is empty: there is nothing to sign." : $"The chain has not moved since the checkpoint of event {N(from)}."));
        }
        var moved = headSequence - from;
        var overdue = last is null || (command.MaximumAge is { } age && context.Now - last.SignedAt >= age);
        if (moved < command.MinimumEvents && !overdue)
        {
            return Outcome<CheckpointSigning>.Ok(new CheckpointSigning(CheckpointSigningStatus.NotDue, headSequence, lastView, 0,
                $"{N(moved)} event(s) since the checkpoint of event {N(from)}; the next is signed at {N(command.MinimumEvents)}" +
                (command.MaximumAge is { } a ? $" or {a:g} after the last." : ".")));
        }
        if (last is not null && lastView is { Trusted: false })
        {
            return Refused(headSequence, lastView, 0, $"The last checkpoint (event {N(from)}) is not signed by a key this installation trusts " +
                $"(key {AuditKeyRing.ShortId(last.KeyId)}…): a checkpoint that is not the installation's is no ground to sign from. If the signing key " +
                "was rotated, list the earlier public key in Keys:PreviousAuditSigningKeys.", null, from);
        }

        var walk = new ChainWalk(CheckpointSet.None, from, last?.Hash);
        await foreach (var batch in ChainStream.ReadAsync(db, from, headSequence, ct))
        {
            foreach (var e in batch)
            {
                if (!walk.Add(e))
                {
                    break;
                }
            }
            if (walk.IsBroken)
            {
                break;
            }
        }
        var verdict = walk.Finish();
        if (!verdict.Valid || walk.LastSequence != headSequence)
        {
            return Refused(headSequence, lastView, walk.Checked, (verdict.Problem ?? $"The events after {N(walk.LastSequence)} could not be read.") +
                (last is null ? "" : $" (Checked from the checkpoint of event {N(from)}.)"), verdict, verdict.FirstBrokenSequence ?? walk.LastSequence + 1);
        }

        var checkpoint = ChainCheckpoint.Sign(key, headSequence, head!.Hash, context.Now);
        db.ChainCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(ct);
        // On disk before the commit: a checkpoint the table holds is always in the file too (one the file holds may be missing from
        // the table only if the commit then fails, which verification reports and an operator can tell apart: the events agree with it).
        log.Append(checkpoint);
        return Outcome<CheckpointSigning>.Ok(new CheckpointSigning(CheckpointSigningStatus.Signed, headSequence, ChainCheckpointView.From(checkpoint, keys),
            walk.Checked, $"Signed the checkpoint of event {N(headSequence)} after checking the {N(walk.Checked)} event(s) since " +
                          (last is null ? "the start of the trail." : $"the checkpoint of event {N(from)}.")));
    }

    private static Outcome<CheckpointSigning> Refused(long head, ChainCheckpointView? last, long checkedEvents, string message, ChainVerification? verdict,
        long firstBroken) =>
        Outcome<CheckpointSigning>.Ok(new CheckpointSigning(CheckpointSigningStatus.Refused, head, last, checkedEvents, message,
            verdict ?? new ChainVerification(false, checkedEvents, last?.Hash ?? AuditChain.GenesisHash, firstBroken, message)));

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>
/// The one entry to checkpoint signing (the portal's background job, the API, the command line): sends
/// <see cref="SignChainCheckpoint"/> through the executor and, when it is refused because the chain does not check out, logs an
/// error and opens an integrity finding for the administrator (<see cref="RaiseIntegrityFinding"/>; one open at a time).
/// </summary>
public sealed class ChainCheckpointSigner(CommandExecutor executor, ILogger<ChainCheckpointSigner> log)
{
    /// <summary>The signer's advisory lock ("CHCKPT"): taken by a signing, shared by verifications reading the checkpoints.</summary>
    internal const long LockKey = 0x4348_434B_5054;

    public async Task<Outcome<CheckpointSigning>> SignAsync(Actor actor, SignChainCheckpoint command, CancellationToken ct = default)
    {
        var outcome = await executor.SendAsync(actor, command, ct);
        switch (outcome.Value)
        {
            case { Status: CheckpointSigningStatus.Signed } signed:
                log.LogInformation("Audit chain checkpoint signed at event {Sequence} ({Checked} events checked)", signed.Head, signed.EventsChecked);
                break;
            case { Status: CheckpointSigningStatus.Refused } refused:
                log.LogError("No audit chain checkpoint was signed: {Problem}", refused.Message);
                var facts = new Dictionary<string, string>
                {
                    ["head"] = refused.Head.ToString(CultureInfo.InvariantCulture),
                    ["lastCheckpoint"] = refused.Checkpoint?.Sequence.ToString(CultureInfo.InvariantCulture) ?? "none",
                    ["firstBrokenSequence"] = refused.Refusal?.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture) ?? "",
                };
                var message = refused.Message.Length <= 3000 ? refused.Message : refused.Message[..3000] + "…";
                var raised = await executor.SendAsync(actor, new RaiseIntegrityFinding(IntegrityFindingKinds.AuditChain,
                    message + " Checkpoints are not signed until this is resolved: verify the chain on the audit page, find what changed the trail, " +
                    "and restore it from a backup taken before the first broken event.", facts), ct);
                if (raised.Value is { Opened: true } finding)
                {
                    log.LogError("Integrity finding {Id} opened for the administrator", finding.Id);
                }
                else if (!raised.IsOk)
                {
                    log.LogError("The integrity finding could not be opened: {Kind} {Message}", raised.Kind, raised.Message);
                }
                break;
        }
        return outcome;
    }

    /// <summary>
    /// The checkpoints to verify the chain against: the table's and the checkpoint file's, read together while no signing runs (the
    /// lock in shared mode), so a checkpoint being signed is in both or in neither; each judged against <paramref name="keys"/>.
    /// </summary>
    internal static async Task<CheckpointSet> ReadCheckpointsAsync(ComplianceDbContext db, AuditKeyRing keys, CheckpointLog log, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AdvisoryLocks.TakeSharedAsync(db, LockKey, ct);
        var table = await db.ChainCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(ct);
        var (fromFile, file) = log.Read();
        await transaction.CommitAsync(ct);
        return CheckpointSet.Build(table, fromFile, file, keys);
    }
}

/// <summary>The signed checkpoints, newest first or in order, for auditors and administrators.</summary>
public sealed class ChainCheckpointsQuery(IDbContextFactory<ComplianceDbContext> contexts, AuditKeyRing keys)
{
    public async Task<PagedResult<ChainCheckpointView>> ListAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("Only auditors and administrators read the chain's checkpoints.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var all = db.ChainCheckpoints.AsNoTracking();
        var total = await all.CountAsync(ct);
        var ordered = page.Desc ? all.OrderByDescending(c => c.Sequence) : all.OrderBy(c => c.Sequence);
        var items = await ordered.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<ChainCheckpointView>([.. items.Select(c => ChainCheckpointView.From(c, keys))], page.SafePage, page.SafePageSize, total);
    }
}
