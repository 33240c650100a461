using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// One reminder e-mail: a reviewer, a campaign, how many of its items wait for their decision, and the deadline. Claimed by
/// the schedule's tick (the campaign records the reminder day as sent) and sent by the scheduler after the tick committed.
/// </summary>
public sealed record AccessReviewReminder(Guid ReviewerId, string Email, string DisplayName, Guid CampaignId, string CampaignName,
    int Pending, DateTimeOffset Deadline)
{
    /// <summary>The e-mail's subject.</summary>
    public string Subject => $"ComplianceHub: {Pending:N0} access review item{(Pending == 1 ? "" : "s")} await your decision by {Deadline.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>The plain-text body (the queue's address written out).</summary>
    public string Body(string? portalUrl)
    {
        var deadline = Deadline.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC";
        var lines = new List<string>
        {
            $"Hello {DisplayName},",
            "",
            $"{Pending:N0} item{(Pending == 1 ? "" : "s")} of the access review \"{CampaignName}\" wait{(Pending == 1 ? "s" : "")} for your decision. The deadline is {deadline}; what is still undecided then gets the review's deadline action.",
            "",
            $"Decide them in your review queue{(string.IsNullOrWhiteSpace(portalUrl) ? "" : $": {portalUrl.TrimEnd('/')}/access-reviews/queue")}.",
            "",
            "You receive this only on the review's reminder days, and only while items wait for you. — ComplianceHub",
        };
        return string.Join("\r\n", lines);
    }
}

/// <summary>
/// The access reviews' scheduler tick (<see cref="RunAccessReviewSchedule"/>, as <see cref="Authorization.Actor.Scheduler"/>):
/// <list type="number">
/// <item>starts every recurring definition whose next start has come (started by "scheduler"); a definition whose scope holds
///   nothing that day moves on to its next start;</item>
/// <item>claims the reminders due (each reminder day once per campaign, an e-mail only to reviewers with pending items they may
///   decide), returned in <see cref="AccessReviewScheduleResult.Reminders"/> for the scheduler to send after the commit;</item>
/// <item>applies the deadline's action to the undecided items of every open campaign past its deadline, in chunks of
///   <see cref="Chunk"/>: revoke; escalate to the fallback officer (the deadline moves on by the escalation days, and what is
///   still undecided at that second deadline is revoked); keep where no comment is needed, escalating the rest. The campaign
///   closes at its deadline when nothing is left pending.</item>
/// </list>
/// Every action changes tracked rows, so each is an audit event. One tick at a time across instances (advisory lock).
/// </summary>
internal sealed class RunAccessReviewScheduleHandler : ICommandHandler<RunAccessReviewSchedule, AccessReviewScheduleResult>
{
    /// <summary>Items decided or escalated at a time.</summary>
    public const int Chunk = 2_000;

    /// <summary>Who the scheduler's campaigns say started them.</summary>
    public const string SchedulerName = "scheduler";

    /// <summary>The note of an escalated item.</summary>
    public const string EscalationNote = "Escalated at the deadline to the fallback officer: nobody decided it in time.";

    public const string RevokedAtDeadline = "Revoked at the deadline: nobody decided it in time.";
    public const string RevokedAfterEscalation = "Revoked at the deadline after the escalation: the fallback officer did not decide it in time.";
    public const string KeptAtDeadline = "Kept at the deadline: nobody decided it, and keeping it needs no comment.";

    private const long LockKey = 0x43484152534348; // "CHARSCH": one tick at a time

