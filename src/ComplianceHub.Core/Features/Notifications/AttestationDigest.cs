using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Attestations;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Notifications;

/// <summary>One representative account's daily e-mail: their vendor's people whose attestation is overdue, never made or due soon.</summary>
public sealed record AttestationDigest(Guid UserId, string Email, string DisplayName, Guid VendorId, string VendorName,
    IReadOnlyList<AttestationDueRow> People, int Total)
{
    public string Subject => $"ComplianceHub: {Total} location attestation{(Total == 1 ? "" : "s")} due for {VendorName}";

    /// <summary>The plain-text body (no tracking, no links to click blindly: the page's address is written out).</summary>
    public string Body(string? portalUrl)
    {
        var lines = new List<string>
        {
            $"Hello {DisplayName},",
            "",
            $"These people of {VendorName} need their work location and citizenships attested. The policy suspends a person's access the day after their attestation is due (rule ATTEST-FRESH).",
            "",
        };
        lines.AddRange(People.Select(p => $"- {p.FullName} ({p.EmployeeId}): {p.Warning}"));
        if (Total > People.Count)
        {
            lines.Add($"- … and {Total - People.Count} more.");
        }
        lines.Add("");
        lines.Add($"Attest on the portal's Attestations page{(string.IsNullOrWhiteSpace(portalUrl) ? "" : $": {portalUrl.TrimEnd('/')}/attestations")}.");
        lines.Add("");
        lines.Add("You receive this once a day while attestations are due. — ComplianceHub");
        return string.Join("\r\n", lines);
    }
}

/// <summary>
/// Builds the daily attestation digests: one per active vendor representative account with an e-mail address, for their
/// own vendor only, and only when something is due. Read by the scheduler (an administrator-role actor); nobody else.
/// </summary>
public sealed class AttestationDigestQuery(IDbContextFactory<ComplianceDbContext> contexts, AttestationDueQuery due)
{
    /// <summary>At most this many people are listed in one e-mail; the rest are counted.</summary>
    public const int MaxListed = 100;

    public async Task<IReadOnlyList<AttestationDigest>> DigestsAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdministrator)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var representatives = await (from u in db.Users.AsNoTracking()
                                     join ur in db.UserRoles on u.Id equals ur.UserId
                                     join r in db.Roles on ur.RoleId equals r.Id
                                     join v in db.Vendors on u.VendorId equals v.Id
                                     where r.Name == Roles.VendorRepresentative && u.Email != null
                                     orderby v.Name, u.Email
                                     select new { u.Id, Email = u.Email!, u.DisplayName, VendorId = v.Id, VendorName = v.Name }).ToListAsync(ct);
        var digests = new List<AttestationDigest>();
        foreach (var vendor in representatives.GroupBy(r => (r.VendorId, r.VendorName)))
        {
            var page = await due.ListAsync(actor, new AttestationDueFilter(vendor.Key.VendorId, AttestationSchedule.Due), new PageRequest(1, MaxListed), ct);
            if (page is not { Total: > 0 })
            {
                continue;
            }
            digests.AddRange(vendor.Select(r => new AttestationDigest(r.Id, r.Email, r.DisplayName, r.VendorId, r.VendorName, page.Items, page.Total)));
        }
        return digests;
    }
}

/// <summary>
/// Claims today's attestation digest for this installation, before it is sent: the claim is a <see cref="ScheduledRun"/>
/// row written through the executor (audited, under a transaction-scoped advisory lock), so with several instances, or a
/// restart, the digest goes out at most once a day. Conflict when today's digest was already claimed.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ClaimAttestationDigest : ICommand<DateOnly>;

internal sealed class ClaimAttestationDigestHandler : ICommandHandler<ClaimAttestationDigest, DateOnly>
{
    public const string RunName = "attestation-digest";
    private const long LockKey = 0x43484449474553; // "CHDIGES"

    public async Task<Outcome<DateOnly>> HandleAsync(ClaimAttestationDigest command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (!await AdvisoryLocks.TryTakeAsync(db, LockKey, ct))
        {
            return Outcome<DateOnly>.Conflict("Another instance is claiming today's digest now.");
        }
        var run = await db.ScheduledRuns.SingleOrDefaultAsync(r => r.Name == RunName, ct);
        if (run?.LastCompletedAt is { } last && DateOnly.FromDateTime(last.UtcDateTime) == context.Today)
        {
            return Outcome<DateOnly>.Conflict($"Today's attestation digest was already sent at {last:HH:mm} UTC.");
        }
        if (run is null)
        {
            db.ScheduledRuns.Add(run = new ScheduledRun(RunName));
        }
        run.Completed(context.Now, Environment.MachineName);
        return Outcome<DateOnly>.Ok(context.Today);
    }
}
