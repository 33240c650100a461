using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>
/// A contracting officer revises a draft (API.md has no route for it yet: the portal's policy editor sends it). The reviser
/// becomes the draft's drafter, so a different officer must activate what they wrote. With <c>Version</c> (the
/// draft's <see cref="PolicyVersionView.Version"/> as read), a draft changed since is a conflict.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record RevisePolicyDraft(Guid PolicyVersionId, string Name, PolicyParameters Parameters, string? Version = null) : ICommand<PolicyVersionView>;

public sealed class RevisePolicyDraftValidator : AbstractValidator<RevisePolicyDraft>
{
    public RevisePolicyDraftValidator()
    {
        RuleFor(c => c.PolicyVersionId).NotEmpty();
        RuleFor(c => c.Name).NotEmpty().WithMessage("Name the draft, e.g. what it changes.").MaximumLength(200);
        RuleFor(c => c.Parameters).NotNull().SetValidator(new PolicyParametersValidator());
    }
}

internal sealed class RevisePolicyDraftHandler : ICommandHandler<RevisePolicyDraft, PolicyVersionView>
{
    public async Task<Outcome<PolicyVersionView>> HandleAsync(RevisePolicyDraft command, CommandContext context, CancellationToken ct)
    {
        var draft = await context.Db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == command.PolicyVersionId, ct);
        if (draft is null)
        {
            return Outcome<PolicyVersionView>.NotFound("The policy version");
        }
        if (draft.Status != PolicyStatus.Draft)
        {
            return Outcome<PolicyVersionView>.Conflict($"Version {draft.Number} is {draft.Status}; only a draft can be edited. Start a new draft instead.");
        }
        if (PolicyVersionToken.Mismatch(context, draft, command.Version) is { } changed)
        {
            return Outcome<PolicyVersionView>.Conflict(changed);
        }
        draft.Revise(command.Name.Trim(), PolicyJson.Serialize(command.Parameters), context.Actor.UserId, context.Now);
        return Outcome<PolicyVersionView>.OkAfterSave(() => PolicyVersionView.From(draft));
    }
}
