using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// The responsible party answers many open findings with one response (the findings queue's bulk action,
/// <c>POST /api/v1/findings/acknowledge</c>): each as <see cref="AcknowledgeFinding"/> acknowledges one, all in one
/// transaction. A finding not open any more, or not found (another vendor's), refuses the batch and is listed.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AcknowledgeFindings(IReadOnlyList<Guid> Ids, string Response, bool DryRun = false) : ICommand<BulkResult>, IBulkCommand, ICanDryRun;

public sealed class AcknowledgeFindingsValidator : AbstractValidator<AcknowledgeFindings>
{
    public AcknowledgeFindingsValidator()
    {
        RuleFor(c => c.Ids).ValidIds();
        RuleFor(c => c.Response).NotEmpty().WithMessage("Say what you are doing about the findings.").MaximumLength(2000);
    }
}

internal sealed class AcknowledgeFindingsHandler : ICommandHandler<AcknowledgeFindings, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(AcknowledgeFindings command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var findings = await db.Findings.VisibleTo(context.Actor).Where(f => command.Ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
        var personIds = findings.Values.Select(f => f.PersonId).Distinct().ToList();
        var people = await db.People.Where(p => personIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var refused = Bulk.Check(command.Ids, findings, f => $"{f.RuleId} of {people.GetValueOrDefault(f.PersonId, "a person")}", FindingAcknowledgement.Refusal);
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, findings.Count < command.Ids.Count);
        }
        foreach (var finding in findings.Values)
        {
            FindingAcknowledgement.Acknowledge(finding, context, command.Response);
        }
        return Outcome<BulkResult>.Ok(new BulkResult(command.Ids.Count, command.Ids));
    }
}
