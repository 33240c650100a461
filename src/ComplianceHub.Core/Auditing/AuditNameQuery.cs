using System.Collections.Frozen;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// The names of the records an audit event refers to by id — the people, systems, vendors, grants, contracts, offices, policy
/// versions, findings and accounts in its changes and its subject — as far as the reader may see them. A value with no name here
/// (not a reference, no longer on record, or about a vendor outside the reader's offices) is shown as recorded.
/// </summary>
public sealed class AuditNames
{
    /// <summary>No names at all (every value shown as recorded).</summary>
    public static AuditNames None { get; } = new(new Dictionary<(string, Guid), string>());

    private readonly IReadOnlyDictionary<(string Kind, Guid Id), string> names;

    internal AuditNames(IReadOnlyDictionary<(string Kind, Guid Id), string> names) => this.names = names;

    /// <summary>How many records were named.</summary>
    public int Count => names.Count;

    /// <summary>The name of the record <paramref name="value"/> refers to as the value of <paramref name="field"/>; null when none.</summary>
    public string? Of(string field, string? value) =>
        KindOfField(field) is { } kind && Guid.TryParse(value, out var id) && names.TryGetValue((kind, id), out var name) ? name : null;

    /// <summary>The names of a field's value (one id, or a list of ids, as stored), joined; null unless every id has a name.</summary>
    public string? Of(string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return Of(field, value.GetString());
        }
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return null;
        }
        var each = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? Of(field, v.GetString()) : null).ToList();
        return each.All(n => n is not null) ? string.Join(", ", each) : null;
    }

    /// <summary>The name of an event's subject (a system, a contract, an account …); null when it has none or the reader may not see it.</summary>
    public string? OfSubject(string subjectType, string subjectId) =>
        SubjectKinds.TryGetValue(subjectType, out var kind) && Guid.TryParse(subjectId, out var id) && names.TryGetValue((kind, id), out var name) ? name : null;

    // ---- Which fields refer to what ---------------------------------------------------------------------------------

    internal const string Person = "person", System = "system", Vendor = "vendor", Grant = "grant", Contract = "contract", Office = "office",
        Policy = "policy", Finding = "finding", Account = "account";

    private static readonly FrozenDictionary<string, string> FieldKinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["personId"] = Person, ["escortId"] = Person, ["escortPersonId"] = Person, ["escortedPersonId"] = Person, ["supervisedPersonId"] = Person,
        ["systemId"] = System, ["systemIds"] = System,
        ["vendorId"] = Vendor, ["actorVendorId"] = Vendor,
        ["grantId"] = Grant, ["lastGrantId"] = Grant,
        ["contractId"] = Contract,
        ["officeId"] = Office,
        ["policyVersionId"] = Policy, ["evaluatedUnder"] = Policy,
        ["findingId"] = Finding,
        ["userId"] = Account, ["ownerUserId"] = Account, ["actorUserId"] = Account, ["responsibleOfficerIds"] = Account,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> SubjectKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["person"] = Person, ["cloud-system"] = System, ["vendor"] = Vendor, ["grant"] = Grant, ["contract"] = Contract,
        ["contracting-office"] = Office, ["policy-version"] = Policy, ["finding"] = Finding, ["account"] = Account,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The kind of record a field's value refers to: the fields above, and every "…By" of an account (<c>requestedBy</c>).</summary>
    internal static string? KindOfField(string field) =>
        FieldKinds.TryGetValue(field, out var kind) ? kind
        : field.Length > 2 && field.EndsWith("By", StringComparison.Ordinal) ? Account
        : null;

    internal static string? KindOfSubject(string subjectType) => SubjectKinds.GetValueOrDefault(subjectType);
}

