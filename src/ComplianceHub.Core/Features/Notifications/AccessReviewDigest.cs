using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Notifications;

/// <summary>One campaign in a reviewer's daily digest: its name, the items waiting for them, its deadline.</summary>
public sealed record AccessReviewDue(string CampaignName, int Pending, DateTimeOffset Deadline);

/// <summary>
/// One reviewer's daily e-mail (ADR 0040): the access review items of open campaigns waiting for their decision, per campaign,
/// earliest deadline first. Sent with the attestation digest, once a day, only while something waits.
/// </summary>
public sealed record AccessReviewDigest(Guid UserId, string Email, string DisplayName, IReadOnlyList<AccessReviewDue> Campaigns)
{
    public int Total => Campaigns.Sum(c => c.Pending);

    public string Subject => $"ComplianceHub: {Total:N0} access review item{(Total == 1 ? "" : "s")} wait{(Total == 1 ? "s" : "")} for your decision";

    /// <summary>The plain-text body (no tracking; the queue's address is written out). Deadlines in UTC, said so: an e-mail has no reader's zone.</summary>
    public string Body(string? portalUrl)
    {
        var lines = new List<string>
        {
            $"Hello {DisplayName},",
            "",
            "These access reviews wait for your decision. What is still undecided at a deadline gets the review's deadline action (revoked, escalated, or kept where no comment is needed).",
            "",
        };
        lines.AddRange(Campaigns.Select(c =>
            $"- {c.CampaignName}: {c.Pending:N0} item{(c.Pending == 1 ? "" : "s")}, deadline {c.Deadline.UtcDateTime.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} UTC"));
        lines.Add("");
        lines.Add($"Decide them in your review queue{(string.IsNullOrWhiteSpace(portalUrl) ? "" : $": {portalUrl.TrimEnd('/')}/access-reviews/queue")}.");
        lines.Add("");
        lines.Add("You receive this once a day while access review items wait for you. — ComplianceHub");
        return string.Join("\r\n", lines);
    }
}

/// <summary>
/// Builds the reviewers' daily digests: one per active account with an e-mail address that may decide pending items of an open
/// campaign now (the item's current stage lists them as a reviewer). Grouped in SQL (reviewer × campaign), never item by item.
/// Read by the scheduler (an administrator-role actor); nobody else.
/// </summary>
public sealed class AccessReviewDigestQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<IReadOnlyList<AccessReviewDigest>> DigestsAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdministrator)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var due = await (from i in db.AccessReviewItems.AsNoTracking()
                         join c in db.AccessReviewCampaigns on i.CampaignId equals c.Id
                         where c.Status == CampaignStatus.Open && i.Status == AccessReviewItemStatus.Pending
                         from reviewer in i.ReviewerIds
                         group i by new { Reviewer = reviewer, c.Id, c.Name, c.Deadline } into g
                         select new { g.Key.Reviewer, g.Key.Name, g.Key.Deadline, Pending = g.Count() }).ToListAsync(ct);
        if (due.Count == 0)
        {
            return [];
        }
        var ids = due.Select(d => d.Reviewer).Distinct().ToList();
        var accounts = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id) && u.Email != null && u.DisabledAt == null && !u.IsServiceAccount)
            .Select(u => new { u.Id, Email = u.Email!, u.DisplayName }).ToListAsync(ct);
        return accounts.OrderBy(a => a.Email, StringComparer.Ordinal)
            .Select(a => new AccessReviewDigest(a.Id, a.Email, a.DisplayName, due.Where(d => d.Reviewer == a.Id)
                .OrderBy(d => d.Deadline).ThenBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => new AccessReviewDue(d.Name, d.Pending, d.Deadline)).ToList()))
            .ToList();
    }
}
