using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// An integrity finding as auditors and administrators are shown it. <c>Opened</c>, on <see cref="RaiseIntegrityFinding"/>: true
/// when that call opened it, false when it was already open.
/// </summary>
public sealed record IntegrityFindingView(Guid Id, string Kind, string Title, string Message, IReadOnlyDictionary<string, string> Facts,
    DateTimeOffset DetectedAt, IntegrityFindingStatus Status, DateTimeOffset? ClosedAt, string? Resolution, bool Opened = false)
{
    public static IntegrityFindingView From(IntegrityFinding f, bool opened = false) => new(f.Id, f.Kind, IntegrityFindingKinds.Title(f.Kind), f.Message,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [], f.DetectedAt, f.Status, f.ClosedAt, f.Resolution, opened);
}

/// <summary>
/// Opens an integrity finding for the administrator (<see cref="IntegrityFinding"/>), or finds the one of the same kind already
/// open and adds nothing: a job that detects the same problem every minute opens one finding, not one a minute. Sent by the
/// portal's own jobs (the checkpoint signer) as the actor they run as.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record RaiseIntegrityFinding(string Kind, string Message, IReadOnlyDictionary<string, string> Facts) : ICommand<IntegrityFindingView>;

/// <summary>An administrator closes an integrity finding, saying what was found and done.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CloseIntegrityFinding(Guid FindingId, string Resolution) : ICommand<IntegrityFindingView>;

public sealed class RaiseIntegrityFindingValidator : AbstractValidator<RaiseIntegrityFinding>
{
    public RaiseIntegrityFindingValidator()
    {
        RuleFor(c => c.Kind).NotEmpty().MaximumLength(40);
        RuleFor(c => c.Message).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.Facts).NotNull();
    }
}

public sealed class CloseIntegrityFindingValidator : AbstractValidator<CloseIntegrityFinding>
{
    public CloseIntegrityFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Resolution).NotEmpty().WithMessage("Say what you found and what was done.").MaximumLength(2000);
    }
}

internal sealed class RaiseIntegrityFindingHandler : ICommandHandler<RaiseIntegrityFinding, IntegrityFindingView>
{
    private const long LockKey = 0x4348_494E_5447; // "CHINTG": two instances raising the same kind at once take turns

    public async Task<Outcome<IntegrityFindingView>> HandleAsync(RaiseIntegrityFinding command, CommandContext context, CancellationToken ct) =>
        await RaiseAsync(context, command.Kind, command.Message, command.Facts, ct) is { } raised
            ? Outcome<IntegrityFindingView>.Ok(raised)
            : Outcome<IntegrityFindingView>.Conflict("Another instance is opening an integrity finding now.");

    /// <summary>
    /// In the command's transaction: the finding of <paramref name="kind"/> already open, or a new one (<c>Opened</c>); null when
    /// another instance is opening one now. Also how a job that detects a problem in its own command opens its finding in the
    /// same transaction (the daily state verification).
    /// </summary>
    internal static async Task<IntegrityFindingView?> RaiseAsync(CommandContext context, string kind, string message,
        IReadOnlyDictionary<string, string> facts, CancellationToken ct)
    {
        var db = context.Db;
        if (!await AdvisoryLocks.TryTakeAsync(db, LockKey, ct))
        {
            return null;
        }
        var open = await db.IntegrityFindings.AsNoTracking()
            .SingleOrDefaultAsync(f => f.Kind == kind && f.Status == IntegrityFindingStatus.Open, ct);
        if (open is not null)
        {
            return IntegrityFindingView.From(open);
        }
        var finding = IntegrityFinding.Open(kind, message, facts, context.Now);
        db.IntegrityFindings.Add(finding);
        return IntegrityFindingView.From(finding, opened: true);
    }
}

internal sealed class CloseIntegrityFindingHandler : ICommandHandler<CloseIntegrityFinding, IntegrityFindingView>
{
    public async Task<Outcome<IntegrityFindingView>> HandleAsync(CloseIntegrityFinding command, CommandContext context, CancellationToken ct)
    {
        var finding = await context.Db.IntegrityFindings.SingleOrDefaultAsync(f => f.Id == command.FindingId, ct);
        if (finding is null)
        {
            return Outcome<IntegrityFindingView>.NotFound("The integrity finding");
        }
        if (finding.Status != IntegrityFindingStatus.Open)
        {
            return Outcome<IntegrityFindingView>.Conflict("The integrity finding is already closed.");
        }
        finding.Close(context.Actor.UserId, context.Now, command.Resolution.Trim());
        return Outcome<IntegrityFindingView>.Ok(IntegrityFindingView.From(finding));
    }
}

/// <summary>Integrity findings, for auditors (read) and administrators (read and close); nobody else sees them.</summary>
public sealed class IntegrityFindingsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The open ones, oldest first, and the latest closed ones when <paramref name="closed"/> is more than 0.</summary>
    public async Task<IReadOnlyList<IntegrityFindingView>> ListAsync(Actor actor, int closed = 0, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.IntegrityFindings.AsNoTracking().Where(f => f.Status == IntegrityFindingStatus.Open).OrderBy(f => f.DetectedAt).ToListAsync(ct);
        var recent = closed <= 0 ? [] : await db.IntegrityFindings.AsNoTracking().Where(f => f.Status == IntegrityFindingStatus.Closed)
            .OrderByDescending(f => f.ClosedAt).Take(closed).ToListAsync(ct);
        return [.. open.Concat(recent).Select(f => IntegrityFindingView.From(f))];
    }

    /// <summary>How many are open (the administrator's bell).</summary>
    public async Task<int> OpenCountAsync(Actor actor, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            return 0;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.IntegrityFindings.CountAsync(f => f.Status == IntegrityFindingStatus.Open, ct);
    }
}
