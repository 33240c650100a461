using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>A waiver as the API shows it.</summary>
public sealed record WaiverView(Guid Id, Guid FindingId, string RuleId, Guid SubjectId, string Justification, DateOnly ExpiresOn,
    WaiverStatus Status, Guid RequestedBy, Guid? ApprovedBy)
{
    public static WaiverView From(Waiver w) => new(w.Id, w.FindingId, w.RuleId, w.SubjectId, w.Justification, w.ExpiresOn, w.Status, w.RequestedBy, w.ApprovedBy);
}

/// <summary>A contracting officer asks for a time-bound exception to the rule of an open finding (API.md <c>POST /waivers</c>).</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record RequestWaiver(Guid FindingId, string Justification, DateOnly ExpiresOn) : ICommand<WaiverView>;

public sealed class RequestWaiverValidator : AbstractValidator<RequestWaiver>
{
    public RequestWaiverValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Justification).NotEmpty().WithMessage("Explain why the exception is acceptable.").MaximumLength(4000);
    }
}

internal sealed class RequestWaiverHandler : ICommandHandler<RequestWaiver, WaiverView>
{
    public async Task<Outcome<WaiverView>> HandleAsync(RequestWaiver command, CommandContext context, CancellationToken ct)
    {
        var finding = await context.Db.Findings.VisibleTo(context.Actor).SingleOrDefaultAsync(f => f.Id == command.FindingId, ct);
        if (finding is null)
        {
            return Outcome<WaiverView>.NotFound("The finding");
        }
        if (RuleCatalogue.Find(finding.RuleId) is { Waivable: false })
        {
            return Outcome<WaiverView>.Forbidden($"{finding.RuleId} rests on statute and cannot be waived.");
        }
        if (!finding.IsOpen)
        {
            return Outcome<WaiverView>.Conflict($"The finding is {finding.Status}; only an open finding can be waived.");
        }
        if (command.ExpiresOn <= context.Today || command.ExpiresOn > context.Today.AddDays(365))
        {
            return Outcome<WaiverView>.Invalid(new Dictionary<string, string[]>
            {
                [nameof(RequestWaiver.ExpiresOn)] = ["A waiver expires after today and within 365 days."],
            });
        }
        var waiver = new Waiver(Guid.CreateVersion7(), finding, command.Justification.Trim(), command.ExpiresOn, context.Actor.UserId, context.Now);
        context.Db.Waivers.Add(waiver);
        return Outcome<WaiverView>.Ok(WaiverView.From(waiver));
    }
}
