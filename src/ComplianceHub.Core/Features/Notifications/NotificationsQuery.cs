using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Notifications;

/// <summary>How urgent a notification is: overdue work (suspends or already suspended access) is urgent, the rest a heads-up.</summary>
public enum NotificationLevel { Info, Warning, Urgent }

/// <summary>One line of the bell: how many, what, and the page that resolves it.</summary>
public sealed record NotificationItem(string Kind, int Count, string Text, string Href, NotificationLevel Level);

/// <summary>Where each part of the officer's approvals queue is on the approvals page.</summary>
public static class ApprovalsQueueLinks
{
    public const string Grants = "/approvals#grants";
    public const string Escorts = "/approvals#escort-requests";
    public const string Waivers = "/approvals#waivers";
    public const string PolicyDrafts = "/approvals#policy-drafts";
}

/// <summary>The bell's content; <see cref="Total"/> is the badge count.</summary>
public sealed record Notifications(IReadOnlyList<NotificationItem> Items)
{
    public int Total => Items.Sum(i => i.Count);
}

/// <summary>
/// In-app notifications, computed on read (nothing is stored, so they can never disagree with the pages they link to):
/// for a representative, their vendor's people whose attestation is overdue, due soon or never made, unsigned escorted
/// sessions past the sign-off deadline, open findings and access review items waiting for them; for an officer, what waits for them in the approvals queue — only
/// what they may decide (not their own requests or drafts: the two-person rule), escort requests included — overdue
/// findings and access review items waiting for them; for an administrator, open integrity findings (the audit chain failing the checkpoint signer's check). Auditors get none (they act on
/// nothing here; the audit page shows them the integrity findings).
/// </summary>
public sealed class NotificationsQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock, AttestationDueQuery attestations,
    EscortedSessionsQuery sessions, IntegrityFindingsQuery integrity)
{
    public async Task<Notifications> ForAsync(Actor actor, CancellationToken ct = default)
    {
        var items = new List<NotificationItem>();
        if (actor.IsVendorRepresentative)
        {
            var counts = await attestations.CountsAsync(actor, actor.VendorId, ct) ?? new AttestationCounts(0, 0, 0, 0);
            Add(items, "attestation-overdue", counts.Overdue, n => $"{People(n)} overdue for attestation — their access is suspended until attested",
                "/attestations?state=Overdue", NotificationLevel.Urgent);
            Add(items, "attestation-never", counts.Never, n => $"{People(n)} never attested", "/attestations?state=Never", NotificationLevel.Urgent);
            Add(items, "attestation-due-soon", counts.DueSoon, n => $"{People(n)} due for attestation soon — attest before access is suspended",
                "/attestations?state=DueSoon", NotificationLevel.Warning);
            Add(items, "sessions-unsigned", await sessions.OverdueCountAsync(actor, actor.VendorId, ct),
                n => $"{(n == 1 ? "1 escorted session" : $"{n} escorted sessions")} unsigned past the sign-off deadline", "/sessions?status=Overdue",
                NotificationLevel.Urgent);
            await using var db = await contexts.CreateDbContextAsync(ct);
            Add(items, "findings-open", await db.Findings.AsNoTracking().VisibleTo(actor).CountAsync(f => f.Status == FindingStatus.Open, ct),
                n => $"{(n == 1 ? "1 open finding" : $"{n} open findings")} to respond to", "/findings", NotificationLevel.Info);
            await AddAccessReviewsAsync(items, db, actor, ct);
        }
        else if (actor.IsContractingOfficer)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var people = db.People.VisibleTo(actor).Select(p => p.Id);
            var findings = db.Findings.VisibleTo(actor);
            // What this officer can act on: another officer's grant and waiver requests (the two-person rule bars their own),
            // the vendors' escort requests, another officer's policy drafts. Each links to its part of the approvals queue.
            Add(items, "grant-approvals", await db.Grants.CountAsync(g => g.Status == GrantStatus.PendingApproval && g.RequestedBy != actor.UserId
                    && people.Contains(g.PersonId), ct),
                n => $"{Count(n, "grant", "grants")} to approve or reject", ApprovalsQueueLinks.Grants, NotificationLevel.Warning);
            Add(items, "escort-requests", await db.EscortRequests.VisibleTo(actor).CountAsync(r => r.Status == EscortRequestStatus.Pending, ct),
                n => $"{Count(n, "escort request", "escort requests")} from vendors to decide", ApprovalsQueueLinks.Escorts, NotificationLevel.Warning);
            Add(items, "waiver-approvals", await db.Waivers.CountAsync(w => w.Status == WaiverStatus.PendingApproval && w.RequestedBy != actor.UserId
                    && findings.Any(f => f.Id == w.FindingId), ct),
                n => $"{Count(n, "waiver", "waivers")} to approve or reject", ApprovalsQueueLinks.Waivers, NotificationLevel.Warning);
            Add(items, "policy-drafts", await db.PolicyVersions.CountAsync(d => d.Status == PolicyStatus.Draft && d.DraftedBy != actor.UserId, ct),
                n => $"{Count(n, "policy draft", "policy drafts")} to review for activation", ApprovalsQueueLinks.PolicyDrafts, NotificationLevel.Info);
            Add(items, "findings-overdue", await findings.AsNoTracking()
                    .CountAsync(f => (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged) && f.DueOn < today, ct),
                n => $"{(n == 1 ? "1 finding" : $"{n} findings")} past the due date", "/findings?open=true&overdue=true", NotificationLevel.Urgent);
            await AddAccessReviewsAsync(items, db, actor, ct);
        }
        else if (actor.IsAdministrator)
        {
            Add(items, "integrity-findings", await integrity.OpenCountAsync(actor, ct),
                n => $"{(n == 1 ? "1 integrity finding" : $"{n} integrity findings")} to investigate on the audit page",
                "/audit", NotificationLevel.Urgent);
        }
        return new Notifications(items);
    }

    /// <summary>
    /// The access review items waiting for the reader's decision in open campaigns (ADR 0040): a heads-up, urgent when the
    /// earliest of their deadlines is two days away or less (an undecided item then gets the deadline's action).
    /// </summary>
    private async Task AddAccessReviewsAsync(List<NotificationItem> items, ComplianceDbContext db, Actor actor, CancellationToken ct)
    {
        var open = db.AccessReviewCampaigns.Where(c => c.Status == CampaignStatus.Open);
        var mine = await db.AccessReviewItems.AsNoTracking().DecidableBy(actor)
            .Join(open, i => i.CampaignId, c => c.Id, (i, c) => c.Deadline)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Earliest = g.Min() })
            .SingleOrDefaultAsync(ct);
        if (mine is null || mine.Count == 0)
        {
            return;
        }
        var left = mine.Earliest - clock.GetUtcNow();
        var when = left <= TimeSpan.Zero ? "the deadline has passed"
            : left < TimeSpan.FromDays(1) ? "the earliest deadline is today"
            : $"the earliest deadline is in {Count((int)Math.Ceiling(left.TotalDays), "day", "days")}";
        Add(items, "access-reviews", mine.Count, n => $"{Count(n, "access review item", "access review items")} waiting for your decision — {when}",
            "/access-reviews/queue", left <= TimeSpan.FromDays(2) ? NotificationLevel.Urgent : NotificationLevel.Warning);
    }

    private static string People(int n) => Count(n, "person", "people");

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    private static void Add(List<NotificationItem> items, string kind, int count, Func<int, string> text, string href, NotificationLevel level)
    {
        if (count > 0)
        {
            items.Add(new NotificationItem(kind, count, text(count), href, level));
        }
    }
}
