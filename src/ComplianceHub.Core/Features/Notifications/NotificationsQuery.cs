using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
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

/// <summary>The bell's content; <see cref="Total"/> is the badge count.</summary>
public sealed record Notifications(IReadOnlyList<NotificationItem> Items)
{
    public int Total => Items.Sum(i => i.Count);
}

/// <summary>
/// In-app notifications, computed on read (nothing is stored, so they can never disagree with the pages they link to):
/// for a representative, their vendor's people whose attestation is overdue, due soon or never made, unsigned escorted
/// sessions past the sign-off deadline, and open findings; for an officer, approvals waiting and overdue findings; for an
/// administrator, open integrity findings (the audit chain failing the checkpoint signer's check). Auditors get none (they act on
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
        }
        else if (actor.IsContractingOfficer)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var people = db.People.VisibleTo(actor).Select(p => p.Id);
            var findings = db.Findings.VisibleTo(actor);
            var approvals = await db.Grants.CountAsync(g => g.Status == GrantStatus.PendingApproval && people.Contains(g.PersonId), ct)
                + await db.Waivers.CountAsync(w => w.Status == WaiverStatus.PendingApproval && findings.Any(f => f.Id == w.FindingId), ct);
            Add(items, "approvals", approvals, n => $"{(n == 1 ? "1 approval" : $"{n} approvals")} waiting", "/approvals", NotificationLevel.Warning);
            Add(items, "findings-overdue", await findings.AsNoTracking()
                    .CountAsync(f => (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged) && f.DueOn < today, ct),
                n => $"{(n == 1 ? "1 finding" : $"{n} findings")} past the due date", "/findings?open=true&overdue=true", NotificationLevel.Urgent);
        }
        else if (actor.IsAdministrator)
        {
            Add(items, "integrity-findings", await integrity.OpenCountAsync(actor, ct),
                n => $"{(n == 1 ? "1 integrity finding" : $"{n} integrity findings")} to investigate on the audit page",
                "/audit", NotificationLevel.Urgent);
        }
        return new Notifications(items);
    }

    private static string People(int n) => n == 1 ? "1 person" : $"{n} people";

    private static void Add(List<NotificationItem> items, string kind, int count, Func<int, string> text, string href, NotificationLevel level)
    {
        if (count > 0)
        {
            items.Add(new NotificationItem(kind, count, text(count), href, level));
        }
    }
}
