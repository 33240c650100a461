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
    Guid? DraftedBy, Guid? ActivatedBy, DateTimeOffset? ActivatedAt, string Version = "")
{
    public static PolicyVersionView From(PolicyVersion v) =>
        new(v.Id, v.Number, v.Name, v.Status, PolicyJson.Deserialize(v.Parameters), v.DraftedBy, v.ActivatedBy, v.ActivatedAt,
            v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Holds a policy version to the concurrency token its sender read: an activation or revision of a draft that changed
/// since (revised by its author, or activated) is a conflict, so nobody activates content they did not review.
/// </summary>
internal static class PolicyVersionToken
{
    public static string? Mismatch(Common.CommandContext context, PolicyVersion version, string? expected)
    {
        // The save compares xmin either way: a change committed between this read and the save is a conflict too.
        if (expected is null)
        {
            return null;
        }
        if (!uint.TryParse(expected, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token) || token != version.Version)
        {
            return $"Version {version.Number} changed after you opened it; reload it and review it again.";
        }
        context.Db.Entry(version).Property(v => v.Version).OriginalValue = token;
        return null;
    }
}

/// <summary>A contracting officer drafts a new policy version from a full set of parameters (typically the active one, edited).</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record DraftPolicyVersion(string Name, PolicyParameters Parameters) : ICommand<PolicyVersionView>;

public sealed class DraftPolicyVersionValidator : AbstractValidator<DraftPolicyVersion>
{
    public DraftPolicyVersionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Name the draft, e.g. what it changes.").MaximumLength(200);
        RuleFor(c => c.Parameters).NotNull().SetValidator(new PolicyParametersValidator());
    }
}

/// <summary>
/// The shape of a policy's parameters, for drafting and revising. Property names are the API's paths
/// (<c>Parameters.CountrySets[COVERED]</c>, <c>Parameters.MaxGrantDays</c>), so a form can show each message next to its field.
/// </summary>
public sealed class PolicyParametersValidator : AbstractValidator<PolicyParameters>
{
    public PolicyParametersValidator()
    {
        // One message per set, keyed CountrySets[NAME], so the editor shows it under that set's picker.
        RuleFor(p => p.CountrySets).Custom((sets, context) =>
        {
            foreach (var name in RequiredSets.Where(n => !sets.ContainsKey(n)))
            {
                context.AddFailure($"CountrySets[{name}]", $"Country set {name} must be defined (every rule that reads it needs it).");
            }
            foreach (var (name, codes) in sets.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var unknown = codes.Where(c => !Iso3166.IsKnown(c)).Order(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                {
                    context.AddFailure($"CountrySets[{name}]", $"Country set {name} holds codes that are not ISO 3166-1 alpha-2: {string.Join(", ", unknown)}.");
                }
            }
            if (sets.TryGetValue(PolicyParameters.Covered, out var covered) && covered.Count == 0)
            {
                context.AddFailure($"CountrySets[{PolicyParameters.Covered}]", "COVERED cannot be empty: the statute names covered nations (10 U.S.C. 4872).");
            }
            if (sets.TryGetValue(PolicyParameters.UsAreas, out var areas) && !areas.Contains("US"))
            {
                context.AddFailure($"CountrySets[{PolicyParameters.UsAreas}]", "US_AREAS must include the United States (US).");
            }
        });
        RuleFor(p => p.AttestationDays.Privileged).InclusiveBetween(1, 3650);
        RuleFor(p => p.AttestationDays.Other).InclusiveBetween(1, 3650);
        RuleFor(p => p.AttestationDays.WarnBefore).InclusiveBetween(0, 365);
        RuleFor(p => p.EscortMaxSupervised).InclusiveBetween(1, 50);
        RuleFor(p => p.MaxGrantDays).InclusiveBetween(1, 3650);
        RuleFor(p => p.VettingMaxAgeYears).InclusiveBetween(1, 30);
        RuleFor(p => p.FindingDueDays.Block).InclusiveBetween(1, 365);
        RuleFor(p => p.FindingDueDays.Suspend).InclusiveBetween(1, 365);
        RuleFor(p => p.FindingDueDays.Warn).InclusiveBetween(1, 365);
        RuleFor(p => p.SessionSignOffHours).InclusiveBetween(1, 720);
        RuleFor(p => p.ScreeningSettings.Threshold).InclusiveBetween(0.5, 1.0)
            .WithMessage("The screening threshold is a similarity between 0.5 and 1.");
        RuleFor(p => p.ScreeningSettings.CountryMismatchPenalty).InclusiveBetween(0.0, 0.5);
        RuleForEach(p => p.Rules.Keys).Must(id => RuleCatalogue.Find(id) is not null)
            .WithMessage((_, id) => $"'{id}' is not a rule of the catalogue.");
    }

    /// <summary>The country sets the rules read; a policy must define each.</summary>
    public static IReadOnlyList<string> RequiredSets { get; } =
        [PolicyParameters.Covered, PolicyParameters.Adversary, PolicyParameters.Concern, PolicyParameters.UsAreas];
}

internal sealed class DraftPolicyVersionHandler : ICommandHandler<DraftPolicyVersion, PolicyVersionView>
{
    public async Task<Outcome<PolicyVersionView>> HandleAsync(DraftPolicyVersion command, CommandContext context, CancellationToken ct)
    {
        var next = await context.Db.PolicyVersions.MaxAsync(v => v.Number, ct) + 1;
        var draft = new PolicyVersion(Guid.CreateVersion7(), next, command.Name.Trim(), PolicyJson.Serialize(command.Parameters),
            context.Actor.UserId, context.Now);
        context.Db.PolicyVersions.Add(draft);
        return Outcome<PolicyVersionView>.OkAfterSave(() => PolicyVersionView.From(draft));
    }
}

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

/// <summary>The result of an activation: the new active version and what it caused.</summary>
/// <summary>
/// An activation: the version now active, and the run that applies it to the existing grants in batches (ADR 0029) with the
/// consequences applied so far — none when the command returns; the caller that drives the run gathers them.
/// </summary>
public sealed record PolicyActivationResult(PolicyVersionView Version, ConsequencesView Consequences, ReevaluationRunView? Run = null);

/// <summary>
/// A contracting officer other than the drafter activates a draft. The previous version is retired and every current
/// grant is re-evaluated under the new one in the same transaction: grants that now fail a blocking rule are suspended.
/// With <c>Version</c> (the draft's <see cref="PolicyVersionView.Version"/> the officer reviewed), a draft changed since
/// is a conflict: nobody activates content they did not see.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ActivatePolicyVersion(Guid PolicyVersionId, string? Version = null) : ICommand<PolicyActivationResult>;

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
        if (PolicyVersionToken.Mismatch(context, draft, command.Version) is { } changed)
        {
            return Outcome<PolicyActivationResult>.Conflict(changed);
        }
        var active = await db.PolicyVersions.SingleAsync(v => v.Status == PolicyStatus.Active, ct);
        active.Retire(context.Now);
        // One active version at a time (a unique index): retire first, in its own save inside the same transaction.
        await db.SaveChangesAsync(ct);
        draft.Activate(context.Actor.UserId, context.Now);
        return Outcome<PolicyActivationResult>.OkAfterSave(() => new PolicyActivationResult(PolicyVersionView.From(draft), db.Consequences.ToView(),
            db.ChangeTracker.Entries<ReevaluationRun>().Select(e => e.Entity).Where(r => r.PolicyVersionId == draft.Id).Select(ReevaluationRunView.From).FirstOrDefault()));
    }
}
