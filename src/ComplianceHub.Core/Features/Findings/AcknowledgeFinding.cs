using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// The responsible party has seen an open finding and answers it (API.md <c>POST /findings/{id}/acknowledge</c>). The
/// finding stays open — acknowledging is not fixing — until its condition clears or it is remediated.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AcknowledgeFinding(Guid FindingId, string Response) : ICommand<FindingView>;

public sealed class AcknowledgeFindingValidator : AbstractValidator<AcknowledgeFinding>
{
    public AcknowledgeFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Response).NotEmpty().WithMessage("Say what you are doing about the finding.").MaximumLength(2000);
    }
}

internal sealed class AcknowledgeFindingHandler : ICommandHandler<AcknowledgeFinding, FindingView>
{
    public async Task<Outcome<FindingView>> HandleAsync(AcknowledgeFinding command, CommandContext context, CancellationToken ct)
    {
        var finding = await context.Db.Findings.VisibleTo(context.Actor).SingleOrDefaultAsync(f => f.Id == command.FindingId, ct);
        if (finding is null)
        {
            return Outcome<FindingView>.NotFound("The finding");
        }
        if (finding.Status != FindingStatus.Open)
        {
            return Outcome<FindingView>.Conflict($"The finding is {finding.Status}; only an open finding can be acknowledged.");
        }
        FindingAcknowledgement.Acknowledge(finding, context, command.Response);
        return Outcome<FindingView>.Ok(FindingView.From(finding));
    }
}

/// <summary>What acknowledging a finding checks and records, one finding or many (<see cref="AcknowledgeFindings"/>).</summary>
internal static class FindingAcknowledgement
{
    /// <summary>Why the finding cannot be acknowledged, in words, or null when it can.</summary>
    public static string? Refusal(Finding finding) => finding.Status == FindingStatus.Open
        ? null
        : "It is no longer open and unanswered (already acknowledged, remediated or closed); reload the list.";

    public static void Acknowledge(Finding finding, CommandContext context, string response) =>
        finding.Acknowledge(context.Actor.UserId, context.Now, response.Trim());
}
