using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

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
        RuleFor(p => p.EvidenceSettings.WindowDays).InclusiveBetween(1, 730)
            .WithMessage("Count access-log evidence over 1 to 730 days.");
        RuleFor(p => p.EvidenceSettings.CoveredMinSignIns).InclusiveBetween(1, 1000)
            .WithMessage("Sign-ins from a covered nation before a finding: 1 to 1,000.");
        RuleFor(p => p.EvidenceSettings.MismatchMinSignIns).InclusiveBetween(1, 1000)
            .WithMessage("Sign-ins from another country before a finding: 1 to 1,000.");
        RuleFor(p => p.EvidenceSettings.SessionActivityDays).InclusiveBetween(0, 365)
            .WithMessage("Days of access without a session record: 0 (off) to 365.");
        RuleForEach(p => p.Rules.Keys).Must(id => RuleCatalogue.Find(id) is not null)
            .WithMessage((_, id) => $"{id} is not a rule of the catalogue.");
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
