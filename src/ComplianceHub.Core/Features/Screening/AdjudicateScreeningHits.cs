using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Screening;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>
/// A contracting officer adjudicates many pending hits with one decision and one record of due diligence (the screening
/// queue's bulk action, typically clearing false positives; <c>POST /api/v1/screening/hits/adjudicate</c>): each as
/// <see cref="AdjudicateScreeningHit"/> adjudicates one, then each person's screening status once. All or nothing: a hit
/// no longer pending or not found refuses the batch and is listed.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record AdjudicateScreeningHits(IReadOnlyList<Guid> Ids, HitDecision Decision, string Notes, bool DryRun = false)
    : ICommand<BulkResult>, IBulkCommand, ICanDryRun;

public sealed class AdjudicateScreeningHitsValidator : AbstractValidator<AdjudicateScreeningHits>
{
    public AdjudicateScreeningHitsValidator()
    {
        RuleFor(c => c.Ids).ValidIds();
        RuleFor(c => c.Decision).IsInEnum().WithMessage("Choose a decision.");
        RuleFor(c => c.Notes).NotEmpty().WithMessage("Record the due diligence behind the decision (identifiers compared, sources checked).")
            .MaximumLength(4000);
    }
}

internal sealed class AdjudicateScreeningHitsHandler : ICommandHandler<AdjudicateScreeningHits, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(AdjudicateScreeningHits command, CommandContext context, CancellationToken ct)
    {
        var hits = await context.Db.ScreeningHits.VisibleTo(context.Actor).Where(h => command.Ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, ct);
        var refused = Bulk.Check(command.Ids, hits, h => $"{h.ScreenedName} matched with {h.MatchedName}", ScreeningAdjudication.Refusal);
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, hits.Count < command.Ids.Count);
        }
        await ScreeningAdjudication.AdjudicateAsync(hits.Values, command.Decision, command.Notes, context, ct);
        return Outcome<BulkResult>.Ok(new BulkResult(command.Ids.Count, command.Ids));
    }
}
