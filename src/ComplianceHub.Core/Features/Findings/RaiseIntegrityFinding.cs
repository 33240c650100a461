using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// Opens an integrity finding for the administrator (<see cref="IntegrityFinding"/>), or finds the one of the same kind already
/// open and adds nothing: a job that detects the same problem every minute opens one finding, not one a minute. Sent by the
/// portal's own jobs (the checkpoint signer) as the actor they run as.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record RaiseIntegrityFinding(string Kind, string Message, IReadOnlyDictionary<string, string> Facts) : ICommand<IntegrityFindingView>;

public sealed class RaiseIntegrityFindingValidator : AbstractValidator<RaiseIntegrityFinding>
{
    public RaiseIntegrityFindingValidator()
    {
        RuleFor(c => c.Kind).NotEmpty().MaximumLength(40);
        RuleFor(c => c.Message).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.Facts).NotNull();
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
