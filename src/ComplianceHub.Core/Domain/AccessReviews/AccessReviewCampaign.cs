namespace ComplianceHub.Core.Domain.AccessReviews;

/// <summary>
/// One run of an access review: a copy of its definition's settings as they were when it started, the frozen list of items
/// (<see cref="AccessReviewItem"/>, one per grant in scope at the start), the deadline, and how it closed. Closes when every
/// item is decided or at the deadline (after the deadline's action). Its counts are kept with every decision so lists and the
/// dashboard never count items (ADR 0040).
/// </summary>
public sealed class AccessReviewCampaign
{
    private AccessReviewCampaign() { }

    public AccessReviewCampaign(Guid id, AccessReviewDefinition definition, Guid startedBy, string startedByName, DateTimeOffset startedAt)
    {
        Id = id;
        DefinitionId = definition.Id;
        Name = $"{definition.Name} — {startedAt:yyyy-MM-dd}";
        ScopeJsonText = definition.ScopeJsonText;
        RepresentativeStage = definition.RepresentativeStage;
        FallbackOfficerId = definition.FallbackOfficerId;
        ReminderDays = [.. definition.ReminderDays];
        DeadlineAction = definition.DeadlineAction;
        EscalationDays = definition.EscalationDays;
        CommentRule = definition.CommentRule;
        StartedBy = startedBy;
        StartedByName = startedByName;
        StartedAt = startedAt;
        Deadline = startedAt.AddDays(definition.DurationDays);
    }

    public Guid Id { get; private set; }
    public Guid DefinitionId { get; private set; }

    /// <summary>The definition's name and the start day, e.g. "Quarterly review of HC1028-26-C-0042 — 2026-12-07".</summary>
    public string Name { get; private set; } = "";

    public string ScopeJsonText { get; private set; } = "{}";
    public AccessReviewScope Scope => System.Text.Json.JsonSerializer.Deserialize<AccessReviewScope>(ScopeJsonText, AccessReviewDefinition.ScopeJson)
        ?? AccessReviewScope.Everything;
    public bool RepresentativeStage { get; private set; }
    public Guid FallbackOfficerId { get; private set; }
    public List<int> ReminderDays { get; private set; } = [];
    public DeadlineAction DeadlineAction { get; private set; }
    public int EscalationDays { get; private set; }
    public CommentRule CommentRule { get; private set; }

    /// <summary>The account that started it; <see cref="Guid.Empty"/> for the scheduler.</summary>
    public Guid StartedBy { get; private set; }
    public string StartedByName { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>When undecided items get the deadline's action. Moved on once by an escalation (<see cref="Escalated"/>).</summary>
    public DateTimeOffset Deadline { get; private set; }

    /// <summary>Set when the deadline's escalation moved the undecided items to the fallback officer and the deadline on.</summary>
    public DateTimeOffset? Escalated { get; private set; }

    public CampaignStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public CampaignCloseReason? CloseReason { get; private set; }

    /// <summary>The items frozen at the start.</summary>
    public int ItemCount { get; private set; }

    /// <summary>SHA-256 (hex) of the frozen item list (each item's id and grant id, in id order): the start's audit event commits to it.</summary>
    public string ItemsDigest { get; private set; } = "";

    /// <summary>Items not yet decided in their final stage (pending, including reopened ones).</summary>
    public int PendingCount { get; private set; }

    /// <summary>The reminders already sent, by days before the deadline.</summary>
    public List<int> RemindersSent { get; private set; } = [];

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public bool IsOpen => Status == CampaignStatus.Open;

    /// <summary>The start froze <paramref name="itemCount"/> items whose list hashes to <paramref name="digest"/>.</summary>
    public void Frozen(int itemCount, string digest)
    {
        ItemCount = itemCount;
        PendingCount = itemCount;
        ItemsDigest = digest;
    }

    /// <summary>Items left the pending state (decided, ended) or came back to it (reopened); closes the campaign when none is left.</summary>
    public void Pending(int delta, DateTimeOffset at)
    {
        PendingCount = Math.Max(0, PendingCount + delta);
        if (PendingCount == 0 && IsOpen)
        {
            Close(CampaignCloseReason.AllDecided, at);
        }
    }

    public void Reminded(int daysBefore)
    {
        if (!RemindersSent.Contains(daysBefore))
        {
            RemindersSent = [.. RemindersSent.Append(daysBefore).OrderDescending()];
        }
    }

    /// <summary>The deadline's escalation: the undecided items went to the fallback officer, who has <see cref="EscalationDays"/> more.</summary>
    public void Escalate(DateTimeOffset at)
    {
        Escalated = at;
        Deadline = at.AddDays(Math.Max(1, EscalationDays));
    }

    public void Close(CampaignCloseReason reason, DateTimeOffset at)
    {
        if (IsOpen)
        {
            Status = CampaignStatus.Closed;
            CloseReason = reason;
            ClosedAt = at;
        }
    }
}
