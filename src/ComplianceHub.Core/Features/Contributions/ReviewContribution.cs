using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>What a review recorded.</summary>
public sealed record ReviewResult(Guid ContributionId, ReviewVerdict Verdict, string? Notes, string ReviewedBy, DateTimeOffset ReviewedAt, string Version);

/// <summary>
/// A reviewer's verdict on a contribution — reviewed, no concern; needs remediation; escalated — with notes (required unless
/// there is no concern). The audit of code made under escort is the auditors' own work product, so auditors may send this one
/// command (<see cref="AuditorWork"/>); it changes no roster, access or policy data, and it is audited like every change.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.Auditor)]
public sealed record ReviewContribution(Guid ContributionId, ReviewVerdict Verdict, string? Notes, string? Version = null) : ICommand<ReviewResult>;

public sealed class ReviewContributionValidator : AbstractValidator<ReviewContribution>
{
    public ReviewContributionValidator()
    {
        RuleFor(c => c.ContributionId).NotEmpty();
        VerdictRules.Add(this, c => c.Verdict, c => c.Notes, "Say what needs remediation or why it is escalated.");
        RuleFor(c => c.Version).Must(v => v is null || uint.TryParse(v, out _)).WithMessage("Send the version you read.");
    }
}

internal sealed class ReviewContributionHandler : ICommandHandler<ReviewContribution, ReviewResult>
{
    public async Task<Outcome<ReviewResult>> HandleAsync(ReviewContribution command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var contribution = await db.CodeContributions.VisibleTo(context.Actor).SingleOrDefaultAsync(c => c.Id == command.ContributionId, ct);
        if (contribution is null)
        {
            return Outcome<ReviewResult>.NotFound("The contribution");
        }
        if (command.Version is { } sent)
        {
            var version = uint.Parse(sent, System.Globalization.CultureInfo.InvariantCulture);
            if (contribution.Version != version)
            {
                return Outcome<ReviewResult>.Conflict("Someone reviewed this contribution since you read it; reload it and try again.");
            }
            db.Entry(contribution).Property(c => c.Version).OriginalValue = version;
        }
        ContributionReview.Review(contribution, command.Verdict, command.Notes, context);
        return Outcome<ReviewResult>.OkAfterSave(() => new ReviewResult(contribution.Id, contribution.ReviewVerdict, contribution.ReviewNotes,
            contribution.ReviewedByName ?? "", contribution.ReviewedAt!.Value, contribution.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}

/// <summary>The verdict and its notes, checked alike for one contribution or many: a verdict chosen, notes unless there is no concern.</summary>
internal static class VerdictRules
{
    public static void Add<T>(AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, ReviewVerdict>> verdict,
        System.Linq.Expressions.Expression<Func<T, string?>> notes, string notesMissing)
    {
        var read = verdict.Compile();
        validator.RuleFor(verdict).IsInEnum().NotEqual(ReviewVerdict.Unreviewed).WithMessage("Choose a verdict.");
        validator.RuleFor(notes).MaximumLength(4000);
        validator.RuleFor(notes).NotEmpty().WithMessage(notesMissing).When(c => read(c) is ReviewVerdict.NeedsRemediation or ReviewVerdict.Escalated);
    }
}

/// <summary>What recording a verdict does, one contribution or many (<see cref="ReviewContributions"/>).</summary>
internal static class ContributionReview
{
    public static void Review(CodeContribution contribution, ReviewVerdict verdict, string? notes, CommandContext context) =>
        contribution.Review(verdict, notes, context.Actor.UserId, context.Actor.DisplayName, context.Now);
}

/// <summary>
/// The commands an auditor may send: only their own review work, which changes no compliance data (roster, access,
/// escorts, policy, findings) — a verdict, the same verdict on many, and importing the contributions to review (API.md: an
/// outside audit brings the repository's history). The read-only tests hold every other command refused to auditors, and
/// this list to exactly these.
/// </summary>
public static class AuditorWork
{
    public static IReadOnlySet<Type> Commands { get; } = new HashSet<Type> { typeof(ReviewContribution), typeof(ReviewContributions), typeof(ImportContributions) };
}