    public async Task<Outcome<AccessReviewScheduleResult>> HandleAsync(RunAccessReviewSchedule command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (!await AdvisoryLocks.TryTakeAsync(db, LockKey, ct))
        {
            return Outcome<AccessReviewScheduleResult>.Conflict("Another instance is running the access review schedule now.");
        }
        var started = await StartDueAsync(context, ct);
        var reminders = await RemindAsync(context, ct);
        var totals = new DeadlineTotals();
        var overdue = await db.AccessReviewCampaigns.AsNoTracking()
            .Where(c => c.Status == CampaignStatus.Open && c.Deadline <= context.Now)
            .OrderBy(c => c.Deadline).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in overdue)
        {
            await DeadlineAsync(context, id, totals, ct);
        }
        return Outcome<AccessReviewScheduleResult>.Ok(new AccessReviewScheduleResult(started, reminders.Count, totals.Revoked, totals.Escalated,
            totals.Kept, totals.Closed) { Reminders = reminders });
    }

    /// <summary>(a) The recurring definitions due today, each started as the scheduler; what it did is saved before the next.</summary>
    private static async Task<int> StartDueAsync(CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var today = context.Today;
        var due = await db.AccessReviewDefinitions.AsNoTracking()
            .Where(d => d.RetiredAt == null && d.NextStartOn != null && d.NextStartOn <= today)
            .OrderBy(d => d.NextStartOn).ThenBy(d => d.Name).ToListAsync(ct);
        var started = 0;
        foreach (var definition in due)
        {
            var outcome = await CampaignStart.StartAsync(context, definition, Guid.Empty, SchedulerName, dryRun: false, ct);
            if (outcome.IsOk)
            {
                started++;
            }
            else
            {
                // Nothing to review this time (or nothing it may start): the definition waits for its next start.
                var tracked = await db.AccessReviewDefinitions.SingleAsync(d => d.Id == definition.Id, ct);
                tracked.Started(today);
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return started;
    }

    /// <summary>(b) The reminders due: per open campaign, the reminder days reached and not yet sent — one e-mail per reviewer with pending items.</summary>
    private static async Task<List<AccessReviewReminder>> RemindAsync(CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var now = context.Now;
        var reminders = new List<AccessReviewReminder>();
        var open = await db.AccessReviewCampaigns.Where(c => c.Status == CampaignStatus.Open && c.Deadline > now).ToListAsync(ct);
        foreach (var campaign in open)
        {
            var days = campaign.ReminderDays.Where(d => !campaign.RemindersSent.Contains(d) && campaign.Deadline.AddDays(-d) <= now).ToList();
            if (days.Count == 0)
            {
                continue;
            }
            var id = campaign.Id;
            var counts = db.AccessReviewItems.AsNoTracking()
                .Where(i => i.CampaignId == id && i.Status == AccessReviewItemStatus.Pending)
                .SelectMany(i => i.ReviewerIds)
                .GroupBy(r => r)
                .Select(g => new { ReviewerId = g.Key, Pending = g.Count() });
            var reviewers = await (from c in counts
                                   join u in db.Users.AsNoTracking() on c.ReviewerId equals u.Id
                                   where u.Email != null && u.DisabledAt == null
                                   orderby u.Email
                                   select new { c.ReviewerId, Email = u.Email!, u.DisplayName, c.Pending }).ToListAsync(ct);
            reminders.AddRange(reviewers.Select(r => new AccessReviewReminder(r.ReviewerId, r.Email, r.DisplayName, campaign.Id, campaign.Name,
                r.Pending, campaign.Deadline)));
            // Several reminder days reached at once (the scheduler was down) make one e-mail, and each is marked sent.
            days.ForEach(campaign.Reminded);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return reminders;
    }

    private sealed class DeadlineTotals
    {
        public int Revoked;
        public int Escalated;
        public int Kept;
        public int Closed;
    }

    /// <summary>(c) The deadline's action on one campaign's undecided items, and its close when nothing is left pending.</summary>
    private static async Task DeadlineAsync(CommandContext context, Guid campaignId, DeadlineTotals totals, CancellationToken ct)
    {
        var db = context.Db;
        var campaign = await db.AccessReviewCampaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, ct);
        if (campaign.Escalated is not null || campaign.DeadlineAction == DeadlineAction.Revoke)
        {
            // Nothing stays pending: the campaign closes at its deadline (not "all decided") before the revocations.
            await CloseAsync(context, campaignId, ct);
            totals.Revoked += await FinalAsync(context, campaignId, AccessReviewDecision.Revoke,
                campaign.Escalated is not null ? RevokedAfterEscalation : RevokedAtDeadline, keepableOnly: false, ct);
            totals.Closed++;
            return;
        }
        var escalated = 0;
        if (campaign.DeadlineAction == DeadlineAction.Keep)
        {
            var needComment = await Undecided(db, campaignId, needingComment: true, campaign.CommentRule).AnyAsync(ct);
            if (!needComment)
            {
                await CloseAsync(context, campaignId, ct);
            }
            totals.Kept += await FinalAsync(context, campaignId, AccessReviewDecision.Keep, KeptAtDeadline, keepableOnly: true, ct);
        }
        escalated = await EscalateAsync(context, campaignId, ct);
        totals.Escalated += escalated;
        var stored = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaignId, ct);
        if (escalated > 0)
        {
            stored.Escalate(context.Now);
        }
        else if (stored.IsOpen)
        {
            stored.Close(CampaignCloseReason.Deadline, context.Now);
        }
        if (!stored.IsOpen)
        {
            totals.Closed++;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static async Task CloseAsync(CommandContext context, Guid campaignId, CancellationToken ct)
    {
        var stored = await context.Db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaignId, ct);
        stored.Close(CampaignCloseReason.Deadline, context.Now);
        await context.Db.SaveChangesAsync(ct);
        context.Db.ChangeTracker.Clear();
    }

    /// <summary>The campaign's undecided items; with <paramref name="needingComment"/> set, only those whose keep needs (or not) a comment.</summary>
    private static IQueryable<AccessReviewItem> Undecided(ComplianceDbContext db, Guid campaignId, bool? needingComment, CommentRule rule)
    {
        var items = db.AccessReviewItems.Where(i => i.CampaignId == campaignId && i.Status == AccessReviewItemStatus.Pending);
        return needingComment switch
        {
            // As AccessReviewItem.KeepNeedsComment, in SQL.
            true => rule == CommentRule.Always ? items : items.Where(i => i.ForeignNational || i.Escorted),
            false => rule == CommentRule.Always ? items.Where(_ => false) : items.Where(i => !i.ForeignNational && !i.Escorted),
            null => items,
        };
    }

    /// <summary>Final decisions at the deadline, a chunk at a time through the decision engine; the count decided.</summary>
    private static async Task<int> FinalAsync(CommandContext context, Guid campaignId, AccessReviewDecision decision, string comment,
        bool keepableOnly, CancellationToken ct)
    {
        var db = context.Db;
        var done = 0;
        Guid? after = null;
        while (true)
        {
            var campaign = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaignId, ct);
            var items = await NextChunk(Undecided(db, campaignId, keepableOnly ? false : null, campaign.CommentRule), after).ToListAsync(ct);
            if (items.Count == 0)
            {
                db.ChangeTracker.Clear();
                return done;
            }
            var counts = await AccessReviewDecisions.ApplyFinalAsync(context, campaign, items, decision, comment, atDeadline: true, ct);
            done += counts.Decided;
            after = items[^1].Id;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Every undecided item to the fallback officer (stage two), a chunk at a time; the count escalated.</summary>
    private static async Task<int> EscalateAsync(CommandContext context, Guid campaignId, CancellationToken ct)
    {
        var db = context.Db;
        var fallback = await db.AccessReviewCampaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => c.FallbackOfficerId).SingleAsync(ct);
        var routing = await ReviewerRouting.LoadAsync(db, fallback, context.Today, ct);
        var done = 0;
        Guid? after = null;
        while (true)
        {
            var items = await NextChunk(Undecided(db, campaignId, null, CommentRule.WhenSensitive), after).ToListAsync(ct);
            if (items.Count == 0)
            {
                return done;
            }
            foreach (var item in items)
            {
                var route = routing.Fallback(item.GrantRequestedBy, EscalationNote);
                item.Escalate(route.Reviewers, route.Note ?? EscalationNote);
            }
            done += items.Count;
            after = items[^1].Id;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private static IQueryable<AccessReviewItem> NextChunk(IQueryable<AccessReviewItem> items, Guid? after) =>
        (after is { } last ? items.Where(i => i.Id.CompareTo(last) > 0) : items).OrderBy(i => i.Id).Take(Chunk);
}
