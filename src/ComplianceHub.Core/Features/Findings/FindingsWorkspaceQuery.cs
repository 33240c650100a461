using System.Runtime.CompilerServices;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>
/// The filters of the findings grid (<c>/findings?…</c>), which the dashboard's numbers link to: <c>vendor</c> (id),
/// <c>rule</c> (rule id), <c>severity</c> (<see cref="Severity"/>), <c>status</c> (<see cref="FindingStatus"/>),
/// <c>open</c> (true: open or acknowledged), <c>overdue</c> (true: still open and past its due date), <c>q</c> (person name
/// or message), <c>openedByPolicy</c> (a policy version's number: the findings its activation's re-evaluation opened).
/// </summary>
public sealed record FindingsWorkspaceFilter
{
    public Guid? VendorId { get; init; }

    /// <summary>One person's findings (the person page's "work these in Findings").</summary>
    public Guid? PersonId { get; init; }
    public string? RuleId { get; init; }
    public Severity? Severity { get; init; }
    public FindingStatus? Status { get; init; }

    /// <summary>Only findings still to be worked: open or acknowledged (anything but closed, remediated or waived).</summary>
    public bool Open { get; init; }

    /// <summary>Only findings still open whose due date has passed.</summary>
    public bool Overdue { get; init; }

    public string? Search { get; init; }

    /// <summary>
    /// Only the findings that the re-evaluation started by activating this policy version (its number) opened
    /// (<see cref="Policy.ActivationConsequences"/>): what the policy page's "see the findings it opened" links to.
    /// </summary>
    public int? OpenedByPolicy { get; init; }
}

/// <summary>One finding as the officer's grid shows it: with the vendor's and the person's names, and whether it is overdue.</summary>
public sealed record FindingRow(Guid Id, string RuleId, Severity Severity, FindingStatus Status, string Message,
    IReadOnlyDictionary<string, string> Facts, string Citation, int PolicyVersion, string SubjectType, Guid SubjectId,
    Guid VendorId, string VendorName, Guid PersonId, string PersonName, DateTimeOffset DetectedAt, DateOnly DueOn, bool Overdue,
    string? Response, string? Resolution, bool Waivable, bool WaiverPending)
{
    public bool IsOpen => Status is FindingStatus.Open or FindingStatus.Acknowledged;

    /// <summary>
    /// What the finding is on, in words — the system and the grant's access and start ("Payroll (IL5): privileged access from
    /// 2026-12-01"), an escort assignment or a session on a system — so two findings of one person are told apart.
    /// </summary>
    public string On { get; init; } = "";

    /// <summary>The finding as the rule outcome that opened it (for the rule badge).</summary>
    public RuleOutcome ToOutcome() => new(RuleId, Severity, SubjectType, SubjectId, Message, Facts, Citation, PolicyVersion);
}

