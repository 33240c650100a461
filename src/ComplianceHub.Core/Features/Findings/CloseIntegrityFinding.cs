using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>An administrator closes an integrity finding, saying what was found and done.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CloseIntegrityFinding(Guid FindingId, string Resolution) : ICommand<IntegrityFindingView>;

public sealed class CloseIntegrityFindingValidator : AbstractValidator<CloseIntegrityFinding>
{
    public CloseIntegrityFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Resolution).NotEmpty().WithMessage("Say what you found and what was done.").MaximumLength(2000);
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
