using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>
/// A reviewer records one verdict on many contributions (the review queue's bulk action, <c>POST /api/v1/contributions/review</c>):
/// each as <see cref="ReviewContribution"/> records one, all in one transaction. A contribution not found (another
/// vendor's) refuses the batch and is listed. An auditor's own work, like the single verdict (<see cref="AuditorWork"/>).
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.Auditor)]
public sealed record ReviewContributions(IReadOnlyList<Guid> Ids, ReviewVerdict Verdict, string? Notes, bool DryRun = false)
    : ICommand<BulkResult>, IBulkCommand, ICanDryRun;

public sealed class ReviewContributionsValidator : AbstractValidator<ReviewContributions>
{
    public ReviewContributionsValidator()
    {
        RuleFor(c => c.Ids).ValidIds();
        VerdictRules.Add(this, c => c.Verdict, c => c.Notes, "Say what needs remediation or why they are escalated.");
    }
}

internal sealed class ReviewContributionsHandler : ICommandHandler<ReviewContributions, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(ReviewContributions command, CommandContext context, CancellationToken ct)
    {
        var contributions = await context.Db.CodeContributions.VisibleTo(context.Actor).Where(c => command.Ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, ct);
        var refused = Bulk.Check(command.Ids, contributions, c => $"{c.Repository} at {(c.ExternalId.Length >= 40 ? c.ExternalId[..10] : c.ExternalId)}", _ => null);
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, anyNotFound: true);
        }
        foreach (var contribution in contributions.Values)
        {
            ContributionReview.Review(contribution, command.Verdict, command.Notes, context);
        }
        return Outcome<BulkResult>.Ok(new BulkResult(command.Ids.Count, command.Ids));
    }
}