/// <summary>
/// The findings workspace: findings across the vendors the actor may see, with names resolved, server-side filtered,
/// sorted and paged. Scoped in the query: a vendor representative sees only their vendor's findings.
/// </summary>
public sealed class FindingsWorkspaceQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<PagedResult<FindingRow>> ListAsync(Actor actor, FindingsWorkspaceFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var today = Today;
        var rows = Rows(db, actor, filter, today);
        var total = await rows.CountAsync(ct);
        var items = await Sorted(rows, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<FindingRow>(await CompleteAsync(db, items, today, ct), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Every row of the grid with its filter, in its sort, streamed in batches (see <see cref="StreamedBatches"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<FindingRow>> ExportAsync(Actor actor, FindingsWorkspaceFilter filter, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var side = await contexts.CreateDbContextAsync(ct);
        var today = Today;
        await foreach (var batch in StreamedBatches.ReadAsync(Sorted(Rows(db, actor, filter, today), sort, desc),
                           (items, c) => CompleteAsync(side, items, today, c), ct))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// The findings of the grid's filter that can be acknowledged in bulk ("select all N matching"): the open, unanswered ones,
    /// in the grid's order.
    /// </summary>
    public async Task<BulkSelection> AcknowledgeableAsync(Actor actor, FindingsWorkspaceFilter filter, string? sort, bool desc, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Bulk.SelectAsync(Sorted(Rows(db, actor, filter, Today).Where(r => r.Finding.Status == FindingStatus.Open), sort, desc)
            .Select(r => r.Finding.Id), ct);
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>A finding with the names the grid shows (a class with settable members, so that EF can filter and sort on them).</summary>
    private sealed class Item
    {
        public required Finding Finding { get; init; }
        public required string PersonName { get; init; }
        public required string VendorName { get; init; }
    }

    private static IQueryable<Item> Rows(ComplianceDbContext db, Actor actor, FindingsWorkspaceFilter filter, DateOnly today)
    {
        var findings = db.Findings.AsNoTracking().VisibleTo(actor);
        if (filter.VendorId is { } vendor) { findings = findings.Where(f => f.VendorId == vendor); }
        if (filter.PersonId is { } person) { findings = findings.Where(f => f.PersonId == person); }
        if (!string.IsNullOrWhiteSpace(filter.RuleId))
        {
            var rule = filter.RuleId.Trim().ToUpperInvariant();
            findings = findings.Where(f => f.RuleId == rule);
        }
        if (filter.Severity is { } severity) { findings = findings.Where(f => f.Severity == severity); }
        if (filter.Status is { } status) { findings = findings.Where(f => f.Status == status); }
        if (filter.Open || filter.Overdue)
        {
            findings = findings.Where(f => f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged);
        }
        if (filter.Overdue) { findings = findings.Where(f => f.DueOn < today); }
        if (filter.OpenedByPolicy is { } policy)
        {
            var opened = Policy.ActivationConsequences.FindingsOpened(db, policy);
            findings = findings.Where(f => f.PolicyVersion == policy && opened.Contains(f.Id.ToString()));
        }

        var rows = from f in findings
                   join p in db.People on f.PersonId equals p.Id
                   join v in db.Vendors on f.VendorId equals v.Id
                   select new Item { Finding = f, PersonName = p.FullName, VendorName = v.Name };
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            rows = rows.Where(r => EF.Functions.ILike(r.PersonName, pattern) || EF.Functions.ILike(r.Finding.Message, pattern));
        }
        return rows;
    }

    private static IQueryable<Item> Sorted(IQueryable<Item> rows, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("dueon", false) => rows.OrderBy(r => r.Finding.DueOn).ThenBy(r => r.Finding.Id),
        ("dueon", true) => rows.OrderByDescending(r => r.Finding.DueOn).ThenBy(r => r.Finding.Id),
        ("ruleid", false) => rows.OrderBy(r => r.Finding.RuleId).ThenBy(r => r.Finding.Id),
        ("ruleid", true) => rows.OrderByDescending(r => r.Finding.RuleId).ThenBy(r => r.Finding.Id),
        ("severity", false) => rows.OrderBy(r => r.Finding.Severity).ThenBy(r => r.Finding.Id),
        ("severity", true) => rows.OrderByDescending(r => r.Finding.Severity).ThenBy(r => r.Finding.Id),
        ("status", false) => rows.OrderBy(r => r.Finding.Status).ThenBy(r => r.Finding.Id),
        ("status", true) => rows.OrderByDescending(r => r.Finding.Status).ThenBy(r => r.Finding.Id),
        ("vendor", false) => rows.OrderBy(r => r.VendorName).ThenBy(r => r.Finding.Id),
        ("vendor", true) => rows.OrderByDescending(r => r.VendorName).ThenBy(r => r.Finding.Id),
        ("person", false) => rows.OrderBy(r => r.PersonName).ThenBy(r => r.Finding.Id),
        ("person", true) => rows.OrderByDescending(r => r.PersonName).ThenBy(r => r.Finding.Id),
        ("detectedat", false) => rows.OrderBy(r => r.Finding.DetectedAt).ThenBy(r => r.Finding.Id),
        _ => rows.OrderByDescending(r => r.Finding.DetectedAt).ThenBy(r => r.Finding.Id),
    };

    /// <summary>The grid rows of <paramref name="items"/>: whether a waiver is pending, read for their ids in one query.</summary>
    private static async Task<IReadOnlyList<FindingRow>> CompleteAsync(ComplianceDbContext db, IReadOnlyList<Item> items, DateOnly today, CancellationToken ct)
    {
        var ids = items.Select(i => i.Finding.Id).ToList();
        var pending = (await db.Waivers.AsNoTracking()
            .Where(w => ids.Contains(w.FindingId) && w.Status == WaiverStatus.PendingApproval)
            .Select(w => w.FindingId).ToListAsync(ct)).ToHashSet();
        var on = await SubjectsAsync(db, items.Select(i => i.Finding.SubjectId).Distinct().ToList(), ct);
        return items.Select(i =>
        {
            var f = FindingView.From(i.Finding);
            return new FindingRow(f.Id, f.RuleId, f.Severity, f.Status, f.Message, f.Facts, f.Citation, f.PolicyVersion, f.SubjectType, f.SubjectId,
                f.VendorId, i.VendorName, f.PersonId, i.PersonName, f.DetectedAt, f.DueOn, i.Finding.IsOpen && f.DueOn < today,
                f.Response, f.Resolution, RuleCatalogue.Find(f.RuleId)?.Waivable ?? true, pending.Contains(f.Id))
            {
                On = on.GetValueOrDefault(f.SubjectId) ?? "",
            };
        }).ToList();
    }

    /// <summary>What each subject of a page of findings is, in words: three set queries (grants, escort assignments, sessions), each joined to its system.</summary>
    private static async Task<Dictionary<Guid, string>> SubjectsAsync(ComplianceDbContext db, List<Guid> subjects, CancellationToken ct)
    {
        var grants = await (from g in db.Grants.AsNoTracking()
                            where subjects.Contains(g.Id)
                            join s in db.Systems on g.SystemId equals s.Id
                            select new { g.Id, s.Name, s.ImpactLevel, g.AccessType, g.StartsOn }).ToListAsync(ct);
        var assignments = await (from a in db.EscortAssignments.AsNoTracking()
                                 where subjects.Contains(a.Id)
                                 join s in db.Systems on a.SystemId equals s.Id
                                 select new { a.Id, s.Name, s.ImpactLevel }).ToListAsync(ct);
        var sessions = await (from x in db.EscortedSessions.AsNoTracking()
                              where subjects.Contains(x.Id)
                              join s in db.Systems on x.SystemId equals s.Id
                              select new { x.Id, s.Name, s.ImpactLevel }).ToListAsync(ct);
        var on = new Dictionary<Guid, string>();
        foreach (var g in grants)
        {
            on[g.Id] = $"{g.Name} ({Words.Of(g.ImpactLevel)}): {Words.Of(g.AccessType).ToLowerInvariant()} access from {g.StartsOn:yyyy-MM-dd}";
        }
        foreach (var a in assignments)
        {
            on[a.Id] = $"{a.Name} ({Words.Of(a.ImpactLevel)}): escort assignment";
        }
        foreach (var x in sessions)
        {
            on[x.Id] = $"{x.Name} ({Words.Of(x.ImpactLevel)}): escorted session";
        }
        return on;
    }
}
