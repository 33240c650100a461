using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Core.Domain.AccessReviews;

/// <summary>
/// An access review (certification) definition, kept by contracting officers: which grants (<see cref="Scope"/>), who reviews
/// them in which stages, how long reviewers have, when they are reminded, what happens to an undecided item at the deadline,
/// when a comment is needed, and whether (and how often) the scheduler starts it. Starting it makes a
/// <see cref="AccessReviewCampaign"/> with a frozen copy of these settings and of the items (ADR 0040).
/// </summary>
public sealed class AccessReviewDefinition
{
    internal static readonly JsonSerializerOptions ScopeJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private AccessReviewDefinition() { }

    public AccessReviewDefinition(Guid id, string name, Guid createdBy, DateTimeOffset createdAt)
    {
        Id = id;
        Name = name;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The scope, as JSON (<see cref="AccessReviewScope"/>); read it through <see cref="Scope"/>.</summary>
    public string ScopeJsonText { get; private set; } = "{}";

    public AccessReviewScope Scope => JsonSerializer.Deserialize<AccessReviewScope>(ScopeJsonText, ScopeJson) ?? AccessReviewScope.Everything;

    /// <summary>Whether the vendor's representatives confirm each item first (stage one) before the officers decide (stage two).</summary>
    public bool RepresentativeStage { get; private set; } = true;

    /// <summary>The officer who decides when no responsible officer can (none, or only the grant's requester) and who receives escalations.</summary>
    public Guid FallbackOfficerId { get; private set; }

    /// <summary>Days from the start to the deadline.</summary>
    public int DurationDays { get; private set; } = 30;

    /// <summary>Days before the deadline on which reviewers who have not decided are reminded, e.g. [7, 1].</summary>
    public List<int> ReminderDays { get; private set; } = [7, 1];

    public DeadlineAction DeadlineAction { get; private set; } = DeadlineAction.Escalate;

    /// <summary>With <see cref="DeadlineAction.Escalate"/>: days the fallback officer has before what is still undecided is revoked.</summary>
    public int EscalationDays { get; private set; } = 7;

    public CommentRule CommentRule { get; private set; } = CommentRule.WhenSensitive;

    public Recurrence Recurrence { get; private set; }

    /// <summary>The day the scheduler next starts a campaign (recurring definitions); null when it is started by hand only.</summary>
    public DateOnly? NextStartOn { get; private set; }

    public Guid CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Set when an officer retired the definition: it starts no more campaigns; its campaigns stay.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    /// <summary>Sets every setting (a new definition, or an officer's edit; campaigns already started keep their copy).</summary>
    public void Change(string name, AccessReviewScope scope, bool representativeStage, Guid fallbackOfficerId, int durationDays,
        IEnumerable<int> reminderDays, DeadlineAction deadlineAction, int escalationDays, CommentRule commentRule, Recurrence recurrence,
        DateOnly? nextStartOn)
    {
        Name = name;
        ScopeJsonText = JsonSerializer.Serialize(scope, ScopeJson);
        RepresentativeStage = representativeStage;
        FallbackOfficerId = fallbackOfficerId;
        DurationDays = durationDays;
        ReminderDays = reminderDays.Distinct().OrderDescending().ToList();
        DeadlineAction = deadlineAction;
        EscalationDays = escalationDays;
        CommentRule = commentRule;
        Recurrence = recurrence;
        NextStartOn = recurrence == Recurrence.None ? null : nextStartOn;
    }

    /// <summary>A recurring definition started its campaign for <paramref name="day"/>: the next start moves on.</summary>
    public void Started(DateOnly day)
    {
        if (Recurrence != Recurrence.None && NextStartOn is { } next && next <= day)
        {
            var following = next;
            while (following <= day)
            {
                following = RecurrenceDates.Next(Recurrence, following)!.Value;
            }
            NextStartOn = following;
        }
    }

    public void Retire(DateTimeOffset at)
    {
        RetiredAt ??= at;
        NextStartOn = null;
    }
}
