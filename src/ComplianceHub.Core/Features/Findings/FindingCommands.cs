using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Severity = ComplianceHub.Core.Rules.Severity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>A finding as the API shows it.</summary>
public sealed record FindingView(Guid Id, string RuleId, string SubjectType, Guid SubjectId, Guid PersonId, Guid VendorId, Severity Severity,
    string Message, IReadOnlyDictionary<string, string> Facts, string Citation, int PolicyVersion, DateTimeOffset DetectedAt, DateOnly DueOn,
    FindingStatus Status, string? Response, DateTimeOffset? AcknowledgedAt, string? Resolution, DateTimeOffset? ClosedAt)
{
    public static FindingView From(Finding f) => new(f.Id, f.RuleId, f.SubjectType, f.SubjectId, f.PersonId, f.VendorId, f.Severity, f.Message,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [], f.Citation, f.PolicyVersion, f.DetectedAt, f.DueOn,
        f.Status, f.Response, f.AcknowledgedAt, f.Resolution, f.ClosedAt);
}

/// <summary>
/// The responsible party has seen an open finding and answers it (API.md <c>POST /findings/{id}/acknowledge</c>). The
/// finding stays open — acknowledging is not fixing — until its condition clears or it is remediated.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record AcknowledgeFinding(Guid FindingId, string Response) : ICommand<FindingView>;

/// <summary>
/// Declares a finding remediated (API.md <c>POST /findings/{id}/remediate</c>). The claim is checked: the subject is
/// evaluated again under the active policy, and while the finding's rule still fails the request is refused with that
/// rule's outcome. A lapse that is history (an escorted session signed off late) is remediated once it is corrected.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RemediateFinding(Guid FindingId, string Resolution) : ICommand<FindingView>;

public sealed class AcknowledgeFindingValidator : AbstractValidator<AcknowledgeFinding>
{
    public AcknowledgeFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Response).NotEmpty().WithMessage("Say what you are doing about the finding.").MaximumLength(2000);
    }
}

public sealed class RemediateFindingValidator : AbstractValidator<RemediateFinding>
{
    public RemediateFindingValidator()
    {
        RuleFor(c => c.FindingId).NotEmpty();
        RuleFor(c => c.Resolution).NotEmpty().WithMessage("Say what was done to remediate the finding.").MaximumLength(2000);
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
        finding.Acknowledge(context.Actor.UserId, context.Now, command.Response.Trim());
        return Outcome<FindingView>.Ok(FindingView.From(finding));
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
        var (version, parameters) = await ComplianceGate.ActivePolicyAsync(db, ct);
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
