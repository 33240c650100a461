using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>An ISO 3166-1 alpha-2 code with its English short name: "China (CN)".</summary>
public sealed record CountryName(string Code, string Name)
{
    public static CountryName Of(string code) => new(code, code.Length == 0 ? "" : Iso3166.NameOf(code));

    public override string ToString() => Code.Length == 0 ? "—" : Name == Code ? Code : $"{Name} ({Code})";
}

/// <summary>The person's header and facts card, with names resolved (vendor, countries).</summary>
public sealed record PersonSummary(Guid Id, string FullName, string Email, string EmployeeId, Guid VendorId, string VendorName,
    EmployerType EmployerType, EmploymentStatus EmploymentStatus, DateOnly? TerminatedOn, ScreeningStatus ScreeningStatus, string? ScreeningMatch,
    IReadOnlyList<CountryName> Citizenships, CountryName CountryOfBirth, bool UsLawfulPermanentResident, bool IsUsPerson,
    CountryName WorkCountry, string WorkCity, InvestigationTier InvestigationTier, DateOnly? AdjudicatedOn, bool ContinuousVetting,
    Clearance Clearance, DateOnly? NdaSignedOn, EscortQualification EscortQualification, DateOnly? EscortTrainingOn, DateOnly? LocationAttestedOn);

