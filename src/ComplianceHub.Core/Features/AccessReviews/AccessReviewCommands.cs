using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using FluentValidation;

namespace ComplianceHub.Core.Features.AccessReviews;

// The commands of access reviews (ADR 0040). Each has its handler in a file of its own beside this one.

/// <summary>
/// Records a new definition (<see cref="Id"/> null) or changes one (with <see cref="Version"/>, the version read: a definition
/// changed since is a conflict). Campaigns already started keep the settings they were
/// started with. <c>POST /api/v1/access-reviews/definitions</c>, <c>PUT …/definitions/{id}</c>.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record SaveAccessReviewDefinition(
    Guid? Id,
    string Name,
    AccessReviewScope Scope,
    bool RepresentativeStage,
    Guid FallbackOfficerId,
    int DurationDays,
    IReadOnlyList<int> ReminderDays,
    DeadlineAction DeadlineAction,
    int EscalationDays,
    CommentRule CommentRule,
    Recurrence Recurrence,
    DateOnly? NextStartOn,
    string? Version = null) : ICommand<AccessReviewDefinitionView>;

public sealed class SaveAccessReviewDefinitionValidator : AbstractValidator<SaveAccessReviewDefinition>
{
    public SaveAccessReviewDefinitionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Name the review, e.g. \"Quarterly review of HC1028-26-C-0042\".").MaximumLength(200);
        RuleFor(c => c.Scope).NotNull().WithMessage("Say which grants the review covers.");
        RuleFor(c => c.FallbackOfficerId).NotEmpty().WithMessage("Choose the fallback officer, who decides what nobody else can.");
        RuleFor(c => c.DurationDays).InclusiveBetween(1, 365).WithMessage("Give reviewers between 1 and 365 days.");
        RuleFor(c => c.ReminderDays).NotNull()
            .Must(d => d is null || d.Count <= 5).WithMessage("Send at most five reminders.")
            .Must(d => d is null || d.All(x => x >= 1 && x <= 90)).WithMessage("Send reminders between 1 and 90 days before the deadline.");
        RuleFor(c => c).Must(c => c.ReminderDays is null || c.ReminderDays.All(d => d < c.DurationDays))
            .WithName(nameof(SaveAccessReviewDefinition.ReminderDays)).OverridePropertyName(nameof(SaveAccessReviewDefinition.ReminderDays))
            .WithMessage("A reminder must come after the start: make it fewer days before the deadline than the review lasts.");
        RuleFor(c => c.DeadlineAction).IsInEnum();
        RuleFor(c => c.EscalationDays).InclusiveBetween(1, 90).WithMessage("Give the fallback officer between 1 and 90 days after an escalation.");
        RuleFor(c => c.CommentRule).IsInEnum();
        RuleFor(c => c.Recurrence).IsInEnum();
        RuleFor(c => c.NextStartOn).NotNull().When(c => c.Recurrence != Recurrence.None)
            .WithMessage("Give the day the scheduler starts the first campaign.");
    }
}

/// <summary>Retires a definition: it starts no more campaigns; its campaigns stay. <c>POST …/definitions/{id}/retire</c>.</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record RetireAccessReviewDefinition(Guid DefinitionId, string Reason) : ICommand<AccessReviewDefinitionView>;

public sealed class RetireAccessReviewDefinitionValidator : AbstractValidator<RetireAccessReviewDefinition>
{
    public RetireAccessReviewDefinitionValidator()
    {
        RuleFor(c => c.DefinitionId).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the review is retired.").MaximumLength(2000);
    }
}

/// <summary>
/// Starts a campaign of a definition now: freezes the items (every current grant in scope, in the actor's vendor scope for an
/// officer of a contracting office), with their recommendation and reviewers. With <see cref="DryRun"/>: how many items it
/// would hold, nothing written. <c>POST …/definitions/{id}/start</c>. The scheduler starts recurring definitions through
/// <see cref="RunAccessReviewSchedule"/>.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record StartAccessReviewCampaign(Guid DefinitionId, bool DryRun = false) : ICommand<AccessReviewCampaignView>, ICanDryRun;

public sealed class StartAccessReviewCampaignValidator : AbstractValidator<StartAccessReviewCampaign>
{
    public StartAccessReviewCampaignValidator() => RuleFor(c => c.DefinitionId).NotEmpty();
}

/// <summary>
/// The scheduler's tick (as <see cref="Actor.Scheduler"/>): starts recurring definitions that are due, reminds reviewers who
/// have not decided (the days before the deadline each campaign names), and applies the deadline's action to undecided items
/// of campaigns past their deadline (revoke; escalate to the fallback officer; keep where no comment is needed). Every such
/// action is an audit event.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record RunAccessReviewSchedule : ICommand<AccessReviewScheduleResult>;

/// <summary>What one tick did.</summary>
public sealed record AccessReviewScheduleResult(int CampaignsStarted, int RemindersSent, int ItemsRevoked, int ItemsEscalated, int ItemsKept, int CampaignsClosed)
{
    /// <summary>The reminder e-mails this tick claimed (one per reviewer and campaign); the scheduler sends them after the commit.</summary>
    public IReadOnlyList<AccessReviewReminder> Reminders { get; init; } = [];
}