/// <summary>
/// Resolves the ids an audit event, or a page of events, refers to into <see cref="AuditNames"/>: collects them from the changes
/// (before and after) and the subjects, then one query per kind of record, each limited to the reader's vendors (people, grants,
/// contracts, findings, vendors, and the accounts of vendor representatives). Auditors and administrators only, as the trail.
/// </summary>
public sealed class AuditNameQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The names of what <paramref name="events"/> refer to, as <paramref name="actor"/> may see them.</summary>
    public async Task<AuditNames> ResolveAsync(Actor actor, IReadOnlyList<AuditEventView> events, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("The audit trail is for auditors and administrators.");
        }
        var ids = Collect(events);
        if (ids.Count == 0)
        {
            return AuditNames.None;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var visible = actor.VisibleVendorIds;
        var names = new Dictionary<(string, Guid), string>();
        void Add(string kind, IEnumerable<(Guid Id, string Name)> rows)
        {
            foreach (var (id, name) in rows)
            {
                names[(kind, id)] = name;
            }
        }
        Guid[] Of(string kind) => ids.TryGetValue(kind, out var set) ? [.. set] : [];

        if (Of(AuditNames.Person) is { Length: > 0 } people)
        {
            Add(AuditNames.Person, (await db.People.AsNoTracking().Where(p => people.Contains(p.Id) && (visible == null || visible.Contains(p.VendorId)))
                .Select(p => new { p.Id, p.FullName }).ToListAsync(ct)).Select(p => (p.Id, p.FullName)));
        }
        if (Of(AuditNames.System) is { Length: > 0 } systems)
        {
            Add(AuditNames.System, (await db.Systems.AsNoTracking().Where(s => systems.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct))
                .Select(s => (s.Id, s.Name)));
        }
        if (Of(AuditNames.Vendor) is { Length: > 0 } vendors)
        {
            Add(AuditNames.Vendor, (await db.Vendors.AsNoTracking().Where(v => vendors.Contains(v.Id) && (visible == null || visible.Contains(v.Id)))
                .Select(v => new { v.Id, v.Name }).ToListAsync(ct)).Select(v => (v.Id, v.Name)));
        }
        if (Of(AuditNames.Grant) is { Length: > 0 } grants)
        {
            var rows = await db.Grants.AsNoTracking().Where(g => grants.Contains(g.Id))
                .Join(db.People, g => g.PersonId, p => p.Id, (g, p) => new { g.Id, g.AccessType, g.SystemId, Person = p.FullName, p.VendorId })
                .Where(r => visible == null || visible.Contains(r.VendorId))
                .Join(db.Systems, r => r.SystemId, s => s.Id, (r, s) => new { r.Id, r.AccessType, r.Person, System = s.Name })
                .ToListAsync(ct);
            Add(AuditNames.Grant, rows.Select(r => (r.Id, $"{Words.Of(r.AccessType)} access to {r.System} for {r.Person}")));
        }
        if (Of(AuditNames.Contract) is { Length: > 0 } contracts)
        {
            Add(AuditNames.Contract, (await db.Contracts.AsNoTracking().Where(c => contracts.Contains(c.Id) && (visible == null || visible.Contains(c.VendorId)))
                .Select(c => new { c.Id, c.Number, c.Title }).ToListAsync(ct)).Select(c => (c.Id, $"{c.Number} ({c.Title})")));
        }
        if (Of(AuditNames.Office) is { Length: > 0 } offices)
        {
            Add(AuditNames.Office, (await db.ContractingOffices.AsNoTracking().Where(o => offices.Contains(o.Id)).Select(o => new { o.Id, o.Code, o.Name }).ToListAsync(ct))
                .Select(o => (o.Id, $"{o.Name} ({o.Code})")));
        }
        if (Of(AuditNames.Policy) is { Length: > 0 } policies)
        {
            Add(AuditNames.Policy, (await db.PolicyVersions.AsNoTracking().Where(p => policies.Contains(p.Id)).Select(p => new { p.Id, p.Number, p.Name }).ToListAsync(ct))
                .Select(p => (p.Id, $"Policy version {p.Number} ({p.Name})")));
        }
        if (Of(AuditNames.Finding) is { Length: > 0 } findings)
        {
            var rows = await db.Findings.AsNoTracking().Where(f => findings.Contains(f.Id) && (visible == null || visible.Contains(f.VendorId)))
                .Join(db.People, f => f.PersonId, p => p.Id, (f, p) => new { f.Id, f.RuleId, Person = p.FullName }).ToListAsync(ct);
            Add(AuditNames.Finding, rows.Select(r => (r.Id, $"{r.RuleId} finding for {r.Person}")));
        }
        if (Of(AuditNames.Account) is { Length: > 0 } accounts)
        {
            // An officer's, auditor's or administrator's name is on every event they cause; a representative's only within their vendor.
            Add(AuditNames.Account, (await db.Users.AsNoTracking()
                    .Where(u => accounts.Contains(u.Id) && (visible == null || u.VendorId == null || visible.Contains(u.VendorId.Value)))
                    .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
                .Select(u => (u.Id, u.DisplayName)));
        }
        return new AuditNames(names);
    }

    /// <summary>The ids per kind of record: every reference field of the changes (before and after, single ids or lists) and the subjects.</summary>
    private static Dictionary<string, HashSet<Guid>> Collect(IReadOnlyList<AuditEventView> events)
    {
        var ids = new Dictionary<string, HashSet<Guid>>(StringComparer.Ordinal);
        void Add(string kind, string? value)
        {
            if (Guid.TryParse(value, out var id) && id != Guid.Empty)
            {
                (ids.TryGetValue(kind, out var set) ? set : ids[kind] = []).Add(id);
            }
        }
        void AddValue(string kind, JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                Add(kind, value.GetString());
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                {
                    Add(kind, item.GetString());
                }
            }
        }
        foreach (var e in events)
        {
            if (AuditNames.KindOfSubject(e.SubjectType) is { } subjectKind)
            {
                Add(subjectKind, e.SubjectId);
            }
            if (e.Changes.ValueKind != JsonValueKind.Object || e.EventType == AuditEventTypes.PeopleAdded)
            {
                continue;
            }
            foreach (var field in e.Changes.EnumerateObject())
            {
                if (AuditNames.KindOfField(field.Name) is not { } kind)
                {
                    continue;
                }
                if (field.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var side in field.Value.EnumerateObject())
                    {
                        AddValue(kind, side.Value);
                    }
                }
                else
                {
                    AddValue(kind, field.Value);
                }
            }
        }
        return ids;
    }
}
