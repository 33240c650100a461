using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// Declares a finding remediated (API.md <c>POST /findings/{id}/remediate</c>). The claim is checked: the subject is
/// evaluated again under the active policy, and while the finding's rule still fails the request is refused with that
/// rule's outcome. A lapse that is history (an escorted session signed off late) is remediated once it is corrected.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RemediateFinding(Guid FindingId, string Resolution) : ICommand<FindingView>;

public sealed class RemediateFindingValidator : AbstractValidator<RemediateFinding>
{
    public RemediateFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Resolution).NotEmpty().WithMessage("Say what was done to remediate the finding.").MaximumLength(2000);
    }
}

internal sealed class RemediateFindingHandler : ICommandHandler<RemediateFinding, FindingView>
{
    public async Task<Outcome<FindingView>> HandleAsync(RemediateFinding command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var finding = await db.Findings.VisibleTo(context.Actor).SingleOrDefaultAsync(f => f.Id == command.FindingId, ct);
        if (finding is null)
        {
            return Outcome<FindingView>.NotFound("The finding");
        }
        if (!finding.IsOpen)
        {
            return Outcome<FindingView>.Conflict($"The finding is {finding.Status}; only an open or acknowledged finding can be remediated.");
        }
        var still = await StillFailingAsync(db, finding, context, ct);
        if (still is not null)
        {
            return Outcome<FindingView>.Refused([still]);
        }
        finding.Remediate(context.Actor.UserId, context.Now, command.Resolution.Trim());
        return Outcome<FindingView>.Ok(FindingView.From(finding));
    }

    /// <summary>The finding's rule evaluated on its subject now, or null when it passes (or the lapse was corrected).</summary>
    private static async Task<RuleOutcome?> StillFailingAsync(ComplianceDbContext db, Finding finding, CommandContext context, CancellationToken ct)
    {
        var (version, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        var rules = new RuleContext(parameters, version.Number, context.Today) { Now = context.Now };
        IReadOnlyList<RuleOutcome> outcomes;
        switch (finding.SubjectType)
        {
            case "grant":
                var grant = await db.Grants.AsNoTracking().SingleAsync(g => g.Id == finding.SubjectId, ct);
                if (grant.Status is GrantStatus.Revoked or GrantStatus.Expired)
                {
                    return null; // the access is gone
                }
                outcomes = PolicyEvaluator.Default.Evaluate(await ComplianceGate.SubjectAsync(db, grant, ct), rules);
                break;
            case "escorted-session":
                var session = await db.EscortedSessions.AsNoTracking().SingleAsync(s => s.Id == finding.SubjectId, ct);
                // A late sign-off is history; what can be corrected is a missing one.
                outcomes = session.SignedOffAt is null ? PolicyEvaluator.Default.Evaluate(session.ToSubject(), rules) : [];
                break;
            default:
                outcomes = [];
                break;
        }
        return outcomes.FirstOrDefault(o => o.RuleId == finding.RuleId);
    }
}
