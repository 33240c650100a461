using System.Runtime.CompilerServices;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>An audit event as the API shows it: the chain fields, who did what to which subject, the values and rule outcomes.</summary>
public sealed record AuditEventView(long Sequence, DateTimeOffset OccurredAt, Guid? ActorUserId, string ActorName, string ActorRole, Guid? ActorVendorId,
    string AuthenticationMethod, int EventType, string Operation, string SubjectType, string SubjectId, JsonElement Changes, JsonElement RuleOutcomes,
    string CorrelationId, string PreviousHash, string Hash)
{
    /// <summary>The server-side session of the actor's sign-in, when the change came through one.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The personal access token the change was made with, if any.</summary>
    public Guid? ApiTokenId { get; init; }

    /// <summary>The client address of the request the change came from (none at the command line or in the scheduler).</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The user agent of that request.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The distinct rule ids among the event's rule outcomes, in order of first appearance.</summary>
    public IReadOnlyList<string> RuleIds() =>
        RuleOutcomes.ValueKind != JsonValueKind.Array
            ? []
            : RuleOutcomes.EnumerateArray()
                .Select(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("ruleId", out var id) ? id.GetString() : null)
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The filters of the audit trail. Every filter narrows (they combine with AND); null means "any".</summary>
/// <param name="SubjectType">Events about this kind of subject (<c>person</c>, <c>grant</c>, …; see <see cref="AuditEventTypes.Blocks"/>).</param>
/// <param name="SubjectId">Events about this one subject (its key as text).</param>
/// <param name="ActorUserId">Events caused by this account.</param>
/// <param name="EventType">Events of this numeric code (docs/audit/event-types.md).</param>
/// <param name="From">Events at or after this instant (UTC).</param>
/// <param name="To">Events strictly before this instant (UTC).</param>
/// <param name="CorrelationId">The events of one operation.</param>
/// <param name="ActorName">Events whose actor's recorded name contains this text (case-insensitive).</param>
/// <param name="VendorId">Events about this vendor: the vendor itself, its contracts, its people and what belongs to them (grants,
/// escort assignments, sessions and requests, findings, screening hits, attestations), and events caused by someone acting for it.</param>
/// <param name="Operation">Events of this operation (e.g. <c>grant.request</c>).</param>
/// <param name="RuleId">Events whose rule outcomes include this rule (e.g. <c>LOC-COVERED</c>).</param>
public sealed record AuditFilter(string? SubjectType = null, string? SubjectId = null, Guid? ActorUserId = null, int? EventType = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? CorrelationId = null, string? ActorName = null, Guid? VendorId = null,
    string? Operation = null, string? RuleId = null)
{
    /// <summary>True when no filter is set (the whole trail).</summary>
    public bool IsEmpty => this == new AuditFilter();
}

/// <summary>What an audit event is about, beyond its raw subject key: the vendor and person it belongs to, with their names.</summary>
/// <param name="VendorId">The vendor the subject belongs to (or the actor's vendor when the subject has none).</param>
/// <param name="VendorName">That vendor's legal name.</param>
/// <param name="PersonId">The person the subject is or belongs to (the supervised person of an escort assignment).</param>
/// <param name="PersonName">That person's full name.</param>
public sealed record AuditSubjectContext(Guid? VendorId, string? VendorName, Guid? PersonId, string? PersonName);

/// <summary>One event with the other events of the same operation (same correlation id), and what its subject belongs to.</summary>
public sealed record AuditEventDetail(AuditEventView Event, AuditSubjectContext Subject, IReadOnlyList<AuditEventView> SameOperation, int SameOperationTotal)
{
    /// <summary>When the sign-in session the change came through began, if it named one that is still on record.</summary>
    public DateTimeOffset? SessionStartedAt { get; init; }

    /// <summary>The name an administrator gave the personal access token the change was made with, if any.</summary>
    public string? ApiTokenName { get; init; }
}

/// <summary>The values the audit trail's filter drop-downs offer.</summary>
/// <param name="Operations">Every operation recorded so far, sorted.</param>
/// <param name="SubjectTypes">Every subject type that can be recorded, sorted.</param>
/// <param name="EventTypes">Every event code with its subject type and kind of change, sorted by code.</param>
/// <param name="Actors">Every account that caused an event, by name (the name last recorded for it).</param>
public sealed record AuditFilterOptions(IReadOnlyList<string> Operations, IReadOnlyList<string> SubjectTypes, IReadOnlyList<AuditEventTypeOption> EventTypes,
    IReadOnlyList<AuditActorOption> Actors);

/// <summary>An account as the actor filter offers it.</summary>
public sealed record AuditActorOption(Guid UserId, string Name, string Role);

/// <summary>An event code as a filter offers it: <c>Access grant changed (4001)</c>.</summary>
public sealed record AuditEventTypeOption(int Code, string Label);

/// <summary>The audit trail, read-only, in sequence order; auditors and administrators only (API.md <c>GET /audit/events</c>).</summary>
public sealed class AuditTrailQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>At most this many events of the same operation are listed with an event's detail.</summary>
    public const int SameOperationLimit = 200;

    public async Task<PagedResult<AuditEventView>> ListAsync(Actor actor, AuditFilter filter, PageRequest page, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Filter(db, actor, filter);
        var total = await query.CountAsync(ct);
        var events = await Sorted(query, page.Desc).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AuditEventView>(events.Select(ToView).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Every event the filter selects, in sequence order, streamed in batches (see <see cref="StreamedBatches"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<AuditEventView>> ExportAsync(Actor actor, AuditFilter filter, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await foreach (var batch in StreamedBatches.ReadAsync(Sorted(Filter(db, actor, filter), desc),
                           (events, _) => Task.FromResult<IReadOnlyList<AuditEventView>>(events.Select(ToView).ToList()), ct))
        {
            yield return batch;
        }
    }

    private static IQueryable<AuditEvent> Sorted(IQueryable<AuditEvent> query, bool desc) =>
        desc ? query.OrderByDescending(e => e.Sequence) : query.OrderBy(e => e.Sequence);

    /// <summary>
    /// The filtered events as one query, for a caller that streams them (an export) or pages them itself. Every filter is
    /// translated to SQL: the vendor filter is a union of index-backed lookups of the vendor's rows, the rule filter a jsonb
    /// containment (<c>rule_outcomes @&gt; '[{"ruleId": …}]'</c>).
    /// </summary>
    public static IQueryable<AuditEvent> Filter(ComplianceDbContext db, AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking();
        // A person added in bulk is recorded by its import chunk's event (ADR 0022): "person" events include those, and a
        // subject id finds the events that list it among their subjects (audit_event_subjects, keyed by subject id). The two
        // lookups are a union of sequence numbers, each on its own index, joined on the primary key: an OR of them in one
        // WHERE would make PostgreSQL read the whole trail.
        var subjectType = filter.SubjectType?.Trim();
        var subjectId = filter.SubjectId?.Trim();
        if (!string.IsNullOrEmpty(subjectType) && !string.IsNullOrEmpty(subjectId))
        {
            var about = db.AuditEvents.Where(e => e.SubjectType == subjectType && e.SubjectId == subjectId).Select(e => e.Sequence)
                .Concat(db.AuditEventSubjects.Where(s => s.SubjectId == subjectId && s.SubjectType == subjectType).Select(s => s.Sequence));
            query = query.Where(e => about.Contains(e.Sequence));
        }
        else if (!string.IsNullOrEmpty(subjectType))
        {
            query = subjectType == "person"
                ? query.Where(e => e.SubjectType == subjectType || e.EventType == AuditEventTypes.PeopleAdded)
                : query.Where(e => e.SubjectType == subjectType);
        }
        else if (!string.IsNullOrEmpty(subjectId))
        {
            var about = db.AuditEvents.Where(e => e.SubjectId == subjectId).Select(e => e.Sequence)
                .Concat(db.AuditEventSubjects.Where(s => s.SubjectId == subjectId).Select(s => s.Sequence));
            query = query.Where(e => about.Contains(e.Sequence));
        }
        if (filter.ActorUserId is { } user) { query = query.Where(e => e.ActorUserId == user); }
        if (!string.IsNullOrWhiteSpace(filter.ActorName))
        {
            var pattern = "%" + LikeEscape(filter.ActorName.Trim()) + "%";
            query = query.Where(e => EF.Functions.ILike(e.ActorName, pattern, "\\"));
        }
        if (filter.EventType is { } type) { query = query.Where(e => e.EventType == type); }
        if (!string.IsNullOrWhiteSpace(filter.Operation)) { query = query.Where(e => e.Operation == filter.Operation.Trim()); }
        if (!string.IsNullOrWhiteSpace(filter.RuleId))
        {
            var contained = JsonSerializer.Serialize(new[] { new { ruleId = filter.RuleId.Trim().ToUpperInvariant() } });
            query = query.Where(e => EF.Functions.JsonContains(e.RuleOutcomes, contained));
        }
        if (filter.From is { } from) { query = query.Where(e => e.OccurredAt >= from.ToUniversalTime()); }
        if (filter.To is { } to) { query = query.Where(e => e.OccurredAt < to.ToUniversalTime()); }
        if (!string.IsNullOrWhiteSpace(filter.CorrelationId)) { query = query.Where(e => e.CorrelationId == filter.CorrelationId.Trim()); }
        if (filter.VendorId is { } vendor)
        {
            var about = AboutVendors(db, [vendor]);
            query = query.Where(e => about.Contains(e.Sequence));
        }
        return query;
    }

    /// <summary>
    /// <see cref="Filter(ComplianceDbContext, AuditFilter)"/> within the reader's scope: an auditor of a contracting office reads
    /// the events about the vendors the office holds (ADR 0028); installation-wide auditors and administrators read all.
    /// </summary>
    public static IQueryable<AuditEvent> Filter(ComplianceDbContext db, Actor actor, AuditFilter filter)
    {
        var query = Filter(db, filter);
        if (actor.VisibleVendorIds is { } vendors)
        {
            var about = AboutVendors(db, vendors);
            query = query.Where(e => about.Contains(e.Sequence));
        }
        return query;
    }

    /// <summary>
    /// The sequence numbers of the events caused by someone acting for the vendor (actor_vendor_id index) and of those whose
    /// subject belongs to the vendor: one lookup per kind of subject on the (subject_type, subject_id) index, each keyed by the
    /// ids of the vendor's rows. The page query joins them by sequence (a semi-join on the primary key).
    /// </summary>
    private static IQueryable<long> AboutVendors(ComplianceDbContext db, Guid[] vendors)
    {
        var people = db.People.Where(p => vendors.Contains(p.VendorId)).Select(p => p.Id);
        IQueryable<long> About(string subjectType, IQueryable<string> ids) =>
            db.AuditEvents.Where(e => e.SubjectType == subjectType && ids.Contains(e.SubjectId)).Select(e => e.Sequence);
        var vendorKeys = vendors.Select(v => v.ToString()).ToArray();
        return db.AuditEvents.Where(e => e.ActorVendorId != null && vendors.Contains(e.ActorVendorId.Value)).Select(e => e.Sequence)
            .Concat(db.AuditEvents.Where(e => e.SubjectType == "vendor" && vendorKeys.Contains(e.SubjectId)).Select(e => e.Sequence))
            .Concat(About("contract", db.Contracts.Where(c => vendors.Contains(c.VendorId)).Select(c => c.Id.ToString())))
            .Concat(About("person", people.Select(id => id.ToString())))
            .Concat(db.AuditEvents.Where(e => e.SubjectType == AuditEventTypes.PeopleSubject && vendorKeys.Contains(e.SubjectId)).Select(e => e.Sequence))
            .Concat(About("grant", db.Grants.Where(g => people.Contains(g.PersonId)).Select(g => g.Id.ToString())))
            .Concat(About("escort-assignment", db.EscortAssignments.Where(a => people.Contains(a.PersonId)).Select(a => a.Id.ToString())))
            .Concat(About("escorted-session", db.EscortedSessions.Where(s => vendors.Contains(s.VendorId)).Select(s => s.Id.ToString())))
            .Concat(About("escort-request", db.EscortRequests.Where(r => vendors.Contains(r.VendorId)).Select(r => r.Id.ToString())))
            .Concat(About("finding", db.Findings.Where(f => vendors.Contains(f.VendorId)).Select(f => f.Id.ToString())))
            .Concat(About("screening-hit", db.ScreeningHits.Where(h => vendors.Contains(h.VendorId)).Select(h => h.Id.ToString())))
            .Concat(About("attestation", db.LocationAttestations.Where(a => vendors.Contains(a.VendorId)).Select(a => a.Id.ToString())))
            .Concat(About("code-contribution", db.CodeContributions.Where(c => vendors.Contains(c.VendorId)).Select(c => c.Id.ToString())))
            .Concat(About("contributor-alias", db.ContributorAliases.Where(a => vendors.Contains(a.VendorId)).Select(a => a.Id.ToString())))
            .Concat(About("access-log-import", db.AccessLogImports.Where(i => vendors.Contains(i.VendorId)).Select(i => i.Id.ToString())))
            .Concat(About("access-identity-alias", db.AccessIdentityAliases.Where(a => vendors.Contains(a.VendorId)).Select(a => a.Id.ToString())));
    }

    /// <summary>One event, what its subject belongs to, and the other events of the same operation (in sequence order); null when there is no such event.</summary>
    public async Task<AuditEventDetail?> GetAsync(Actor actor, long sequence, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var e = await Filter(db, actor, new AuditFilter()).SingleOrDefaultAsync(x => x.Sequence == sequence, ct);
        if (e is null)
        {
            return null;
        }
        var related = Filter(db, actor, new AuditFilter()).Where(x => x.CorrelationId == e.CorrelationId && x.Sequence != e.Sequence);
        var total = await related.CountAsync(ct);
        var same = await related.OrderBy(x => x.Sequence).Take(SameOperationLimit).ToListAsync(ct);
        var view = ToView(e);
        var subject = (await ContextsAsync(db, [view], ct))[view.Sequence];
        // Where the change came from, in words a reader can use: when its sign-in began, and its token's name.
        var sessionStarted = e.SessionId is { } session
            ? await db.UserSessions.AsNoTracking().Where(x => x.Id == session).Select(x => (DateTimeOffset?)x.CreatedAt).SingleOrDefaultAsync(ct)
            : null;
        var tokenName = e.ApiTokenId is { } token
            ? await db.ApiTokens.AsNoTracking().Where(x => x.Id == token).Select(x => x.Name).SingleOrDefaultAsync(ct)
            : null;
        return new AuditEventDetail(view, subject, same.Select(ToView).ToList(), total) { SessionStartedAt = sessionStarted, ApiTokenName = tokenName };
    }

    /// <summary>What each event's subject belongs to (vendor and person, with names), resolved in one query per kind of subject.</summary>
    public async Task<IReadOnlyDictionary<long, AuditSubjectContext>> SubjectsAsync(Actor actor, IReadOnlyList<AuditEventView> events, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ContextsAsync(db, events, ct);
    }

    /// <summary>The operations recorded so far, every subject type and every event code, for the filters' drop-downs.</summary>
    public async Task<AuditFilterOptions> OptionsAsync(Actor actor, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var events = Filter(db, actor, new AuditFilter());
        var operations = await events.Select(e => e.Operation).Distinct().OrderBy(o => o).ToListAsync(ct);
        var subjects = AuditEventTypes.Blocks.Values.Select(b => b.Subject).Order(StringComparer.Ordinal).ToList();
        var actors = await events.Where(e => e.ActorUserId != null)
            .GroupBy(e => e.ActorUserId!.Value)
            .Select(g => g.OrderByDescending(e => e.Sequence).Select(e => new AuditActorOption(g.Key, e.ActorName, e.ActorRole)).First())
            .ToListAsync(ct);
        return new AuditFilterOptions(operations, subjects, EventTypeOptions, actors.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.UserId).ToList());
    }

    /// <summary>Every event code with its label in words (<c>Access grant changed (4001)</c>), sorted by code; no database needed.</summary>
    public static IReadOnlyList<AuditEventTypeOption> EventTypeOptions { get; } = AuditEventTypes.Blocks.Values
        .SelectMany(b => Enum.GetValues<AuditEventTypes.Change>().Select(c => b.Block + (int)c))
        .Concat([AuditEventTypes.PeopleAdded, AuditEventTypes.AccessDecisionRefused, AuditEventTypes.Export, AuditEventTypes.EvidencePackageBuilt,
            AuditEventTypes.SignInRefused, AuditEventTypes.StateVerified])
        .Select(code => new AuditEventTypeOption(code, Words.EventType(code)))
        .OrderBy(o => o.Code).ToList();

    private static async Task<Dictionary<long, AuditSubjectContext>> ContextsAsync(ComplianceDbContext db, IReadOnlyList<AuditEventView> events, CancellationToken ct)
    {
        Guid[] Ids(string type) => events.Where(e => e.SubjectType == type).Select(e => Guid.TryParse(e.SubjectId, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().ToArray();
        // subject key → (vendor, person)
        var owners = new Dictionary<(string, string), (Guid? Vendor, Guid? Person)>();
        void Add<T>(string type, IEnumerable<T> rows, Func<T, Guid> id, Func<T, Guid?> vendor, Func<T, Guid?> person)
        {
            foreach (var row in rows)
            {
                owners[(type, id(row).ToString())] = (vendor(row), person(row));
            }
        }
        var ids = Ids("person");
        Add("person", await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.VendorId }).ToListAsync(ct), r => r.Id, r => r.VendorId, r => r.Id);
        ids = Ids("grant");
        Add("grant", await db.Grants.AsNoTracking().Where(g => ids.Contains(g.Id)).Join(db.People, g => g.PersonId, p => p.Id, (g, p) => new { g.Id, p.VendorId, PersonId = p.Id })
            .ToListAsync(ct), r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("escort-assignment");
        Add("escort-assignment", await db.EscortAssignments.AsNoTracking().Where(a => ids.Contains(a.Id)).Join(db.People, a => a.PersonId, p => p.Id, (a, p) => new { a.Id, p.VendorId, PersonId = p.Id })
            .ToListAsync(ct), r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("escorted-session");
        Add("escorted-session", await db.EscortedSessions.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.VendorId, s.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("escort-request");
        Add("escort-request", await db.EscortRequests.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.VendorId, s.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("finding");
        Add("finding", await db.Findings.AsNoTracking().Where(f => ids.Contains(f.Id)).Select(f => new { f.Id, f.VendorId, f.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("screening-hit");
        Add("screening-hit", await db.ScreeningHits.AsNoTracking().Where(h => ids.Contains(h.Id)).Select(h => new { h.Id, h.VendorId, h.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("attestation");
        Add("attestation", await db.LocationAttestations.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.VendorId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, _ => null);
        ids = Ids("code-contribution");
        Add("code-contribution", await db.CodeContributions.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.VendorId, c.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => r.PersonId);
        ids = Ids("contributor-alias");
        Add("contributor-alias", await db.ContributorAliases.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.VendorId, a.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => (Guid?)r.PersonId);
        ids = Ids("access-log-import");
        Add("access-log-import", await db.AccessLogImports.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.VendorId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, _ => null);
        ids = Ids("access-identity-alias");
        Add("access-identity-alias", await db.AccessIdentityAliases.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.VendorId, a.PersonId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, r => (Guid?)r.PersonId);
        ids = Ids("contract");
        Add("contract", await db.Contracts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.VendorId }).ToListAsync(ct),
            r => r.Id, r => r.VendorId, _ => null);
        foreach (var id in Ids("vendor"))
        {
            owners[("vendor", id.ToString())] = (id, null);
        }
        foreach (var id in Ids(AuditEventTypes.PeopleSubject))
        {
            owners[(AuditEventTypes.PeopleSubject, id.ToString())] = (id, null); // people added in bulk: the subject id is their vendor's
        }

        var resolved = events.ToDictionary(e => e.Sequence, e =>
            owners.TryGetValue((e.SubjectType, e.SubjectId), out var o) ? (o.Vendor ?? e.ActorVendorId, o.Person) : (e.ActorVendorId, (Guid?)null));
        var vendorIds = resolved.Values.Select(r => r.Item1).OfType<Guid>().Distinct().ToList();
        var personIds = resolved.Values.Select(r => r.Item2).OfType<Guid>().Distinct().ToList();
        var vendorNames = await db.Vendors.AsNoTracking().Where(v => vendorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var personNames = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        return resolved.ToDictionary(r => r.Key, r => new AuditSubjectContext(r.Value.Item1, r.Value.Item1 is { } v ? vendorNames.GetValueOrDefault(v) : null,
            r.Value.Item2, r.Value.Item2 is { } p ? personNames.GetValueOrDefault(p) : null));
    }

    private static void Authorize(Actor actor)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("The audit trail is for auditors and administrators.");
        }
    }

    /// <summary>Escapes LIKE wildcards so a name is matched literally.</summary>
    private static string LikeEscape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>The API shape of a stored event.</summary>
    public static AuditEventView ToView(AuditEvent e) => new(e.Sequence, e.OccurredAt, e.ActorUserId, e.ActorName, e.ActorRole,
        e.ActorVendorId, e.AuthenticationMethod, e.EventType, e.Operation, e.SubjectType, e.SubjectId, Parse(e.Changes), Parse(e.RuleOutcomes),
        e.CorrelationId, e.PreviousHash, e.Hash)
    {
        SessionId = e.SessionId,
        ApiTokenId = e.ApiTokenId,
        ClientAddress = e.ClientAddress,
        UserAgent = e.UserAgent,
    };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
