using ComplianceHub.Core.Gate;
using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.Core.Features.Dashboard;

/// <summary>People working in one country.</summary>
public sealed record CountryCount(string Country, int People);

/// <summary>Open findings of one rule.</summary>
public sealed record RuleCount(string RuleId, string Title, int Findings);

/// <summary>Access reviews on the dashboard: open campaigns, undecided items (decisions due), those due within a week, and reviewers behind.</summary>
public sealed record AccessReviewCounts(int OpenCampaigns, int DecisionsDue, int DueWithinWeek, int ReviewersBehind)
{
    /// <summary>Whether the reader reviews at all (officers and representatives); auditors and administrators do not.</summary>
    public bool ReaderReviews { get; init; }

    /// <summary>Items of open campaigns waiting for the reader's own decision.</summary>
    public int Mine { get; init; }
}

/// <summary>Findings opened and closed in one ISO week (Monday to Sunday, UTC).</summary>
public sealed record WeekFindings(DateOnly WeekStart, string IsoWeek, int Opened, int Closed);

/// <summary>
/// The posture dashboard: what an officer needs to see at a glance, across the vendors in scope or for one vendor.
/// People counts are of people in active employment. "Open" findings are those still Open or Acknowledged
/// (<see cref="Domain.Findings.Finding.IsOpen"/>, the findings list's <c>open=true</c>: a waived or remediated finding is
/// dealt with); "overdue" findings are open ones past their due date.
/// </summary>
public sealed record DashboardData
{
    /// <summary>The vendor the dashboard is filtered to, or null for every vendor in scope.</summary>
    public Guid? VendorId { get; init; }
    public DateOnly Today { get; init; }
    public int PolicyVersion { get; init; }

    /// <summary>The active policy's COVERED country set, sorted (what "covered nation" means today).</summary>
    public IReadOnlyList<string> CoveredCountries { get; init; } = [];
    public int Vendors { get; init; }
    public int ActivePeople { get; init; }

    /// <summary>Every group, zero included.</summary>
    public IReadOnlyDictionary<CitizenshipGroup, int> ByCitizenshipGroup { get; init; } = new Dictionary<CitizenshipGroup, int>();

    /// <summary>The ten countries with the most people, most first.</summary>
    public IReadOnlyList<CountryCount> TopWorkCountries { get; init; } = [];

    /// <summary>People in every country beyond the top ten, and how many such countries.</summary>
    public int OtherCountriesPeople { get; init; }
    public int OtherCountries { get; init; }

    /// <summary>
    /// Foreign nationals — people who are not US persons (<see cref="Population.NotUsPerson"/>), whatever their group —
    /// supervised today by a qualified escort. A dual US and covered-nation citizen is not one: CIT-COVERED, not an escort,
    /// deals with them.
    /// </summary>
    public int ForeignEscorted { get; init; }

    /// <summary>Foreign nationals (people who are not US persons) with no qualified escort today.</summary>
    public int ForeignUnescorted { get; init; }

    public int OpenFindings { get; init; }
    public int OverdueFindings { get; init; }

    /// <summary>Open findings by severity; every severity, zero included.</summary>
    public IReadOnlyDictionary<Severity, int> OpenFindingsBySeverity { get; init; } = new Dictionary<Severity, int>();

    /// <summary>Open findings by rule, most first.</summary>
    public IReadOnlyList<RuleCount> OpenFindingsByRule { get; init; } = [];

    public int SuspendedGrants { get; init; }
    public int PeopleWithSuspendedGrants { get; init; }
    public int PendingGrants { get; init; }
    public int PeopleWithPendingGrants { get; init; }

    public int AttestationOverdue { get; init; }
    public int AttestationDueSoon { get; init; }
    public int AttestationNever { get; init; }

    /// <summary>The last twelve ISO weeks, oldest first; the last one is the current week.</summary>
    public IReadOnlyList<WeekFindings> FindingsPerWeek { get; init; } = [];

