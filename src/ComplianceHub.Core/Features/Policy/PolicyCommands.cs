using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>A policy version as the API shows it.</summary>
public sealed record PolicyVersionView(Guid Id, int Number, string Name, PolicyStatus Status, PolicyParameters Parameters,
    Guid? DraftedBy, Guid? ActivatedBy, DateTimeOffset? ActivatedAt)
{
    public static PolicyVersionView From(PolicyVersion v) =>
        new(v.Id, v.Number, v.Name, v.Status, PolicyJson.Deserialize(v.Parameters), v.DraftedBy, v.ActivatedBy, v.ActivatedAt);
}

/// <summary>A contracting officer drafts a new policy version from a full set of parameters (typically the active one, edited).</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record DraftPolicyVersion(string Name, PolicyParameters Parameters) : ICommand<PolicyVersionView>;

public sealed class DraftPolicyVersionValidator : AbstractValidator<DraftPolicyVersion>
{
    public DraftPolicyVersionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Parameters).NotNull();
        RuleForEach(c => c.Parameters.CountrySets).Must(set => set.Value.All(Iso3166.IsKnown!))
            .WithMessage((_, set) => $"Country set {set.Key} holds codes that are not ISO 3166-1 alpha-2: {string.Join(", ", set.Value.Where(c => !Iso3166.IsKnown(c)))}.");
        RuleFor(c => c.Parameters.CountrySets).Must(sets => new[] { PolicyParameters.Covered, PolicyParameters.Adversary, PolicyParameters.Concern, PolicyParameters.UsAreas }.All(sets.ContainsKey))
            .WithMessage("Every country set (COVERED, ADVERSARY, CONCERN, US_AREAS) must be defined.");
        RuleFor(c => c.Parameters.AttestationDays.Privileged).InclusiveBetween(1, 3650);
        RuleFor(c => c.Parameters.AttestationDays.Other).InclusiveBetween(1, 3650);
        RuleFor(c => c.Parameters.AttestationDays.WarnBefore).InclusiveBetween(0, 365);
        RuleFor(c => c.Parameters.EscortMaxSupervised).InclusiveBetween(1, 50);
        RuleFor(c => c.Parameters.MaxGrantDays).InclusiveBetween(1, 3650);
        RuleFor(c => c.Parameters.VettingMaxAgeYears).InclusiveBetween(1, 30);
        RuleFor(c => c.Parameters.ScreeningSettings.Threshold).InclusiveBetween(0.5, 1.0)
            .WithMessage("The screening threshold is a similarity between 0.5 and 1.");
        RuleFor(c => c.Parameters.ScreeningSettings.CountryMismatchPenalty).InclusiveBetween(0.0, 0.5);
        RuleForEach(c => c.Parameters.Rules.Keys).Must(id => RuleCatalogue.Find(id) is not null)
            .WithMessage((_, id) => $"'{id}' is not a rule of the catalogue.");
    }
}

internal sealed class DraftPolicyVersionHandler : ICommandHandler<DraftPolicyVersion, PolicyVersionView>
{
    public async Task<Outcome<PolicyVersionView>> HandleAsync(DraftPolicyVersion command, CommandContext context, CancellationToken ct)
    {
        var next = await context.Db.PolicyVersions.MaxAsync(v => v.Number, ct) + 1;
        var draft = new PolicyVersion(Guid.CreateVersion7(), next, command.Name.Trim(), PolicyJson.Serialize(command.Parameters),
            context.Actor.UserId, context.Now);
        context.Db.PolicyVersions.Add(draft);
        return Outcome<PolicyVersionView>.Ok(PolicyVersionView.From(draft));
    }
}

/// <summary>The result of an activation: the new active version and what it caused.</summary>
public sealed record PolicyActivationResult(PolicyVersionView Version, ConsequencesView Consequences);

/// <summary>
/// A contracting officer other than the drafter activates a draft. The previous version is retired and every current
/// grant is re-evaluated under the new one in the same transaction: grants that now fail a blocking rule are suspended.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ActivatePolicyVersion(Guid PolicyVersionId) : ICommand<PolicyActivationResult>;

internal sealed class ActivatePolicyVersionHandler : ICommandHandler<ActivatePolicyVersion, PolicyActivationResult>
{
    public async Task<Outcome<PolicyActivationResult>> HandleAsync(ActivatePolicyVersion command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var draft = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == command.PolicyVersionId, ct);
        if (draft is null)
        {
            return Outcome<PolicyActivationResult>.NotFound("The policy version");
        }
        if (draft.DraftedBy == context.Actor.UserId)
        {
            return Outcome<PolicyActivationResult>.Forbidden("You drafted this version; a different contracting officer must activate it (two-person rule).");
        }
        if (draft.Status != PolicyStatus.Draft)
        {
            return Outcome<PolicyActivationResult>.Conflict($"Version {draft.Number} is {draft.Status}, not a draft.");
        }
        var active = await db.PolicyVersions.SingleAsync(v => v.Status == PolicyStatus.Active, ct);
        active.Retire(context.Now);
        // One active version at a time (a unique index): retire first, in its own save inside the same transaction.
        await db.SaveChangesAsync(ct);
        draft.Activate(context.Actor.UserId, context.Now);
        return Outcome<PolicyActivationResult>.OkAfterSave(() => new PolicyActivationResult(PolicyVersionView.From(draft), db.Consequences.ToView()));
    }
}
