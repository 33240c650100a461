using ComplianceHub.Core.Auditing;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using System.Runtime.CompilerServices;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>An escort who covered the holder on the system that day.</summary>
public sealed record EscortOnDay(Guid AssignmentId, Guid EscortId, string FullName, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>One rule outcome of a point-in-time verdict.</summary>
public sealed record VerdictOutcome(string RuleId, Severity Severity, string Message, IReadOnlyDictionary<string, string> Facts, string Citation);

/// <summary>
/// Whether the access would have passed the policy version in force that day, evaluated by the rules engine with the facts
/// as they stood that day (the person's, the escorts') and the waivers in force that day.
/// </summary>
/// <param name="Passed">True when no blocking (Block or Suspend) rule fails.</param>
/// <param name="PolicyVersion">The policy version evaluated.</param>
/// <param name="Failing">The blocking rules that fail.</param>
/// <param name="Warnings">The rules that fail with a warning only.</param>
/// <param name="Waived">Rules that failed but were waived that day.</param>
public sealed record AccessVerdict(bool Passed, int PolicyVersion, IReadOnlyList<VerdictOutcome> Failing, IReadOnlyList<VerdictOutcome> Warnings,
    IReadOnlyList<string> Waived);

/// <summary>One person who held access to the system during the span: the grant, the person's facts as they stood that day,
/// escorts, the intervals in which the grant was active with the verdict under the policy version in force in each, and one
/// verdict for the holder (the first interval that failed, or else the last).</summary>
public sealed record AccessHolder(Guid GrantId, Guid PersonId, Guid VendorId, string FullName, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, IReadOnlyDictionary<string, JsonElement?> FactsThatDay, IReadOnlyList<EscortOnDay> Escorts, string? VendorName = null,
    AccessVerdict? Verdict = null, IReadOnlyList<AccessInterval>? Intervals = null);

/// <summary>Who could touch a system on a day or at an instant, from where, escorted by whom, under which policy versions (API.md
/// <c>GET /systems/{id}/access?asOf=</c>; <c>at=</c> for an instant). <see cref="PolicyVersion"/> and <see cref="PolicyName"/> name
/// the version in force at the end of the span; <see cref="Policies"/> lists every version in force during it.</summary>
public sealed record SystemAccessOnDay(Guid SystemId, string SystemName, DateOnly AsOf, int? PolicyVersion, string? PolicyName,
    IReadOnlyList<AccessHolder> Holders, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? At, IReadOnlyList<PolicyInForce> Policies,
    IReadOnlyList<ImpactLevelInForce> ImpactLevels);

/// <summary>The same answer as <see cref="SystemAccessOnDay"/>, with the holders streamed as they are rebuilt (the API's body).</summary>
public sealed record SystemAccessStream(Guid SystemId, string SystemName, DateOnly AsOf, int? PolicyVersion, string? PolicyName,
    IAsyncEnumerable<AccessHolder> Holders, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? At, IReadOnlyList<PolicyInForce> Policies,
    IReadOnlyList<ImpactLevelInForce> ImpactLevels);

/// <summary>
/// Reconstructs who could touch a system during a UTC day, a run of days (an evidence package's range) or at an instant from history, not from today's state, set-wise and
/// streamed (issue 17):
/// <list type="bullet">
/// <item>grants whose period covers the day, with their status over the span replayed from their audit events (a status change
/// is a recorded instant): a grant counts when it was active at some moment of the span, with the intervals it was;</item>
/// <item>each holder's facts as of the day (effective dates are UTC days), merged in SQL from the fact history;</item>
/// <item>escort assignments and waivers as intervals (from their creation or approval, to the end of their last day);</item>
/// <item>every policy version in force during the span, and the system's impact level replayed from its audit events.</item>
/// </list>
/// Each active interval is cut wherever something the rules read changes, and evaluated by the rules engine exactly as the gate
/// evaluates a grant (<see cref="PolicyEvaluator"/> on a <see cref="GrantSubject"/>). The holders are read through one server-side
/// cursor in name order, in batches, inside one repeatable-read transaction: memory is bounded by a batch and the day's escort
/// assignments and waivers on the system, however many grants the system has. The page, the API and the export all read this.
/// Officers, auditors and administrators only; an office's officer or auditor sees the holders of the vendors it holds.
/// </summary>
public sealed class SystemAccessQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>How many holders one fetch from the cursor reads.</summary>
    public const int BatchSize = 1_000;

    /// <summary>The whole day, collected (tests, and callers that need a list; the API streams <see cref="StreamAsync"/>).</summary>
    public Task<SystemAccessOnDay?> OnDayAsync(Actor actor, Guid systemId, DateOnly day, CancellationToken ct = default) =>
        CollectAsync(actor, systemId, AccessWindow.OfDay(day), ct);

    /// <summary>One instant, collected.</summary>
    public Task<SystemAccessOnDay?> AtAsync(Actor actor, Guid systemId, DateTimeOffset at, CancellationToken ct = default) =>
        CollectAsync(actor, systemId, AccessWindow.AtInstant(at), ct);

    /// <summary>Whole UTC days, <paramref name="first"/> to <paramref name="last"/> (an evidence package's range), collected.</summary>
    public Task<SystemAccessOnDay?> OverDaysAsync(Actor actor, Guid systemId, DateOnly first, DateOnly last, CancellationToken ct = default) =>
        CollectAsync(actor, systemId, AccessWindow.OfDays(first, last), ct);

    private async Task<SystemAccessOnDay?> CollectAsync(Actor actor, Guid systemId, AccessWindow window, CancellationToken ct)
    {
        if (await StreamAsync(actor, systemId, window, ct) is not { } stream)
        {
            return null;
        }
        var holders = new List<AccessHolder>();
        await foreach (var holder in stream.Holders.WithCancellation(ct))
        {
            holders.Add(holder);
        }
        return new SystemAccessOnDay(stream.SystemId, stream.SystemName, stream.AsOf, stream.PolicyVersion, stream.PolicyName, holders,
            stream.From, stream.To, stream.At, stream.Policies, stream.ImpactLevels);
    }

    /// <summary>
    /// The span's totals and one page of its holders (all, or only those who failed in some interval). Reads the whole span once:
    /// the totals need every holder's verdict; only the page's holders are kept.
    /// </summary>
    public async Task<SystemAccessPage?> PageAsync(Actor actor, Guid systemId, AccessWindow window, bool onlyFailing, PageRequest page,
        CancellationToken ct = default)
    {
        if (await StreamAsync(actor, systemId, window, ct) is not { } stream)
        {
            return null;
        }
        var (held, failing, listed) = (0, 0, 0);
        var items = new List<AccessHolder>();
        await foreach (var holder in stream.Holders.WithCancellation(ct))
        {
            held++;
            var failed = holder.Verdict is { Passed: false };
            failing += failed ? 1 : 0;
            if (onlyFailing && !failed)
            {
                continue;
            }
            if (listed >= page.Skip && items.Count < page.SafePageSize)
            {
                items.Add(holder);
            }
            listed++;
        }
        var header = new SystemAccessHeader(stream.SystemId, stream.SystemName, window, stream.Policies, stream.ImpactLevels);
        return new SystemAccessPage(header, held, failing, new PagedResult<AccessHolder>(items, page.SafePage, page.SafePageSize, listed));
    }

    /// <summary>
    /// The answer with its holders streamed in name order; null when the system does not exist. The header (system, policy
    /// versions, impact levels) is read before this returns; the holders are read as they are enumerated.
    /// </summary>
    public async Task<SystemAccessStream?> StreamAsync(Actor actor, Guid systemId, AccessWindow window, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            throw new UnauthorizedAccessException("Access reconstruction is for contracting officers, auditors and administrators.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var system = await db.Systems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == systemId, ct);
        if (system is null)
        {
            return null;
        }
        var policies = await PoliciesAsync(db, window, ct);
        var levels = await ImpactLevelsAsync(db, system, window, ct);
        var last = policies.Count == 0 ? null : policies[^1];
        return new SystemAccessStream(system.Id, system.Name, window.Day, last?.Number, last?.Name,
            HoldersAsync(actor, system, window, ct), window.From, window.To, window.At,
            policies.Select(p => new PolicyInForce(p.Number, p.Name, p.From, p.To)).ToList(), levels);
    }

    private sealed record PolicyThen(int Number, string Name, DateTimeOffset From, DateTimeOffset To, PolicyParameters Parameters);

    /// <summary>
    /// Every version in force during the span, clipped to it. Before the first activation on record, version 1 (the baseline the
    /// installation starts with) is taken as in force, as it was the only version there was.
    /// </summary>
    private static async Task<List<PolicyThen>> PoliciesAsync(ComplianceDbContext db, AccessWindow window, CancellationToken ct)
    {
        var versions = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.ActivatedAt != null && v.ActivatedAt < window.To && (v.RetiredAt == null || v.RetiredAt > window.From))
            .OrderBy(v => v.ActivatedAt).ToListAsync(ct);
        var result = versions.Select(v => new PolicyThen(v.Number, v.Name, Max(v.ActivatedAt!.Value, window.From), Min(v.RetiredAt ?? window.To, window.To),
            PolicyJson.Deserialize(v.Parameters))).Where(p => p.From < p.To).ToList();
        if (result.Count == 0 || result[0].From > window.From)
        {
            var first = await db.PolicyVersions.AsNoTracking().Where(v => v.Number == 1 && v.Status != PolicyStatus.Draft).SingleOrDefaultAsync(ct);
            if (first is not null)
            {
                var until = result.Count == 0 ? window.To : result[0].From;
                if (result.Count > 0 && result[0].Number == 1)
                {
                    result[0] = result[0] with { From = window.From };
                }
                else
                {
                    result.Insert(0, new PolicyThen(1, first.Name, window.From, until, PolicyJson.Deserialize(first.Parameters)));
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The system's impact level over the span, replayed from the system's audit events (each change records its before and
    /// after value at a recorded instant); before the first event, the level it was created with; with no event, today's.
    /// </summary>
    private static async Task<List<ImpactLevelInForce>> ImpactLevelsAsync(ComplianceDbContext db, Domain.Systems.CloudSystem system, AccessWindow window,
        CancellationToken ct)
    {
        var subject = AuditEventTypes.Blocks[typeof(Domain.Systems.CloudSystem)].Subject;
        var id = system.Id.ToString();
        var codes = new[]
        {
            AuditEventTypes.For(typeof(Domain.Systems.CloudSystem), AuditEventTypes.Change.Created).Code,
            AuditEventTypes.For(typeof(Domain.Systems.CloudSystem), AuditEventTypes.Change.Changed).Code,
        };
        var changes = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == subject && e.SubjectId == id && codes.Contains(e.EventType))
            .OrderBy(e => e.Sequence).Select(e => new { e.OccurredAt, e.Changes }).ToListAsync(ct);
        var steps = new List<(DateTimeOffset At, ImpactLevel? Before, ImpactLevel After)>();
        var latest = DateTimeOffset.MinValue;
        foreach (var change in changes)
        {
            // In sequence order, never earlier than the change before it (as for grants, above).
            latest = Max(latest, change.OccurredAt);
            if (latest >= window.To)
            {
                break;
            }
            using var json = JsonDocument.Parse(change.Changes);
            if (json.RootElement.TryGetProperty("impactLevel", out var level) && Level(level, "after") is { } after)
            {
                steps.Add((latest, Level(level, "before"), after));
            }
        }
        var current = steps.Count == 0 ? system.ImpactLevel : steps[0].Before ?? steps[0].After;
        var result = new List<ImpactLevelInForce>();
        var from = window.From;
        foreach (var step in steps)
        {
            if (step.At <= window.From)
            {
                current = step.After;
                continue;
            }
            result.Add(new ImpactLevelInForce(current, from, step.At));
            (current, from) = (step.After, step.At);
        }
        result.Add(new ImpactLevelInForce(current, from, window.To));
        return result;

        static ImpactLevel? Level(JsonElement change, string side) =>
            change.TryGetProperty(side, out var value) && value.ValueKind == JsonValueKind.String && Enum.TryParse<ImpactLevel>(value.GetString(), out var l) ? l
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && Enum.IsDefined((ImpactLevel)n) ? (ImpactLevel)n
            : null;
    }

    private sealed record Interval(Guid Id, Guid EscortId, Guid PersonId, DateOnly StartsOn, DateOnly EndsOn, bool Active, DateTimeOffset From, DateTimeOffset To);

    private sealed record WaiverThen(Guid GrantId, string RuleId, DateTimeOffset From, DateTimeOffset To);

    private sealed record GrantRow(Guid GrantId, Guid PersonId, Guid VendorId, string FullName, AccessType AccessType, bool Escorted, DateOnly StartsOn,
        DateOnly? EndsOn, string? Justification, DateTimeOffset[] ChangedAt, string[] Statuses, string? Facts, DateOnly[]? ChangeDays, string[]? Changes);

    // The holders' cursor: the day's grants on the system with their status changes (from the trail, up to the end of the span)
    // and each person's facts as of the day merged from the fact history (jsonb_object_agg keeps the last value of a key: the
    // latest effective, then latest recorded). Both are lateral reads through indexes, per grant; no per-row round trip.
    private const string HoldersSql = """
        SELECT g.id, g.person_id, p.vendor_id, p.full_name, g.access_type, g.escorted, g.starts_on, g.ends_on, g.justification,
               st.changed_at, st.statuses, f.facts::text, /*changes*/
        FROM access_grants g
        JOIN people p ON p.id = g.person_id
        CROSS JOIN LATERAL (
            SELECT array_agg(t.at ORDER BY t.sequence) AS changed_at, array_agg(t.status ORDER BY t.sequence) AS statuses
            FROM (
                -- A change takes effect at its instant, never before an earlier change of the same grant: a consequence the gate
                -- computed may carry an instant a little earlier than the event committed just before it.
                SELECT e.sequence, max(e.occurred_at) OVER (ORDER BY e.sequence) AS at, e.changes -> 'status' ->> 'after' AS status
                FROM audit_events e
                WHERE e.subject_type = 'grant' AND e.subject_id = g.id::text AND e.event_type IN (@created, @changed)
                  AND e.changes ? 'status') t
            WHERE t.at < @to) st
        LEFT JOIN LATERAL (
            SELECT jsonb_object_agg(k.key, k.value ORDER BY h.effective_on, h.recorded_at) AS facts
            FROM person_fact_history h CROSS JOIN LATERAL jsonb_each(h.facts) k
            WHERE h.person_id = g.person_id AND h.effective_on <= @day) f ON true /*changes lateral*/
        WHERE g.system_id = @system AND g.starts_on <= @last AND (g.ends_on IS NULL OR g.ends_on >= @day) AND g.requested_at < @to
          AND st.changed_at IS NOT NULL AND (@everyone OR p.vendor_id = ANY(@vendors))
        ORDER BY p.full_name, g.id
        """;

    /// <summary>
    /// The holders' cursor for one day or an instant (no fact changes within the span), or for a run of days: then also each
    /// person's fact changes that take effect after the first day and by the last, in the order they apply.
    /// </summary>
    private static string HoldersSqlFor(AccessWindow window) => window.IsRange
        ? HoldersSql.Replace("/*changes*/", "fc.days, fc.changes", StringComparison.Ordinal).Replace("/*changes lateral*/", """

            LEFT JOIN LATERAL (
                SELECT array_agg(h.effective_on ORDER BY h.effective_on, h.recorded_at) AS days,
                       array_agg(h.facts::text ORDER BY h.effective_on, h.recorded_at) AS changes
                FROM person_fact_history h
                WHERE h.person_id = g.person_id AND h.effective_on > @day AND h.effective_on <= @last) fc ON true
            """, StringComparison.Ordinal)
        : HoldersSql.Replace("/*changes*/", "NULL::date[], NULL::text[]", StringComparison.Ordinal);

    private async IAsyncEnumerable<AccessHolder> HoldersAsync(Actor actor, Domain.Systems.CloudSystem system, AccessWindow window,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var (systemId, systemName) = (system.Id, system.Name);
        await using var db = await contexts.CreateDbContextAsync(ct);
        // One snapshot for every read below: the holders, their escorts and waivers agree with each other.
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10)); // the cursor's first fetch sorts the system's grants of the day
        // The versions and levels the verdicts use are read in this snapshot (the header's were read just before it).
        var policies = await PoliciesAsync(db, window, ct);
        var levels = await ImpactLevelsAsync(db, system, window, ct);
        var everyone = actor.SeesEveryVendor;
        var vendors = actor.VisibleVendorIds?.ToArray() ?? [];

        // The day's escort assignments and waivers on the system: bounded by the system's escorted grants, not by its grants.
        var assignments = (await db.EscortAssignments.AsNoTracking()
                .Where(a => a.SystemId == systemId && a.StartsOn <= window.LastDay && a.EndsOn >= window.Day && a.CreatedAt < window.To).ToListAsync(ct))
            .Select(a => new Interval(a.Id, a.EscortId, a.PersonId, a.StartsOn, a.EndsOn, a.Active, Max(a.CreatedAt, AccessWindow.StartOf(a.StartsOn)),
                AccessWindow.StartOf(a.EndsOn.AddDays(1))))
            .Where(a => a.From < window.To && a.To > window.From)
            .ToLookup(a => a.PersonId);
        var escortIds = assignments.SelectMany(a => a).Select(a => a.EscortId).Distinct().ToList();
        var escortFacts = await FactTimelinesAsync(db, escortIds, window, ct);
        var escortNames = await db.People.AsNoTracking().VisibleTo(actor).Where(p => escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var grantsOnSystem = db.Grants.Where(g => g.SystemId == systemId).Select(g => g.Id);
        var waivers = (await db.Waivers.AsNoTracking()
                .Where(w => w.SubjectType == "grant" && grantsOnSystem.Contains(w.SubjectId) && w.Status == WaiverStatus.Active && w.ExpiresOn >= window.Day
                            && w.ApprovedAt != null && w.ApprovedAt < window.To)
                .Select(w => new { w.SubjectId, w.RuleId, w.ApprovedAt, w.ExpiresOn }).ToListAsync(ct))
            .Where(w => RuleCatalogue.Find(w.RuleId)?.Waivable == true)
            .Select(w => new WaiverThen(w.SubjectId, w.RuleId, w.ApprovedAt!.Value, AccessWindow.StartOf(w.ExpiresOn.AddDays(1))))
            .ToLookup(w => w.GrantId);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var declare = new NpgsqlCommand($"DECLARE access_holders NO SCROLL CURSOR FOR {HoldersSqlFor(window)}", connection))
        {
            declare.Parameters.AddWithValue("system", systemId);
            declare.Parameters.AddWithValue("day", window.Day);
            declare.Parameters.AddWithValue("last", window.LastDay);
            declare.Parameters.AddWithValue("to", window.To);
            declare.Parameters.AddWithValue("everyone", everyone);
            declare.Parameters.AddWithValue("vendors", vendors);
            // The grant's own events only: a refused decision about it (event 8000) recorded what was asked, not what was.
            declare.Parameters.AddWithValue("created", AuditEventTypes.For(typeof(AccessGrant), AuditEventTypes.Change.Created).Code);
            declare.Parameters.AddWithValue("changed", AuditEventTypes.For(typeof(AccessGrant), AuditEventTypes.Change.Changed).Code);
            await declare.ExecuteNonQueryAsync(ct);
        }
        var vendorNames = new Dictionary<Guid, string>();
        while (true)
        {
            var batch = new List<GrantRow>(BatchSize);
            await using (var fetch = new NpgsqlCommand($"FETCH {BatchSize} FROM access_holders", connection))
            {
                fetch.CommandTimeout = 600;
                await using var reader = await fetch.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    batch.Add(new GrantRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                        Enum.Parse<AccessType>(reader.GetString(4)), reader.GetBoolean(5), reader.GetFieldValue<DateOnly>(6),
                        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                        reader.GetFieldValue<DateTimeOffset[]>(9), reader.GetFieldValue<string[]>(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                        reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly[]>(12), reader.IsDBNull(13) ? null : reader.GetFieldValue<string[]>(13)));
                }
            }
            if (batch.Count == 0)
            {
                break;
            }
            // The batch's people (their stored facts fill what the history does not hold) and vendors: one read each per batch.
            var personIds = batch.Select(r => r.PersonId).Distinct().ToList();
            var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
            var missingVendors = people.Values.Select(p => p.VendorId).Where(v => !vendorNames.ContainsKey(v)).Distinct().ToList();
            if (missingVendors.Count > 0)
            {
                foreach (var v in await db.Vendors.AsNoTracking().Where(v => missingVendors.Contains(v.Id)).Select(v => new { v.Id, v.Name }).ToListAsync(ct))
                {
                    vendorNames[v.Id] = v.Name;
                }
            }
            foreach (var row in batch)
            {
                var active = ActiveIntervals(row, window);
                if (active.Count == 0)
                {
                    continue;
                }
                var person = FactTimeline.Of(people[row.PersonId], row.Facts, row.ChangeDays, row.Changes, window);
                var mine = assignments[row.PersonId].Where(a => active.Any(i => a.From < i.To && a.To > i.From)).ToList();
                var intervals = Evaluate(row, person, active, mine, waivers[row.GrantId].ToList(), escortFacts, policies, levels, systemId, systemName, window);
                var verdict = intervals.FirstOrDefault(i => i.Verdict is { Passed: false })?.Verdict ?? intervals[^1].Verdict;
                yield return new AccessHolder(row.GrantId, row.PersonId, row.VendorId, row.FullName, row.AccessType, row.Escorted, row.StartsOn, row.EndsOn,
                    intervals[^1].Facts ?? person.At(window.From).Facts, mine.Select(a => new EscortOnDay(a.Id, a.EscortId, escortNames.GetValueOrDefault(a.EscortId, "An escort of another vendor"),
                        a.StartsOn, a.EndsOn)).ToList(), vendorNames.GetValueOrDefault(row.VendorId), verdict, intervals);
            }
        }
    }

    /// <summary>When the grant was active within the span: its status replayed from its changes (each in force from its recorded instant).</summary>
    private static List<(DateTimeOffset From, DateTimeOffset To)> ActiveIntervals(GrantRow row, AccessWindow window)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset)>();
        // The grant's own period, in whole UTC days.
        var periodFrom = Max(window.From, AccessWindow.StartOf(row.StartsOn));
        var periodTo = row.EndsOn is { } ends ? Min(window.To, AccessWindow.StartOf(ends.AddDays(1))) : window.To;
        for (var i = 0; i < row.ChangedAt.Length; i++)
        {
            if (row.Statuses[i] != nameof(GrantStatus.Active))
            {
                continue;
            }
            var from = Max(row.ChangedAt[i], periodFrom);
            var to = Min(i + 1 < row.ChangedAt.Length ? row.ChangedAt[i + 1] : periodTo, periodTo);
            if (from < to)
            {
                result.Add((from, to));
            }
        }
        return result;
    }

    /// <summary>
    /// Cuts each active interval wherever the policy version, the impact level, a covering escort assignment, a waiver, or (over a
    /// run of days) the holder's or an escort's facts change, and evaluates each piece under the version then in force. Over a run
    /// of days a piece may also span days, and a verdict may read the date (an attestation or an adjudication falling due): a piece
    /// whose first and last days read differently is halved at a day boundary until each part reads the same at both ends. Those
    /// rules only ever move one way with the date (passing, then warning, then failing), so both ends agreeing means every day
    /// between agrees; a piece costs two evaluations when nothing changes, and a change is found in about log2(days) more.
    /// </summary>
    private static List<AccessInterval> Evaluate(GrantRow row, FactTimeline person, List<(DateTimeOffset From, DateTimeOffset To)> active, List<Interval> mine,
        List<WaiverThen> waivers, IReadOnlyDictionary<Guid, FactTimeline> escortFacts, List<PolicyThen> policies, IReadOnlyList<ImpactLevelInForce> levels,
        Guid systemId, string systemName, AccessWindow window)
    {
        var cuts = policies.SelectMany(p => new[] { p.From, p.To }).Concat(levels.SelectMany(l => new[] { l.From, l.To }))
            .Concat(mine.SelectMany(a => new[] { a.From, a.To })).Concat(waivers.SelectMany(w => new[] { w.From, w.To }))
            .Concat(person.Cuts).Concat(mine.SelectMany(a => escortFacts.TryGetValue(a.EscortId, out var e) ? e.Cuts : [])).ToHashSet();
        var grant = new GrantFacts(row.GrantId, row.AccessType, row.Escorted, row.StartsOn, row.EndsOn, row.Justification, GrantStatus.Active);
        var result = new List<AccessInterval>();

        // What the rules read at an instant of a piece (nothing but the date changes within a piece), with placeholder bounds.
        AccessInterval Read(DateTimeOffset at)
        {
            var policy = policies.LastOrDefault(p => p.From <= at && at < p.To);
            var level = levels.Last(l => l.From <= at).ImpactLevel;
            var covering = mine.Where(a => a.From <= at && at < a.To).ToList();
            var facts = person.At(at);
            AccessVerdict? verdict = null;
            if (policy is not null)
            {
                var coverage = covering.Where(a => escortFacts.ContainsKey(a.EscortId))
                    .Select(a => new EscortCoverage(a.Id, escortFacts[a.EscortId].At(at).Person, systemId, a.StartsOn, a.EndsOn, a.Active)).ToList();
                var subject = new GrantSubject(facts.Person, new SystemFacts(systemId, systemName, level), grant, coverage);
                var context = new RuleContext(policy.Parameters, policy.Number, AccessWindow.DayOf(at)) { Now = at };
                var waived = waivers.Where(w => w.From <= at && at < w.To).Select(w => w.RuleId).ToHashSet();
                verdict = Verdict(PolicyEvaluator.Default.Evaluate(subject, context), waived, policy.Number);
            }
            return new AccessInterval(at, at, policy?.Number, level, covering.Select(a => a.Id).ToList(), verdict, window.IsRange ? facts.Facts : null);
        }

        void Add(AccessInterval piece)
        {
            // Pieces that read the same (a cut that changed nothing for this holder) are one interval.
            if (result.Count > 0 && result[^1].To == piece.From && SameReading(result[^1], piece))
            {
                result[^1] = result[^1] with { To = piece.To };
            }
            else
            {
                result.Add(piece);
            }
        }

        void Place(DateTimeOffset from, DateTimeOffset to, AccessInterval first)
        {
            var (firstDay, lastDay) = (AccessWindow.DayOf(from), AccessWindow.DayOf(to.AddTicks(-1)));
            if (lastDay > firstDay)
            {
                var last = Read(AccessWindow.StartOf(lastDay));
                if (!SameReading(first, last))
                {
                    var middle = AccessWindow.StartOf(firstDay.AddDays((lastDay.DayNumber - firstDay.DayNumber + 1) / 2));
                    Place(from, middle, first);
                    Place(middle, to, Read(middle));
                    return;
                }
            }
            Add(first with { From = from, To = to });
        }

        foreach (var (activeFrom, activeTo) in active)
        {
            var points = cuts.Where(c => c > activeFrom && c < activeTo).Append(activeFrom).Append(activeTo).Distinct().Order().ToList();
            for (var i = 0; i + 1 < points.Count; i++)
            {
                Place(points[i], points[i + 1], Read(points[i]));
            }
        }
        return result;
    }

    private static bool SameReading(AccessInterval a, AccessInterval b) =>
        ReferenceEquals(a.Facts, b.Facts) && a.PolicyVersion == b.PolicyVersion && a.ImpactLevel == b.ImpactLevel && a.EscortAssignmentIds.SequenceEqual(b.EscortAssignmentIds)
        && a.Verdict?.Passed == b.Verdict?.Passed && (a.Verdict?.Failing.Select(f => f.RuleId) ?? []).SequenceEqual(b.Verdict?.Failing.Select(f => f.RuleId) ?? [])
        && (a.Verdict?.Warnings.Select(f => f.RuleId) ?? []).SequenceEqual(b.Verdict?.Warnings.Select(f => f.RuleId) ?? [])
        && (a.Verdict?.Waived ?? []).SequenceEqual(b.Verdict?.Waived ?? []);

    /// <summary>
    /// The facts of a set of people over the span, as the rules read them: the fact history merged in SQL as of the first day
    /// (stored values for the rest), then, over a run of days, each later day's changes.
    /// </summary>
    private static async Task<Dictionary<Guid, FactTimeline>> FactTimelinesAsync(ComplianceDbContext db, List<Guid> personIds, AccessWindow window,
        CancellationToken ct)
    {
        if (personIds.Count == 0)
        {
            return [];
        }
        var ids = personIds.ToArray();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var merged = await db.Database.SqlQuery<MergedFacts>($"""
            SELECT h.person_id, jsonb_object_agg(k.key, k.value ORDER BY h.effective_on, h.recorded_at)::text AS facts
            FROM person_fact_history h CROSS JOIN LATERAL jsonb_each(h.facts) k
            WHERE h.person_id = ANY({ids}) AND h.effective_on <= {window.Day}
            GROUP BY h.person_id
            """).ToDictionaryAsync(m => m.PersonId, m => m.Facts, ct);
        var changes = window.IsRange
            ? (await db.Database.SqlQuery<FactChange>($"""
                SELECT h.person_id, h.effective_on, h.facts::text AS facts
                FROM person_fact_history h
                WHERE h.person_id = ANY({ids}) AND h.effective_on > {window.Day} AND h.effective_on <= {window.LastDay}
                ORDER BY h.person_id, h.effective_on, h.recorded_at
                """).ToListAsync(ct)).ToLookup(c => c.PersonId)
            : null;
        return people.Values.ToDictionary(p => p.Id, p =>
        {
            var mine = changes?[p.Id].ToList();
            return FactTimeline.Of(p, merged.GetValueOrDefault(p.Id), mine?.Select(c => c.EffectiveOn).ToArray(), mine?.Select(c => c.Facts).ToArray(), window);
        });
    }

    private sealed record FactChange(Guid PersonId, DateOnly EffectiveOn, string Facts);

    /// <summary>
    /// A person's facts over the span: those of its first day, then a segment from each later day on which changes take effect
    /// (over a run of days; one segment otherwise). Each segment keeps its merged facts and the rules' view of them.
    /// </summary>
    private sealed class FactTimeline
    {
        private readonly List<(DateTimeOffset From, Dictionary<string, JsonElement?> Facts, PersonFacts Person)> segments;

        private FactTimeline(List<(DateTimeOffset, Dictionary<string, JsonElement?>, PersonFacts)> segments) => this.segments = segments;

        /// <summary>From the facts merged as of the first day and the later changes in the order they apply (null: none).</summary>
        public static FactTimeline Of(Person person, string? factsOfFirstDay, DateOnly[]? changeDays, string[]? changes, AccessWindow window)
        {
            var facts = ParseFacts(factsOfFirstDay);
            var segments = new List<(DateTimeOffset, Dictionary<string, JsonElement?>, PersonFacts)> { (window.From, facts, person.FactsThen(facts)) };
            for (var i = 0; i < (changeDays?.Length ?? 0); i++)
            {
                var from = AccessWindow.StartOf(changeDays![i]);
                var next = new Dictionary<string, JsonElement?>(segments[^1].Item2, StringComparer.Ordinal);
                foreach (var (key, value) in ParseFacts(changes![i]))
                {
                    next[key] = value; // as jsonb_object_agg: the change applied last wins
                }
                var segment = (from, next, person.FactsThen(next));
                if (segments[^1].Item1 == from)
                {
                    segments[^1] = segment;
                }
                else
                {
                    segments.Add(segment);
                }
            }
            return new FactTimeline(segments);
        }

        /// <summary>Where the facts change within the span.</summary>
        public IEnumerable<DateTimeOffset> Cuts => segments.Skip(1).Select(s => s.From);

        /// <summary>The facts in force at an instant of the span.</summary>
        public (Dictionary<string, JsonElement?> Facts, PersonFacts Person) At(DateTimeOffset instant)
        {
            for (var i = segments.Count - 1; i > 0; i--)
            {
                if (segments[i].From <= instant)
                {
                    return (segments[i].Facts, segments[i].Person);
                }
            }
            return (segments[0].Facts, segments[0].Person);
        }
    }

    private sealed record MergedFacts(Guid PersonId, string? Facts);

    private static Dictionary<string, JsonElement?> ParseFacts(string? json)
    {
        var facts = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        if (json is null)
        {
            return facts;
        }
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            facts[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.Clone();
        }
        return facts;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static AccessVerdict Verdict(IReadOnlyList<RuleOutcome> outcomes, IReadOnlySet<string> waived, int policyVersion)
    {
        static VerdictOutcome View(RuleOutcome o) => new(o.RuleId, o.Severity, o.Message, o.Facts, o.Citation);
        var counted = outcomes.Where(o => !waived.Contains(o.RuleId)).ToList();
        var failing = counted.Where(o => o.Severity is Severity.Block or Severity.Suspend).Select(View).ToList();
        return new AccessVerdict(failing.Count == 0, policyVersion, failing, counted.Where(o => o.Severity == Severity.Warn).Select(View).ToList(),
            outcomes.Where(o => waived.Contains(o.RuleId)).Select(o => o.RuleId).Distinct().ToList());
    }
}