    /// <summary>The code contribution review queue: flagged and not reviewed, verdicts that call for action, unmatched authors.</summary>
    public Contributions.ContributionCounts Contributions { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>Access reviews (ADR 0040): open campaigns, decisions due, and reviewers behind as the deadline nears.</summary>
    public AccessReviewCounts AccessReviews { get; init; } = new(0, 0, 0, 0);

    public int ForeignNationals => ForeignEscorted + ForeignUnescorted;
}

/// <summary>
/// Reads the posture dashboard with a few grouped queries (the roster reaches 200,000 people; none is loaded). Scoped in
/// the query: a vendor representative sees their own vendor only, and asking for another vendor answers null, like a
/// missing one; officers, auditors and administrators see every vendor or the one they filter to.
/// </summary>
public sealed class DashboardQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>How many weeks the findings series covers.</summary>
    public const int Weeks = 12;

    /// <summary>How many countries are shown by name; the rest are summed as "other".</summary>
    public const int TopCountries = 10;

    public async Task<DashboardData?> GetAsync(Actor actor, Guid? vendorId, CancellationToken ct = default)
    {
        if (vendorId is { } asked && !actor.Sees(asked))
        {
            return null;
        }
        if (actor.IsVendorRepresentative)
        {
            vendorId = actor.VendorId;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (vendorId is { } vendor && !await db.Vendors.AnyAsync(v => v.Id == vendor, ct))
        {
            return null;
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (policy, policyNumber) = await ActivePolicy.NumberedParametersAsync(db, ct);

        var people = db.People.AsNoTracking().VisibleTo(actor).Where(p => p.EmploymentStatus == EmploymentStatus.Active);
        var findings = db.Findings.AsNoTracking().VisibleTo(actor);
        if (vendorId is { } only)
        {
            people = people.Where(p => p.VendorId == only);
            findings = findings.Where(f => f.VendorId == only);
        }

        var groups = await GroupsAsync(db, people, policy, today, ct);
        var (top, otherPeople, otherCountries) = await CountriesAsync(people, ct);
        var grants = await GrantsAsync(db, people, ct);
        var attestation = await AttestationAsync(db, people, policy.AttestationDays, today, ct);
        var open = await findings.Where(f => f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged)
            .GroupBy(f => new { f.Severity, f.RuleId })
            .Select(g => new { g.Key.Severity, g.Key.RuleId, Count = g.Count() })
            .ToListAsync(ct);
        var overdue = await findings.CountAsync(f => (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged) && f.DueOn < today, ct);

        return new DashboardData
        {
            VendorId = vendorId,
            Today = today,
            PolicyVersion = policyNumber,
            CoveredCountries = policy.Set(PolicyParameters.Covered).Order(StringComparer.Ordinal).ToList(),
            Vendors = vendorId is null ? await db.Vendors.VisibleTo(actor).CountAsync(ct) : 1,
            ActivePeople = groups.Counts.Values.Sum(),
            ByCitizenshipGroup = groups.Counts,
            TopWorkCountries = top,
            OtherCountriesPeople = otherPeople,
            OtherCountries = otherCountries,
            ForeignEscorted = groups.ForeignEscorted,
            ForeignUnescorted = groups.ForeignUnescorted,
            OpenFindings = open.Sum(f => f.Count),
            OverdueFindings = overdue,
            OpenFindingsBySeverity = Enum.GetValues<Severity>().ToDictionary(s => s, s => open.Where(f => f.Severity == s).Sum(f => f.Count)),
            OpenFindingsByRule = open.GroupBy(f => f.RuleId)
                .Select(g => new RuleCount(g.Key, RuleCatalogue.Find(g.Key)?.Title ?? g.Key, g.Sum(f => f.Count)))
                .OrderByDescending(r => r.Findings).ThenBy(r => r.RuleId, StringComparer.Ordinal).ToList(),
            SuspendedGrants = grants.SuspendedGrants,
            PeopleWithSuspendedGrants = grants.SuspendedPeople,
            PendingGrants = grants.PendingGrants,
            PeopleWithPendingGrants = grants.PendingPeople,
            AttestationOverdue = attestation.GetValueOrDefault(AttestationState.Overdue),
            AttestationDueSoon = attestation.GetValueOrDefault(AttestationState.DueSoon),
            AttestationNever = attestation.GetValueOrDefault(AttestationState.Never),
            FindingsPerWeek = await WeeksAsync(findings, today, ct),
            Contributions = await Contributions.ContributionsQuery.CountsAsync(db, actor, vendorId, ct),
            AccessReviews = await AccessReviewsAsync(db, actor, vendorId, clock.GetUtcNow(), ct),
        };
    }

    /// <summary>How many days before a deadline a reviewer with undecided items counts as behind.</summary>
    public const int ReviewersBehindDays = 7;

    /// <summary>
    /// Open campaigns holding items the reader sees (of the one vendor, when filtered), their undecided items, those due within
    /// <see cref="ReviewersBehindDays"/> days, and the reviewers who still have undecided items that close to (or past) the
    /// deadline. Grouped in SQL; items are never loaded.
    /// </summary>
    private static async Task<AccessReviewCounts> AccessReviewsAsync(ComplianceDbContext db, Actor actor, Guid? vendorId, DateTimeOffset now,
        CancellationToken ct)
    {
        var items = db.AccessReviewItems.AsNoTracking().VisibleTo(actor);
        if (vendorId is { } vendor)
        {
            items = items.Where(i => i.VendorId == vendor);
        }
        var open = db.AccessReviewCampaigns.Where(c => c.Status == Domain.AccessReviews.CampaignStatus.Open);
        var inOpen = items.Join(open, i => i.CampaignId, c => c.Id, (i, c) => new { Item = i, c.Deadline });
        var reviews = actor.IsVendorRepresentative || actor.IsContractingOfficer;
        var campaigns = await inOpen.Select(x => x.Item.CampaignId).Distinct().CountAsync(ct);
        if (campaigns == 0)
        {
            return new AccessReviewCounts(0, 0, 0, 0) { ReaderReviews = reviews };
        }
        var mine = reviews
            ? await db.AccessReviewItems.AsNoTracking().DecidableBy(actor).Join(open, i => i.CampaignId, c => c.Id, (i, c) => i.Id).CountAsync(ct)
            : 0;
        var soon = now.AddDays(ReviewersBehindDays);
        var pending = inOpen.Where(x => x.Item.Status == Domain.AccessReviews.AccessReviewItemStatus.Pending);
        var due = await pending.CountAsync(ct);
        var dueSoon = pending.Where(x => x.Deadline <= soon);
        var dueSoonCount = await dueSoon.CountAsync(ct);
        var behind = dueSoonCount == 0 ? 0 : await dueSoon.SelectMany(x => x.Item.ReviewerIds).Distinct().CountAsync(ct);
        return new AccessReviewCounts(campaigns, due, dueSoonCount, behind) { ReaderReviews = reviews, Mine = mine };
    }

    private sealed record Groups(Dictionary<CitizenshipGroup, int> Counts, int ForeignEscorted, int ForeignUnescorted);

    /// <summary>
    /// The population groups (<see cref="Population"/>, as home and the roster count them) and the people who are not US
    /// persons — the ones ESCORT-REQUIRED puts under an escort — by whether a qualified escort supervises them today.
    /// </summary>
    private static async Task<Groups> GroupsAsync(ComplianceDbContext db, IQueryable<Person> people, PolicyParameters policy,
        DateOnly today, CancellationToken ct)
    {
        var covered = policy.Set(PolicyParameters.Covered).ToArray();
        var escorted = EscortSupervision.QualifiedInForce(db, today, policy.Set(PolicyParameters.UsAreas).ToArray());
        var groups = await people.GroupBy(Population.Group(covered))
            .Select(g => new { Group = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Group, g => g.Count, ct);
        var foreign = await people.Where(Population.NotUsPerson())
            .GroupBy(p => escorted.Any(a => a.PersonId == p.Id))
            .Select(g => new { Escorted = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Escorted, g => g.Count, ct);
        return new Groups(Enum.GetValues<CitizenshipGroup>().ToDictionary(g => g, g => groups.GetValueOrDefault(g)),
            foreign.GetValueOrDefault(true), foreign.GetValueOrDefault(false));
    }

    private static async Task<(List<CountryCount> Top, int OtherPeople, int OtherCountries)> CountriesAsync(IQueryable<Person> people, CancellationToken ct)
    {
        // At most one row per country (about 250), so the split into top ten and "other" is done here.
        var all = await people.GroupBy(p => p.WorkCountry)
            .Select(g => new { Country = g.Key, People = g.Count() })
            .ToListAsync(ct);
        var ordered = all.OrderByDescending(c => c.People).ThenBy(c => c.Country, StringComparer.Ordinal)
            .Select(c => new CountryCount(c.Country.Trim(), c.People)).ToList();
        var rest = ordered.Skip(TopCountries).ToList();
        return (ordered.Take(TopCountries).ToList(), rest.Sum(c => c.People), rest.Count);
    }

    private sealed record GrantCounts(int SuspendedGrants, int SuspendedPeople, int PendingGrants, int PendingPeople);

    private static async Task<GrantCounts> GrantsAsync(ComplianceDbContext db, IQueryable<Person> people, CancellationToken ct)
    {
        var rows = await (from g in db.Grants.AsNoTracking()
                          join p in people on g.PersonId equals p.Id
                          where g.Status == GrantStatus.Suspended || g.Status == GrantStatus.PendingApproval
                          select g)
            .GroupBy(g => g.Status)
            .Select(g => new { Status = g.Key, Grants = g.Count(), People = g.Select(x => x.PersonId).Distinct().Count() })
            .ToListAsync(ct);
        var suspended = rows.SingleOrDefault(r => r.Status == GrantStatus.Suspended);
        var pending = rows.SingleOrDefault(r => r.Status == GrantStatus.PendingApproval);
        return new GrantCounts(suspended?.Grants ?? 0, suspended?.People ?? 0, pending?.Grants ?? 0, pending?.People ?? 0);
    }

    /// <summary>
    /// Where each person stands on attestation, counted in SQL. The cadence follows ATTEST-FRESH: the privileged interval
    /// when the person holds a current privileged grant (pending, active or suspended), the other interval otherwise;
    /// due soon within the warning window before the due day, overdue after it.
    /// </summary>
    private static async Task<Dictionary<AttestationState, int>> AttestationAsync(ComplianceDbContext db, IQueryable<Person> people,
        AttestationDays days, DateOnly today, CancellationToken ct)
    {
        // The shared schedule's cut-offs: attested + interval < today  <=>  attested < today - interval (and likewise for the warning window).
        var schedule = new Attestations.AttestationSchedule(days, today);
        var privilegedOverdue = schedule.OverdueBefore(true);
        var privilegedDueSoon = schedule.DueSoonBefore(true);
        var otherOverdue = schedule.OverdueBefore(false);
        var otherDueSoon = schedule.DueSoonBefore(false);
        var privileged = Attestations.AttestationSchedule.LivePrivileged(db).AsNoTracking();
        var rows = await people
            .Select(p => new { p.LocationAttestedOn, Privileged = privileged.Any(g => g.PersonId == p.Id) })
            .Select(x => new
            {
                State = x.LocationAttestedOn == null ? AttestationState.Never
                    : x.LocationAttestedOn < (x.Privileged ? privilegedOverdue : otherOverdue) ? AttestationState.Overdue
                    : x.LocationAttestedOn < (x.Privileged ? privilegedDueSoon : otherDueSoon) ? AttestationState.DueSoon
                    : AttestationState.Current,
            })
            .GroupBy(x => x.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.State, r => r.Count);
    }

    private static async Task<List<WeekFindings>> WeeksAsync(IQueryable<Finding> findings, DateOnly today, CancellationToken ct)
    {
        var thisWeek = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)); // the Monday of today's ISO week
        var first = thisWeek.AddDays(-7 * (Weeks - 1));
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // Grouped by UTC day in SQL (at most 84 rows each), then summed into weeks here.
        var opened = await findings.Where(f => f.DetectedAt >= since)
            .GroupBy(f => DateOnly.FromDateTime(f.DetectedAt.UtcDateTime))
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var closed = await findings.Where(f => f.ClosedAt != null && f.ClosedAt >= since)
            .GroupBy(f => DateOnly.FromDateTime(f.ClosedAt!.Value.UtcDateTime))
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return Enumerable.Range(0, Weeks).Select(i =>
        {
            var start = first.AddDays(7 * i);
            var end = start.AddDays(7);
            var monday = start.ToDateTime(TimeOnly.MinValue);
            return new WeekFindings(start,
                string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):00}"),
                opened.Where(d => d.Day >= start && d.Day < end).Sum(d => d.Count),
                closed.Where(d => d.Day >= start && d.Day < end).Sum(d => d.Count));
        }).ToList();
    }
}
