using System.Runtime.CompilerServices;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Requests;

/// <summary>Which grant requests to list: those waiting, those decided (active, suspended, revoked or expired), or all.</summary>
public enum GrantRequestState { All, Pending, Granted, Ended }

/// <summary>A grant as its requester follows it: who asked, for whom, and where it stands now (with the officer's reason).</summary>
public sealed record GrantRequestRow(Guid GrantId, Guid PersonId, string PersonName, string EmployeeId, Guid SystemId, string SystemName,
    ImpactLevel ImpactLevel, AccessType AccessType, bool Escorted, DateOnly StartsOn, DateOnly? EndsOn, GrantStatus Status, string? StatusReason,
    string? Justification, string RequestedBy, DateTimeOffset RequestedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, Guid VendorId, string VendorName);

/// <summary>An escort request with the names of the people and the system.</summary>
public sealed record EscortRequestRow(EscortRequestView Request, string VendorName, string EscortName, string PersonName, string SystemName);

/// <summary>One rule a refused request failed.</summary>
public sealed record RefusedRule(string RuleId, string Severity, string Message, string Citation);

/// <summary>
/// A request the policy refused: nothing of it was written, the refusal is in the audit trail with what was asked and the
/// rules it failed. Read back from there.
/// </summary>
public sealed record RefusedRequestRow(long Sequence, DateTimeOffset OccurredAt, string ActorName, string Operation, string SubjectType,
    Guid? PersonId, string? PersonName, Guid? EscortId, string? EscortName, string? SystemName, string? AccessType, DateOnly? StartsOn, DateOnly? EndsOn,
    IReadOnlyList<RefusedRule> Rules);