/// <summary>
/// Which items of a campaign a reader selected, by filter (the review grid's filters): every field set narrows.
/// <see cref="Mine"/>: only items the actor may decide now.
/// </summary>
public sealed record AccessReviewItemFilter
{
    public IReadOnlyList<Guid> VendorIds { get; init; } = [];
    public IReadOnlyList<Guid> SystemIds { get; init; } = [];
    public AccessReviewItemStatus? Status { get; init; }
    public int? Stage { get; init; }
    public AccessReviewRecommendation? Recommendation { get; init; }
    public Domain.AccessType? AccessType { get; init; }
    public bool? Escorted { get; init; }
    public bool? ForeignNational { get; init; }
    public bool? Stale { get; init; }
    public bool Mine { get; init; }

    /// <summary>Words in the person's name or e-mail, or the system's name.</summary>
    public string? Search { get; init; }
}

/// <summary>
/// Decides items of one campaign, one or many: by <see cref="Ids"/> (at most 5,000) or by <see cref="Filter"/> (any number;
/// always narrowed to the items the actor may decide now). In stage one (a representative) Keep confirms the access is still
/// needed and the facts are current, Revoke or Reduce says it is not (the officers see the answer); the item moves to stage
/// two. In stage two (an officer) the decision takes effect through the gate: Revoke revokes the grant, Reduce revokes it and
/// requests non-privileged access instead, Keep records the decision with the facts it was made on. All or nothing, in
/// chunks of one transaction with progress (<see cref="AccessReviewProgressScope"/>); an item the actor may not decide, or
/// one that needs a comment and has none, refuses the whole selection and is listed.
/// <see cref="ExpectedCount"/>: the count the confirmation named; a selection that has changed since refuses (409).
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record DecideAccessReviewItems(
    Guid CampaignId,
    IReadOnlyList<Guid>? Ids,
    AccessReviewItemFilter? Filter,
    AccessReviewDecision Decision,
    string? Comment,
    int? ExpectedCount = null,
    bool DryRun = false) : ICommand<AccessReviewDecisionResult>, ICanDryRun;

public sealed class DecideAccessReviewItemsValidator : AbstractValidator<DecideAccessReviewItems>
{
    public DecideAccessReviewItemsValidator()
    {
        RuleFor(c => c.CampaignId).NotEmpty();
        RuleFor(c => c).Must(c => (c.Ids is { Count: > 0 }) != (c.Filter is not null))
            .OverridePropertyName(nameof(DecideAccessReviewItems.Ids))
            .WithMessage("Select the items by their ids or by a filter, not both and not neither.");
        RuleFor(c => c.Ids!).ValidIds().When(c => c.Ids is { Count: > 0 });
        RuleFor(c => c.Decision).IsInEnum();
        RuleFor(c => c.Comment).MaximumLength(2000);
        RuleFor(c => c.ExpectedCount).GreaterThan(0).When(c => c.ExpectedCount is not null);
    }
}

/// <summary>What a decision applied: the items decided, and the grants revoked and requested as a consequence.</summary>
public sealed record AccessReviewDecisionResult(int Decided, int MovedToStageTwo, int GrantsRevoked, int GrantsRequested, bool CampaignClosed);

/// <summary>
/// Gives items to another reviewer, with a reason: an officer to another officer (stage two), a representative to another
/// representative of the vendor (stage one). Never to the grant's requester. <c>POST …/campaigns/{id}/reassign</c>.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record ReassignAccessReviewItems(Guid CampaignId, IReadOnlyList<Guid> Ids, Guid ReviewerId, string Reason)
    : ICommand<BulkResult>, IBulkCommand;

public sealed class ReassignAccessReviewItemsValidator : AbstractValidator<ReassignAccessReviewItems>
{
    public ReassignAccessReviewItemsValidator()
    {
        RuleFor(c => c.CampaignId).NotEmpty();
        RuleFor(c => c.Ids).ValidIds();
        RuleFor(c => c.ReviewerId).NotEmpty().WithMessage("Choose who reviews the items instead.");
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the items go to another reviewer; they read it.").MaximumLength(2000);
    }
}

/// <summary>How far a bulk decision is: items done of the total.</summary>
public sealed record AccessReviewProgress(int Done, int Total)
{
    public string Describe() => Done == 0 ? $"Deciding {Total:N0} items…" : $"Deciding items: {Done:N0} of {Total:N0}";
}

/// <summary>Where a running bulk decision reports its progress (ambient, as <see cref="Personnel.ImportProgressScope"/>).</summary>
public static class AccessReviewProgressScope
{
    private static readonly AsyncLocal<IProgress<AccessReviewProgress>?> Current = new();

    public static IDisposable Begin(IProgress<AccessReviewProgress> progress)
    {
        var previous = Current.Value;
        Current.Value = progress;
        return new Restore(previous);
    }

    internal static void Report(int done, int total) => Current.Value?.Report(new AccessReviewProgress(done, total));

    private sealed class Restore(IProgress<AccessReviewProgress>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