/// <summary>One change of one fact: when it took effect, the field, the value before and after, its source and who recorded it.</summary>
public sealed record FactHistoryEntry(DateOnly EffectiveOn, string Attribute, string Field, string? Before, string? After, FactSource Source,
    string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// One of the person's grants with the system's name and level, who requested and approved it, and the rules that fail
/// for it today under the active policy (<see cref="FailingRules"/> is null for revoked and expired grants, which the
/// policy no longer applies to; empty when every rule passes).
/// </summary>
public sealed record PersonGrant(Guid Id, Guid SystemId, string SystemName, ImpactLevel ImpactLevel, AccessType AccessType, bool Escorted,
    DateOnly StartsOn, DateOnly? EndsOn, GrantStatus Status, string? StatusReason, string? Justification, string RequestedBy,
    DateTimeOffset RequestedAt, string? ApprovedBy, IReadOnlyList<RuleOutcome>? FailingRules);

/// <summary>
/// An escort assignment seen from the person: the other party (the supervised person when the person escorts, the escort
/// when the person is supervised), the system and the period. <see cref="InForce"/>: active and covering today.
/// </summary>
public sealed record EscortRelation(Guid AssignmentId, Guid OtherPersonId, string OtherPersonName, string OtherVendorName, Guid SystemId,
    string SystemName, ImpactLevel ImpactLevel, DateOnly StartsOn, DateOnly EndsOn, bool Active, bool InForce);

/// <summary>A finding on the person (or one of their grants): the rule as it fired, status, due date and whether it is overdue.</summary>
public sealed record PersonFinding(Guid Id, RuleOutcome Rule, FindingStatus Status, DateTimeOffset DetectedAt, DateOnly DueOn, bool Overdue,
    string Subject);

/// <summary>A signed attestation that covered the person, with what it attested for them.</summary>
public sealed record PersonAttestation(Guid Id, DateTimeOffset SubmittedAt, string SubmittedBy, string Statement, CountryName WorkCountry,
    string WorkCity, IReadOnlyList<CountryName> Citizenships, string ContentHash);

/// <summary>Everything the person page shows except the audit timeline (which is paged: <see cref="PersonWorkspaceQuery.AuditAsync"/>).</summary>
public sealed record PersonWorkspace(PersonSummary Person, IReadOnlyList<FactHistoryEntry> History, IReadOnlyList<PersonGrant> Grants,
    IReadOnlyList<EscortRelation> AsEscort, IReadOnlyList<EscortRelation> AsSupervised, IReadOnlyList<PersonFinding> Findings,
    IReadOnlyList<PersonAttestation> Attestations, int PolicyVersion, DateOnly EvaluatedOn);

/// <summary>One audit event about the person, their grants or their escort assignments, summarised for a timeline.</summary>
public sealed record PersonAuditEntry(long Sequence, DateTimeOffset OccurredAt, string ActorName, string ActorRole, string Operation,
    string SubjectType, string SubjectId, string Subject, string Summary, IReadOnlyList<string> RuleIds);

/// <summary>An escort the picker offers (<see cref="Escorts.EscortCandidatesQuery"/>): same vendor, passing ESCORT-QUALIFIED.</summary>
public sealed record EscortCandidate(Guid Id, string FullName, string EmployeeId, EscortQualification Qualification, CountryName WorkCountry,
    bool UsCitizen, InvestigationTier InvestigationTier)
{
    public override string ToString() => $"{FullName} ({EmployeeId}) — {Words.Of(Qualification)}, {WorkCountry}";
}

/// <summary>
/// The person page's read model (issue 5): header and facts with names, the fact history as old → new with source and
/// actor, grants with the rules failing today (evaluated read-only by the same evaluator and facts loader as the gate),
/// escort relations both ways, findings, attestations, and a paged audit timeline. Vendor-scoped in the query: another
/// vendor's representative gets null, as for a missing person.
/// </summary>
public sealed class PersonWorkspaceQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    public async Task<PersonWorkspace?> GetAsync(Actor actor, Guid personId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var person = await db.People.VisibleTo(actor).SingleOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var vendorName = await db.Vendors.Where(v => v.Id == person.VendorId).Select(v => v.Name).SingleAsync(ct);

        var history = Describe(await db.PersonFactChanges.Where(c => c.PersonId == personId).ToListAsync(ct));

        var (policy, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        var grants = await GrantsAsync(db, personId, new RuleContext(parameters, policy.Number, today) { Now = now }, ct);

        var assignments = await db.EscortAssignments.Where(a => a.EscortId == personId || a.PersonId == personId).ToListAsync(ct);
        var otherIds = assignments.Select(a => a.EscortId == personId ? a.PersonId : a.EscortId).Distinct().ToList();
        var others = await (from p in db.People.VisibleTo(actor)
                            join v in db.Vendors on p.VendorId equals v.Id
                            where otherIds.Contains(p.Id)
                            select new { p.Id, p.FullName, Vendor = v.Name }).ToDictionaryAsync(p => p.Id, ct);
        var systemIds = assignments.Select(a => a.SystemId).Distinct().ToList();
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        EscortRelation? Relation(EscortAssignment a, Guid other) =>
            others.TryGetValue(other, out var o)
                ? new EscortRelation(a.Id, other, o.FullName, o.Vendor, a.SystemId, systems[a.SystemId].Name, systems[a.SystemId].ImpactLevel,
                    a.StartsOn, a.EndsOn, a.Active, a.Active && a.StartsOn <= today && a.EndsOn >= today)
                : null; // the other party is outside the caller's vendor
        var asEscort = assignments.Where(a => a.EscortId == personId).Select(a => Relation(a, a.PersonId)).OfType<EscortRelation>()
            .OrderByDescending(r => r.InForce).ThenByDescending(r => r.StartsOn).ToList();
        var asSupervised = assignments.Where(a => a.PersonId == personId).Select(a => Relation(a, a.EscortId)).OfType<EscortRelation>()
            .OrderByDescending(r => r.InForce).ThenByDescending(r => r.StartsOn).ToList();

        var grantNames = grants.ToDictionary(g => g.Id, g => g.SystemName);
        var findings = (await db.Findings.VisibleTo(actor).Where(f => f.PersonId == personId).ToListAsync(ct))
            .Select(f => new PersonFinding(f.Id, ToOutcome(f), f.Status, f.DetectedAt, f.DueOn, f.IsOpen && f.DueOn < today,
                f.SubjectType == "grant" && grantNames.TryGetValue(f.SubjectId, out var system) ? $"grant on {system}" : Humanize(f.SubjectType).ToLowerInvariant()))
            .OrderByDescending(f => f.Status is FindingStatus.Open or FindingStatus.Acknowledged).ThenBy(f => f.DueOn).ThenByDescending(f => f.DetectedAt)
            .ToList();

        var attested = JsonSerializer.Serialize(new[] { new { personId } }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var attestations = (await db.LocationAttestations
                .Where(a => a.VendorId == person.VendorId && EF.Functions.JsonContains(a.Items, attested))
                .OrderByDescending(a => a.SubmittedAt).ToListAsync(ct))
            .Select(a => (a, item: a.People.Single(i => i.PersonId == personId)))
            .Select(x => new PersonAttestation(x.a.Id, x.a.SubmittedAt, x.a.SubmittedByName, x.a.Statement, CountryName.Of(x.item.WorkCountry),
                x.item.WorkCity, x.item.Citizenships.Select(CountryName.Of).ToList(), x.a.ContentHash))
            .ToList();

        return new PersonWorkspace(Summary(person, vendorName), history, grants, asEscort, asSupervised, findings, attestations, policy.Number, today);
    }

    /// <summary>
    /// The audit events whose subject is the person, one of their grants or one of their escort assignments (as escort or
    /// supervised), newest first unless <see cref="PageRequest.Desc"/> is false with a sort given. Null when the person is
    /// missing or the caller is a vendor representative: the audit trail is for officers, auditors and administrators.
    /// </summary>
    public async Task<PagedResult<PersonAuditEntry>?> AuditAsync(Actor actor, Guid personId, PageRequest page, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        if (!await db.People.VisibleTo(actor).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }
        var grants = await db.Grants.Where(g => g.PersonId == personId)
            .Join(db.Systems, g => g.SystemId, s => s.Id, (g, s) => new { g.Id, s.Name }).ToListAsync(ct);
        // An assignment whose other party the reader may not see (an escort of another vendor or office) is left out, with its events.
        var visible = db.People.VisibleTo(actor).Select(p => p.Id);
        var assignments = await db.EscortAssignments.Where(a => (a.PersonId == personId && visible.Contains(a.EscortId))
                || (a.EscortId == personId && visible.Contains(a.PersonId)))
            .Join(db.Systems, a => a.SystemId, s => s.Id, (a, s) => new { a.Id, s.Name, Escorting = a.EscortId == personId }).ToListAsync(ct);
        var grantIds = grants.Select(g => g.Id.ToString()).ToList();
        var assignmentIds = assignments.Select(a => a.Id.ToString()).ToList();
        var id = personId.ToString();
        // A union of sequence numbers, each lookup on its own index (an import chunk's event through its subject rows), joined
        // on the primary key: one WHERE with an OR over the subject table would read the whole trail.
        var about = db.AuditEvents.Where(e =>
                (e.SubjectType == "person" && e.SubjectId == id) ||
                (e.SubjectType == "grant" && grantIds.Contains(e.SubjectId)) ||
                (e.SubjectType == "escort-assignment" && assignmentIds.Contains(e.SubjectId)))
            .Select(e => e.Sequence)
            .Concat(db.AuditEventSubjects.Where(s => s.SubjectId == id).Select(s => s.Sequence));
        var query = db.AuditEvents.Where(e => about.Contains(e.Sequence));
        var total = await query.CountAsync(ct);
        var oldestFirst = page.Sort is not null && !page.Desc;
        // An import chunk's event holds every person it added: only this person's values are read, turned back into the
        // {"field": {"before": null, "after": …}} of a single person's event (AuditRecorder.Drafts writes them columnar).
        var events = await (oldestFirst ? query.OrderBy(e => e.Sequence) : query.OrderByDescending(e => e.Sequence))
            .Skip(page.Skip).Take(page.SafePageSize)
            .Select(e => new AuditEvent
            {
                Sequence = e.Sequence, OccurredAt = e.OccurredAt, ActorName = e.ActorName, ActorRole = e.ActorRole, Operation = e.Operation,
                EventType = e.EventType, SubjectType = e.SubjectType, SubjectId = e.SubjectId, RuleOutcomes = e.RuleOutcomes,
                Changes = e.EventType == AuditEventTypes.PeopleAdded ? "{}" : e.Changes,
            })
            .ToListAsync(ct);
        var bulk = events.Where(e => e.EventType == AuditEventTypes.PeopleAdded).Select(e => e.Sequence).ToArray();
        var parts = bulk.Length == 0 ? [] : await db.Database
            .SqlQuery<BulkPart>($"""
                SELECT e.sequence AS "Sequence",
                       (SELECT jsonb_object_agg(f.name, jsonb_build_object('before', NULL, 'after', v.value))
                        FROM jsonb_array_elements_text(e.changes -> 'fields') WITH ORDINALITY AS f(name, i)
                        JOIN jsonb_array_elements(e.changes -> 'people' -> {id}) WITH ORDINALITY AS v(value, i) ON v.i = f.i
                        WHERE v.value <> 'null'::jsonb)::text AS "Changes"
                FROM audit_events e WHERE e.sequence = ANY({bulk})
                """)
            .ToDictionaryAsync(p => p.Sequence, p => p.Changes ?? "{}", ct);

        var subjects = grants.ToDictionary(g => g.Id.ToString(), g => $"grant on {g.Name}");
        foreach (var a in assignments)
        {
            subjects[a.Id.ToString()] = a.Escorting ? $"escorting on {a.Name}" : $"escorted on {a.Name}";
        }
        var items = events.Select(e => new PersonAuditEntry(e.Sequence, e.OccurredAt, e.ActorName, Roles.DisplayName(e.ActorRole), e.Operation,
            e.EventType == AuditEventTypes.PeopleAdded ? "person" : e.SubjectType, e.EventType == AuditEventTypes.PeopleAdded ? id : e.SubjectId,
            e.SubjectType == "person" || e.EventType == AuditEventTypes.PeopleAdded ? "person" : subjects.GetValueOrDefault(e.SubjectId, e.SubjectType),
            SummariseChanges(parts.GetValueOrDefault(e.Sequence, e.Changes)), RuleIdsOf(e.RuleOutcomes))).ToList();
        return new PagedResult<PersonAuditEntry>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>The person's grants, newest first; current ones evaluated under the active policy exactly as the gate would.</summary>
    private static async Task<List<PersonGrant>> GrantsAsync(ComplianceDbContext db, Guid personId, RuleContext context, CancellationToken ct)
    {
        var grants = await db.Grants.Where(g => g.PersonId == personId).OrderByDescending(g => g.RequestedAt).ThenBy(g => g.Id).ToListAsync(ct);
        var loaded = await FactsLoader.GrantSubjectsAsync(db, FactsLoader.CurrentGrants(db).Where(g => g.PersonId == personId), context.Today, ct, context);
        var failing = loaded.ToDictionary(l => l.Grant.Id, l => l.WithoutWaived(PolicyEvaluator.Default.Evaluate(l.Subject, context)));
        var systemIds = grants.Select(g => g.SystemId).Distinct().ToList();
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var names = await AccountNamesAsync(db, grants, ct);
        string NameOf(Guid id) => names.GetValueOrDefault(id) ?? "an account no longer on record";
        return grants.Select(g => new PersonGrant(g.Id, g.SystemId, systems[g.SystemId].Name, systems[g.SystemId].ImpactLevel, g.AccessType, g.Escorted,
            g.StartsOn, g.EndsOn, g.Status, g.StatusReason, g.Justification, NameOf(g.RequestedBy), g.RequestedAt,
            g.ApprovedBy is { } approver ? NameOf(approver) : null, failing.GetValueOrDefault(g.Id))).ToList();
    }

    /// <summary>
    /// Display names of the requesters and approvers: the account's current name, or else the name the audit trail
    /// recorded when they acted on these grants (accounts can be removed; the trail keeps who they were).
    /// </summary>
    private static async Task<Dictionary<Guid, string>> AccountNamesAsync(ComplianceDbContext db, List<AccessGrant> grants, CancellationToken ct)
    {
        var ids = grants.Select(g => g.RequestedBy).Concat(grants.Where(g => g.ApprovedBy != null).Select(g => g.ApprovedBy!.Value)).Distinct().ToList();
        var names = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        if (names.Count < ids.Count)
        {
            var grantIds = grants.Select(g => g.Id.ToString()).ToList();
            var actors = await db.AuditEvents.Where(e => e.SubjectType == "grant" && grantIds.Contains(e.SubjectId) && e.ActorUserId != null)
                .Select(e => new { e.ActorUserId, e.ActorName }).Distinct().ToListAsync(ct);
            foreach (var a in actors.Where(a => ids.Contains(a.ActorUserId!.Value)))
            {
                names.TryAdd(a.ActorUserId!.Value, a.ActorName);
            }
        }
        return names;
    }

    private static PersonSummary Summary(Person p, string vendorName) => new(p.Id, p.FullName, p.Email, p.EmployeeId, p.VendorId, vendorName,
        p.EmployerType, p.EmploymentStatus, p.TerminatedOn, p.ScreeningStatus, p.ScreeningMatch, p.Citizenships.Select(CountryName.Of).ToList(),
        CountryName.Of(p.CountryOfBirth), p.UsLawfulPermanentResident, p.IsUsPerson, CountryName.Of(p.WorkCountry), p.WorkCity, p.InvestigationTier,
        p.AdjudicatedOn, p.ContinuousVetting, p.Clearance, p.NdaSignedOn, p.EscortQualification, p.EscortTrainingOn, p.LocationAttestedOn);

    /// <summary>
    /// The history newest first, each change with the value it replaced: the previous change of the same fact in
    /// effective order (for equal effective dates, the one recorded earlier). The first record of a fact replaced nothing.
    /// </summary>
    private static List<FactHistoryEntry> Describe(List<PersonFactChange> changes)
    {
        var entries = new List<FactHistoryEntry>();
        foreach (var fact in changes.GroupBy(c => c.Attribute))
        {
            string? before = null;
            foreach (var c in fact.OrderBy(c => c.EffectiveOn).ThenBy(c => c.RecordedAt).ThenBy(c => c.Id))
            {
                var after = FormatValue(c.Attribute, c.Value);
                entries.Add(new FactHistoryEntry(c.EffectiveOn, c.Attribute, FieldName(c.Attribute), before, after, c.Source,
                    c.RecordedByName.Length == 0 ? "unknown" : c.RecordedByName, c.RecordedAt));
                before = after;
            }
        }
        return entries.OrderByDescending(e => e.EffectiveOn).ThenByDescending(e => e.RecordedAt).ThenBy(e => e.Field, StringComparer.Ordinal).ToList();
    }

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["employeeId"] = "Employee id",
        ["usLawfulPermanentResident"] = "US lawful permanent resident",
        ["ndaSignedOn"] = "NDA signed on",
        ["locationAttestedOn"] = "Location last attested on",
        ["workCountry"] = "Work country",
        ["workCity"] = "Work city",
    };

    private static readonly HashSet<string> CountryFields = new(StringComparer.Ordinal) { "citizenships", "countryOfBirth", "workCountry" };

    /// <summary>"investigationTier" → "Investigation tier".</summary>
    public static string FieldName(string attribute) =>
        FieldNames.TryGetValue(attribute, out var name) ? name : Humanize(attribute.Length == 0 ? attribute : char.ToUpperInvariant(attribute[0]) + attribute[1..]);

    /// <summary>A stored fact value (JSON text) as people read it: countries with their names, yes/no, enum names spaced.</summary>
    public static string? FormatValue(string attribute, string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        var value = document.RootElement;
        string Text(string s) => CountryFields.Contains(attribute) ? CountryName.Of(s).ToString() : Humanize(s);
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.String when attribute is "fullName" or "email" or "employeeId" or "workCity" or "screeningMatch" => value.GetString(),
            JsonValueKind.String => Text(value.GetString()!),
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? Text(v.GetString()!) : v.GetRawText())),
            _ => value.GetRawText(),
        };
    }

    /// <summary>"VendorEmployee" → "Vendor employee"; codes and dates are left as they are.</summary>
    public static string Humanize(string value)
    {
        if (value.Length < 3 || value.All(c => !char.IsLower(c)) || !char.IsUpper(value[0]))
        {
            return value;
        }
        var spaced = new System.Text.StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            if (i > 0 && char.IsUpper(value[i]) && char.IsLower(value[i - 1]))
            {
                spaced.Append(' ').Append(char.ToLowerInvariant(value[i]));
            }
            else
            {
                spaced.Append(value[i]);
            }
        }
        return spaced.ToString();
    }

    private static RuleOutcome ToOutcome(Finding f) => new(f.RuleId, f.Severity, f.SubjectType, f.SubjectId, f.Message,
        JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [], f.Citation, f.PolicyVersion);

    /// <summary>An audit event's before/after values in one line: "status: Active → Suspended; statusReason: … ".</summary>
    private static string SummariseChanges(string changes)
    {
        using var document = JsonDocument.Parse(changes);
        // Keys and values in words ("Employer: Vendor employee; Citizenships: China (CN)"), as the rest of the page reads.
        static string Show(string key, JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "—",
            JsonValueKind.String when IsMoment(e.GetString(), out var at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC",
            JsonValueKind.String or JsonValueKind.Array or JsonValueKind.True or JsonValueKind.False => Clip(Words.FactValue(key, e)),
            _ => Clip(e.GetRawText()),
        };
        // Record keys, versions and references by id say nothing to a reader in a one-line summary: the subject is named
        // beside it, and the event's own page (the audit trail) names every referenced record.
        static bool IsReference(string key, JsonElement before, JsonElement after) =>
            key is "id" or "version" or "rowVersion" || (IsIdOrNothing(before) && IsIdOrNothing(after) && (IsId(before) || IsId(after)));
        static bool IsId(JsonElement e) => e.ValueKind == JsonValueKind.String && Guid.TryParse(e.GetString(), out _);
        static bool IsIdOrNothing(JsonElement e) => e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || IsId(e);
        var parts = new List<string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var before = property.Value.TryGetProperty("before", out var b) ? b : default;
            var after = property.Value.TryGetProperty("after", out var a) ? a : default;
            if (IsReference(property.Name, before, after))
            {
                continue;
            }
            var field = Words.Field(property.Name);
            parts.Add(before.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? $"{field}: {Show(property.Name, after)}"
                : $"{field}: {Show(property.Name, before)} → {Show(property.Name, after)}");
        }
        return string.Join("; ", parts);
    }

    /// <summary>A stored moment ("2026-12-06T19:45:19.31+00:00"), not a date alone ("2026-12-06", which stays as it is).</summary>
    private static bool IsMoment(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is { Length: > 10 } && text[10] == 'T'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static string Clip(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 79), "…");

    private static List<string> RuleIdsOf(string outcomes)
    {
        using var document = JsonDocument.Parse(outcomes);
        return document.RootElement.ValueKind != JsonValueKind.Array
            ? []
            : document.RootElement.EnumerateArray()
                .Select(o => o.TryGetProperty("ruleId", out var id) ? id.GetString() : null).OfType<string>().Distinct().ToList();
    }
}

/// <summary>One person's part of an import chunk's audit event (its key in the event's changes object).</summary>
internal sealed class BulkPart
{
    public long Sequence { get; set; }
    public string? Changes { get; set; }
}