/// <summary>
/// The access requests a representative follows (DESIGN.md: "request a grant or escort for their staff; see pending,
/// approved and refused requests with the rule reasons"): grants of their people, escort requests, and the refused
/// attempts made from their vendor. Officers and auditors read every vendor's (optionally one vendor's).
/// </summary>
public sealed class AccessRequestsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<GrantRequestRow>> GrantsAsync(Actor actor, GrantRequestState state, string? search, Guid? vendorId, PageRequest page,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Grants(db, actor, state, search, vendorId);
        var total = await query.CountAsync(ct);
        var rows = await Sorted(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<GrantRequestRow>(await GrantRowsAsync(db, rows, ct), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Every grant request of the Grants tab with its filters, in its sort, streamed in batches (see <see cref="StreamedBatches"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<GrantRequestRow>> ExportGrantsAsync(Actor actor, GrantRequestState state, string? search, Guid? vendorId,
        string? sort, bool desc, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var side = await contexts.CreateDbContextAsync(ct);
        await foreach (var batch in StreamedBatches.ReadAsync(Sorted(Grants(db, actor, state, search, vendorId), sort, desc),
                           (rows, c) => GrantRowsAsync(side, rows, c), ct))
        {
            yield return batch;
        }
    }

    /// <summary>A grant with the names the Grants tab shows (settable members, so that EF can filter and sort on them).</summary>
    private sealed class GrantItem
    {
        public required AccessGrant Grant { get; init; }
        public required string FullName { get; init; }
        public required string EmployeeId { get; init; }
        public required string SystemName { get; init; }
        public required ImpactLevel ImpactLevel { get; init; }
        public required Guid VendorId { get; init; }
        public required string VendorName { get; init; }
    }

    private static IQueryable<GrantItem> Grants(ComplianceDbContext db, Actor actor, GrantRequestState state, string? search, Guid? vendorId)
    {
        var people = db.People.AsNoTracking().VisibleTo(actor);
        if (vendorId is { } vendor)
        {
            people = people.Where(p => p.VendorId == vendor);
        }
        if (LikePatterns.Containing(search) is { } like)
        {
            people = people.Where(p => EF.Functions.ILike(p.FullName, like, "\\") || EF.Functions.ILike(p.EmployeeId, like, "\\"));
        }
        var query = from g in db.Grants.AsNoTracking()
                    join p in people on g.PersonId equals p.Id
                    join s in db.Systems.AsNoTracking() on g.SystemId equals s.Id
                    join v in db.Vendors.AsNoTracking() on p.VendorId equals v.Id
                    select new GrantItem
                    {
                        Grant = g, FullName = p.FullName, EmployeeId = p.EmployeeId, SystemName = s.Name, ImpactLevel = s.ImpactLevel,
                        VendorId = p.VendorId, VendorName = v.Name,
                    };
        return state switch
        {
            GrantRequestState.Pending => query.Where(x => x.Grant.Status == GrantStatus.PendingApproval),
            GrantRequestState.Granted => query.Where(x => x.Grant.Status == GrantStatus.Active || x.Grant.Status == GrantStatus.Suspended),
            GrantRequestState.Ended => query.Where(x => x.Grant.Status == GrantStatus.Revoked || x.Grant.Status == GrantStatus.Expired),
            _ => query,
        };
    }

    private static IQueryable<GrantItem> Sorted(IQueryable<GrantItem> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("personname", false) => query.OrderBy(x => x.FullName).ThenBy(x => x.Grant.Id),
        ("personname", true) => query.OrderByDescending(x => x.FullName).ThenBy(x => x.Grant.Id),
        ("systemname", false) => query.OrderBy(x => x.SystemName).ThenBy(x => x.Grant.Id),
        ("systemname", true) => query.OrderByDescending(x => x.SystemName).ThenBy(x => x.Grant.Id),
        ("status", false) => query.OrderBy(x => x.Grant.Status).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        ("status", true) => query.OrderByDescending(x => x.Grant.Status).ThenByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        ("requestedat", false) => query.OrderBy(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
        _ => query.OrderByDescending(x => x.Grant.RequestedAt).ThenBy(x => x.Grant.Id),
    };

    /// <summary>The rows of <paramref name="rows"/>, with the requesters' and approvers' names read for the batch in one query.</summary>
    private static async Task<IReadOnlyList<GrantRequestRow>> GrantRowsAsync(ComplianceDbContext db, IReadOnlyList<GrantItem> rows, CancellationToken ct)
    {
        var names = await AccountNamesAsync(db, rows.Select(r => r.Grant.RequestedBy)
            .Concat(rows.Where(r => r.Grant.ApprovedBy != null).Select(r => r.Grant.ApprovedBy!.Value)), ct);
        return rows.Select(r =>
        {
            var g = r.Grant;
            return new GrantRequestRow(g.Id, g.PersonId, r.FullName, r.EmployeeId, g.SystemId, r.SystemName, r.ImpactLevel,
                g.AccessType, g.Escorted, g.StartsOn, g.EndsOn, g.Status, g.StatusReason, g.Justification, names.GetValueOrDefault(g.RequestedBy, "—"),
                g.RequestedAt, g.ApprovedBy is { } a ? names.GetValueOrDefault(a, "—") : null, g.ApprovedAt, r.VendorId, r.VendorName);
        }).ToList();
    }

    public async Task<PagedResult<EscortRequestRow>> EscortRequestsAsync(Actor actor, EscortRequestStatus? status, Guid? vendorId, PageRequest page,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var requests = db.EscortRequests.AsNoTracking().VisibleTo(actor);
        if (vendorId is { } vendor)
        {
            requests = requests.Where(r => r.VendorId == vendor);
        }
        if (status is { } s)
        {
            requests = requests.Where(r => r.Status == s);
        }
        var total = await requests.CountAsync(ct);
        var ordered = page.Sort?.ToLowerInvariant() == "requestedat" && !page.Desc
            ? requests.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id)
            : requests.OrderByDescending(r => r.RequestedAt).ThenBy(r => r.Id);
        var rows = await (from r in ordered.Skip(page.Skip).Take(page.SafePageSize)
                          select new
                          {
                              Request = r,
                              Vendor = db.Vendors.Where(v => v.Id == r.VendorId).Select(v => v.Name).First(),
                              Escort = db.People.Where(p => p.Id == r.EscortId).Select(p => p.FullName).First(),
                              Person = db.People.Where(p => p.Id == r.PersonId).Select(p => p.FullName).First(),
                              System = db.Systems.Where(x => x.Id == r.SystemId).Select(x => x.Name).First(),
                          }).ToListAsync(ct);
        var items = rows.Select(r => new EscortRequestRow(EscortRequestView.From(r.Request), r.Vendor, r.Escort, r.Person, r.System)).ToList();
        return new PagedResult<EscortRequestRow>(items, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>Refused grant, escort and escort-request decisions; a representative sees those made from their own vendor.</summary>
    public async Task<PagedResult<RefusedRequestRow>> RefusalsAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.EventType == AuditEventTypes.AccessDecisionRefused);
        if (actor.IsVendorRepresentative)
        {
            events = events.Where(e => e.ActorVendorId == actor.VendorId);
        }
        else if (actor.VisibleVendorIds is { } vendors)
        {
            // An officer or auditor of a contracting office: refusals made for, or about people of, the vendors it holds (ADR 0028).
            var visible = db.People.VisibleTo(actor).Select(p => p.Id.ToString());
            events = events.Where(e => (e.ActorVendorId != null && vendors.Contains(e.ActorVendorId.Value)) || visible.Contains(e.SubjectId));
        }
        var total = await events.CountAsync(ct);
        var rows = await events.OrderByDescending(e => e.Sequence).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var requests = rows.Select(e => (Event: e, Request: ReadRequest(e.Changes))).ToList();
        var personIds = requests.SelectMany(r => new[] { r.Request.GetValueOrDefault("personId"), r.Request.GetValueOrDefault("escortId") })
            .Select(v => Guid.TryParse(v, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var people = await db.People.AsNoTracking().VisibleTo(actor).Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var systemIds = requests.Select(r => Guid.TryParse(r.Request.GetValueOrDefault("systemId"), out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var items = requests.Select(r =>
        {
            Guid? Id(string key) => Guid.TryParse(r.Request.GetValueOrDefault(key), out var id) ? id : null;
            DateOnly? Date(string key) => DateOnly.TryParse(r.Request.GetValueOrDefault(key), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
            var person = Id("personId");
            var escort = Id("escortId");
            var system = Id("systemId");
            return new RefusedRequestRow(r.Event.Sequence, r.Event.OccurredAt, r.Event.ActorName, r.Event.Operation, r.Event.SubjectType,
                person, person is { } p ? people.GetValueOrDefault(p) : null, escort, escort is { } e ? people.GetValueOrDefault(e) : null,
                system is { } s ? systems.GetValueOrDefault(s) : null, r.Request.GetValueOrDefault("accessType"), Date("startsOn"), Date("endsOn"),
                ReadRules(r.Event.RuleOutcomes));
        }).ToList();
        return new PagedResult<RefusedRequestRow>(items, page.SafePage, page.SafePageSize, total);
    }

    private static Dictionary<string, string> ReadRequest(string changes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(changes);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("after", out var after)
                && after.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                result[property.Name] = after.ValueKind == JsonValueKind.String ? after.GetString()! : after.GetRawText();
            }
        }
        return result;
    }

    private static List<RefusedRule> ReadRules(string outcomes)
    {
        using var json = JsonDocument.Parse(outcomes);
        return json.RootElement.EnumerateArray().Select(o => new RefusedRule(
            Text(o, "ruleId"), Text(o, "severity"), Text(o, "message"), Text(o, "citation"))).ToList();

        static string Text(JsonElement o, string name) =>
            o.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v
                ? v.GetString()! : "";
    }

    private static async Task<Dictionary<Guid, string>> AccountNamesAsync(ComplianceDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }
}
