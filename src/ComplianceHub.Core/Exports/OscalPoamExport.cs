using System.Data;
using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// What an OSCAL POA&amp;M export covers: one vendor, one system, both, or neither (the portfolio the actor may see), and whether
/// closed findings (remediated or closed) are listed beside the open, acknowledged and waived ones.
/// </summary>
public sealed record OscalPoamRequest(Guid? VendorId = null, Guid? SystemId = null, bool IncludeClosed = false);

/// <summary>The scope of an export once resolved for the actor: the vendor's and the system's names, when the request named them.</summary>
public sealed record OscalPoamScope(OscalPoamRequest Request, string? VendorName, CloudSystem? System)
{
    /// <summary>The scope in words, for the document's title: "Acme Cloud Services on Navy Personnel Records (IL5)".</summary>
    public string Words(Actor actor)
    {
        var whose = VendorName ?? (actor.IsVendorRepresentative ? actor.VendorName ?? "your vendor"
            : actor.OfficeName is { } office ? $"every vendor of {office}" : "every vendor");
        return System is { } s ? $"{whose} on {s.Name} ({Common.Words.Of(s.ImpactLevel)})" : $"{whose}, every system";
    }
}

/// <summary>
/// Exports findings as an OSCAL 1.0.6 Plan of Action and Milestones in JSON (ADR 0038), streamed: the document is written with a
/// <see cref="Utf8JsonWriter"/> straight into the output while the findings are read from the database as they come off the wire,
/// sent on every <see cref="FlushBytes"/> bytes, so memory holds one entry and a buffer whatever the portfolio's size. All reads run in
/// one read-only repeatable-read transaction (one snapshot): the parties, the components, the observations, the risks and the
/// POA&amp;M items that a finding produces always agree. Each finding becomes an observation (what the rule saw), a risk (the rule's
/// title, the sentence with its facts, the status and deadline, the waiver or answer given) and a POA&amp;M item linking both; their
/// UUIDs are derived from the finding's id (<see cref="OscalIds"/>). Findings are scoped to the actor as the Findings page scopes
/// them (a representative their own vendor's, an officer or auditor of an office its vendors'). A completed export is audit event
/// <see cref="AuditEventTypes.Export"/> with kind <c>oscal-poam</c>, like every other export.
/// </summary>
public sealed class OscalPoamExport(IDbContextFactory<ComplianceDbContext> contexts, AuditNotes notes, TimeProvider clock)
{
    /// <summary>The OSCAL version the documents declare and validate against.</summary>
    public const string OscalVersion = "1.0.6";

    /// <summary>The export's kind in the audit trail (event 8100's <c>kind</c>).</summary>
    public const string Kind = "oscal-poam";

    private const string Ns = OscalIds.PropertyNamespace;

    /// <summary>How much written JSON the writer holds before it is sent on (an entry is a few kilobytes).</summary>
    private const int FlushBytes = 64 * 1024;

    /// <summary>
    /// The scope of <paramref name="request"/> for <paramref name="actor"/>, or null when its vendor is unknown or out of the actor's
    /// sight, or its system unknown (the caller answers 404, as for any record that does not exist).
    /// </summary>
    public async Task<OscalPoamScope?> ScopeAsync(Actor actor, OscalPoamRequest request, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        string? vendorName = null;
        if (request.VendorId is { } vendorId)
        {
            vendorName = await db.Vendors.AsNoTracking().VisibleTo(actor).Where(v => v.Id == vendorId).Select(v => v.Name).SingleOrDefaultAsync(ct);
            if (vendorName is null)
            {
                return null;
            }
        }
        CloudSystem? system = null;
        if (request.SystemId is { } systemId)
        {
            system = await db.Systems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == systemId, ct);
            if (system is null)
            {
                return null;
            }
        }
        return new OscalPoamScope(request, vendorName, system);
    }

    /// <summary><c>poam-20261206-2215.json</c>: the UTC minute the export started.</summary>
    public static string FileName(DateTimeOffset at) => $"poam-{at.UtcDateTime:yyyyMMdd-HHmm}.json";

    /// <summary>The file name an export started now gets.</summary>
    public string FileName() => FileName(clock.GetUtcNow());

    /// <summary>Writes the document to <paramref name="output"/> (which need not be seekable) and then records the export in the audit trail.</summary>
    public async Task<ExportResult> WriteAsync(Actor actor, OscalPoamScope scope, Stream output, CancellationToken ct = default)
    {
        var at = clock.GetUtcNow();
        await using var hashing = new HashingStream(output);
        long items;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            // One snapshot for every pass, read only: it holds no lock a writer waits for.
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", ct);
            await using (var writer = new Utf8JsonWriter(hashing))
            {
                items = await new Document(db, actor, scope, at, writer, ct).WriteAsync();
            }
            await transaction.CommitAsync(ct);
        }
        await hashing.FlushAsync(ct);
        var fileName = FileName(at);
        var sha256 = hashing.Sha256();
        // The file has left in full: the record of it must not be lost to a client that disconnects now.
        var recorded = await notes.AppendAsync(actor, "export", AuditEventTypes.Export, "export", Guid.CreateVersion7().ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["kind"] = Kind,
                ["format"] = "json",
                ["filters"] = Filters(scope.Request),
                ["rows"] = items,
                ["bytes"] = hashing.Written,
                ["sha256"] = sha256,
                ["fileName"] = fileName,
            }), ct: CancellationToken.None);
        return new ExportResult(fileName, items, hashing.Written, sha256, recorded.Sequence);
    }

    private static Dictionary<string, string> Filters(OscalPoamRequest request)
    {
        var filters = new Dictionary<string, string>();
        if (request.VendorId is { } vendor) { filters["vendorId"] = vendor.ToString(); }
        if (request.SystemId is { } system) { filters["systemId"] = system.ToString(); }
        if (request.IncludeClosed) { filters["includeClosed"] = "true"; }
        return filters;
    }

    /// <summary>The findings of the scope, visible to the actor: open, acknowledged and waived, and closed ones when asked for.</summary>
    internal static IQueryable<Finding> Findings(ComplianceDbContext db, Actor actor, OscalPoamRequest request)
    {
        var findings = db.Findings.AsNoTracking().VisibleTo(actor);
        if (request.VendorId is { } vendor) { findings = findings.Where(f => f.VendorId == vendor); }
        if (!request.IncludeClosed)
        {
            findings = findings.Where(f => f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged || f.Status == FindingStatus.Waived);
        }
        if (request.SystemId is { } system)
        {
            findings = findings.Where(f => db.Grants.Any(g => g.Id == f.SubjectId && g.SystemId == system)
                || db.EscortAssignments.Any(a => a.Id == f.SubjectId && a.SystemId == system)
                || db.EscortedSessions.Any(s => s.Id == f.SubjectId && s.SystemId == system));
        }
        return findings;
    }

    /// <summary>A finding with what its entries name: the person, the vendor, the system of its subject and its latest waiver.</summary>
    private sealed class Item
    {
        public required Finding Finding { get; init; }
        public required string PersonName { get; init; }
        public required string VendorName { get; init; }
        public Guid? SystemId { get; init; }
        public WaiverPart? Waiver { get; init; }
    }

    private sealed class WaiverPart
    {
        public required Guid Id { get; init; }
        public required WaiverStatus Status { get; init; }
        public required DateOnly ExpiresOn { get; init; }
        public required string Justification { get; init; }
        public required DateTimeOffset RequestedAt { get; init; }
        public DateTimeOffset? ApprovedAt { get; init; }
    }

    /// <summary>One document being written: the passes over the snapshot, in the order the schema's properties are written.</summary>
    private sealed class Document(ComplianceDbContext db, Actor actor, OscalPoamScope scope, DateTimeOffset at, Utf8JsonWriter w, CancellationToken ct)
    {
        private readonly IQueryable<Finding> findings = Findings(db, actor, scope.Request);
        private Dictionary<Guid, CloudSystem> systems = [];

        public async Task<long> WriteAsync()
        {
            var vendors = await db.Vendors.AsNoTracking()
                .Where(v => findings.Select(f => f.VendorId).Contains(v.Id) || v.Id == scope.Request.VendorId)
                .OrderBy(v => v.Name).Select(v => new { v.Id, v.Name }).ToListAsync(ct);
            var subjects = findings.Select(f => f.SubjectId);
            var systemIds = db.Grants.Where(g => subjects.Contains(g.Id)).Select(g => g.SystemId)
                .Union(db.EscortAssignments.Where(a => subjects.Contains(a.Id)).Select(a => a.SystemId))
                .Union(db.EscortedSessions.Where(s => subjects.Contains(s.Id)).Select(s => s.SystemId));
            systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id) || s.Id == scope.Request.SystemId)
                .OrderBy(s => s.Name).ToDictionaryAsync(s => s.Id, ct);

            w.WriteStartObject();
            w.WriteStartObject("plan-of-action-and-milestones");
            // A fresh random UUID per document; everything inside that stands for a record has a stable one (OscalIds).
            w.WriteString("uuid", Guid.NewGuid());
            w.WriteStartObject("metadata");
            w.WriteString("title", $"Plan of action and milestones: personnel access findings of {scope.Words(actor)}");
            w.WriteString("last-modified", Instant(at));
            w.WriteString("version", Instant(at));
            w.WriteString("oscal-version", OscalVersion);
            w.WriteStartArray("props");
            Prop("export-scope", scope.Request switch
            {
                { VendorId: not null, SystemId: not null } => "vendor-and-system",
                { VendorId: not null } => "vendor",
                { SystemId: not null } => "system",
                _ => "portfolio",
            });
            Prop("findings-listed", scope.Request.IncludeClosed ? "all" : "open-acknowledged-waived",
                scope.Request.IncludeClosed ? "Every finding, closed ones too." : "Open, acknowledged and waived findings; closed and remediated ones are left out.");
            w.WriteEndArray();
            w.WriteStartArray("roles");
            Role("prepared-by", "Prepared by");
            Role("vendor", "Vendor whose personnel the findings are about");
            Role("person", "Person a finding is about");
            w.WriteEndArray();
            w.WriteStartArray("parties");
            w.WriteStartObject();
            w.WriteString("uuid", OscalIds.Portal);
            w.WriteString("type", "organization");
            w.WriteString("name", "ComplianceHub");
            w.WriteString("remarks", "The personnel access compliance portal that evaluated the rules and produced this document.");
            w.WriteEndObject();
            foreach (var vendor in vendors)
            {
                Party(OscalIds.Vendor(vendor.Id), "organization", Line(vendor.Name, "Vendor")!, vendor.Id);
                w.WriteEndObject();
            }
            // The people the findings are about, streamed: a portfolio can name tens of thousands.
            var people = db.People.AsNoTracking().Where(p => findings.Select(f => f.PersonId).Contains(p.Id)).OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.FullName, p.VendorId });
            await foreach (var person in people.AsAsyncEnumerable().WithCancellation(ct))
            {
                Party(OscalIds.Person(person.Id), "person", Line(person.FullName, "Person")!, person.Id);
                w.WriteStartArray("member-of-organizations");
                w.WriteStringValue(OscalIds.Vendor(person.VendorId));
                w.WriteEndArray();
                w.WriteEndObject();
                await FlushWhenFullAsync();
            }
            w.WriteEndArray();
            w.WriteStartArray("responsible-parties");
            Responsible("prepared-by", [OscalIds.Portal]);
            if (vendors.Count > 0)
            {
                Responsible("vendor", vendors.Select(v => OscalIds.Vendor(v.Id)));
            }
            w.WriteEndArray();
            w.WriteEndObject(); // metadata

            if (scope.System is { } only)
            {
                w.WriteStartObject("system-id");
                w.WriteString("identifier-type", Ns);
                w.WriteString("id", only.Id.ToString());
                w.WriteEndObject();
            }
            w.WriteStartObject("local-definitions");
            w.WriteStartArray("components");
            PortalComponent();
            foreach (var system in systems.Values)
            {
                SystemComponent(system, scope.System?.Id == system.Id);
            }
            w.WriteEndArray();
            w.WriteString("remarks", "No system security plan is imported: each cloud system the findings are on is defined here as a component.");
            w.WriteEndObject();

            await EachAsync("observations", Observation);
            await EachAsync("risks", Risk);
            var items = await EachAsync("poam-items", PoamItem);
            if (items == 0)
            {
                // The schema requires at least one POA&M item: an empty scope says so in one, marked as such.
                w.WriteStartArray("poam-items");
                w.WriteStartObject();
                w.WriteString("uuid", OscalIds.Derive("no-findings"));
                w.WriteString("title", "No findings");
                w.WriteString("description", $"The portal holds no {(scope.Request.IncludeClosed ? "" : "open, acknowledged or waived ")}findings for {scope.Words(actor)} on {at.UtcDateTime:yyyy-MM-dd}: nothing to plan.");
                w.WriteStartArray("props");
                Prop("no-findings", "true");
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            await w.FlushAsync(ct);
            return items;
        }

        /// <summary>
        /// One array of the document, one entry per finding, read in the order of the findings' ids as it streams in; written only when
        /// there is a finding (the schema wants no empty arrays). Returns the number of findings.
        /// </summary>
        private async Task<long> EachAsync(string property, Action<Item> write)
        {
            var rows = from f in findings
                       join p in db.People on f.PersonId equals p.Id
                       join v in db.Vendors on f.VendorId equals v.Id
                       orderby f.Id
                       select new Item
                       {
                           Finding = f,
                           PersonName = p.FullName,
                           VendorName = v.Name,
                           SystemId = db.Grants.Where(g => g.Id == f.SubjectId).Select(g => (Guid?)g.SystemId).FirstOrDefault()
                               ?? db.EscortAssignments.Where(a => a.Id == f.SubjectId).Select(a => (Guid?)a.SystemId).FirstOrDefault()
                               ?? db.EscortedSessions.Where(s => s.Id == f.SubjectId).Select(s => (Guid?)s.SystemId).FirstOrDefault(),
                           Waiver = db.Waivers.Where(x => x.FindingId == f.Id).OrderByDescending(x => x.RequestedAt)
                               .Select(x => new WaiverPart
                               {
                                   Id = x.Id, Status = x.Status, ExpiresOn = x.ExpiresOn, Justification = x.Justification,
                                   RequestedAt = x.RequestedAt, ApprovedAt = x.ApprovedAt,
                               }).FirstOrDefault(),
                       };
            long count = 0;
            await foreach (var item in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (count == 0)
                {
                    w.WriteStartArray(property);
                }
                write(item);
                await FlushWhenFullAsync();
                count++;
            }
            if (count > 0)
            {
                w.WriteEndArray();
            }
            return count;
        }

        /// <summary>Sends what the writer holds once it reaches <see cref="FlushBytes"/>: memory holds one entry and a buffer, never a batch.</summary>
        private async Task FlushWhenFullAsync()
        {
            if (w.BytesPending >= FlushBytes)
            {
                await w.FlushAsync(ct);
            }
        }

        private void Observation(Item item)
        {
            var f = item.Finding;
            var text = Text(item);
            Head(OscalIds.Observation(f.Id), $"{text.Title}: {item.PersonName}", Described(text), item);
            foreach (var fact in text.Facts)
            {
                Prop(Token(fact.Key), fact.Recorded, $"{fact.Label}: {fact.Value}", "fact");
            }
            w.WriteEndArray();
            // The rule examined the records the portal holds (declared facts, grants, sessions); nothing was tested on the system.
            w.WriteStartArray("methods");
            w.WriteStringValue("EXAMINE");
            w.WriteEndArray();
            w.WriteStartArray("types");
            w.WriteStringValue("finding");
            w.WriteEndArray();
            Origins();
            w.WriteStartArray("subjects");
            w.WriteStartObject();
            w.WriteString("subject-uuid", OscalIds.Person(f.PersonId));
            w.WriteString("type", "party");
            w.WriteString("title", item.PersonName);
            w.WriteEndObject();
            if (item.SystemId is { } systemId && systems.TryGetValue(systemId, out var system))
            {
                w.WriteStartObject();
                w.WriteString("subject-uuid", OscalIds.System(system.Id));
                w.WriteString("type", "component");
                w.WriteString("title", $"{system.Name} ({Words.Of(system.ImpactLevel)})");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("collected", Instant(f.DetectedAt));
            w.WriteString("remarks", $"Found by the portal's rule {f.RuleId} under policy version {f.PolicyVersion}.");
            w.WriteEndObject();
        }

        private void Risk(Item item)
        {
            var f = item.Finding;
            var text = Text(item);
            Head(OscalIds.Risk(f.Id), text.Title, Described(text), item);
            w.WriteEndArray();
            w.WriteString("statement", $"{Consequence(f.Severity)} {text.Guidance}");
            w.WriteString("status", RiskStatus(f.Status, item.Waiver));
            Origins();
            if (Deadline(f, item.Waiver) is { } deadline)
            {
                w.WriteString("deadline", deadline);
            }
            Remediations(item);
            RiskLog(item);
            Related("related-observations", "observation-uuid", OscalIds.Observation(f.Id));
            w.WriteEndObject();
        }

        private void PoamItem(Item item)
        {
            var f = item.Finding;
            var text = Text(item);
            Head(OscalIds.PoamItem(f.Id), $"{text.Title}: {item.PersonName}", text.Line, item);
            w.WriteEndArray();
            Origins();
            Related("related-observations", "observation-uuid", OscalIds.Observation(f.Id));
            Related("related-risks", "risk-uuid", OscalIds.Risk(f.Id));
            w.WriteString("remarks", $"{Words.Of(f.Status)}; due {f.DueOn:yyyy-MM-dd}.");
            w.WriteEndObject();
        }

        /// <summary>Opens a finding's entry: its UUID, title and description, and its "props" array with the finding's properties (left open).</summary>
        private void Head(Guid uuid, string title, string description, Item item)
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("title", title);
            w.WriteString("description", description);
            w.WriteStartArray("props");
            FindingProps(item);
        }

        /// <summary>A one-entry reference array (<c>related-risks: [{ risk-uuid }]</c>).</summary>
        private void Related(string property, string key, Guid uuid)
        {
            w.WriteStartArray(property);
            w.WriteStartObject();
            w.WriteString(key, uuid);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        /// <summary>
        /// The finding's waiver (requested: planned; approved: in effect), the vendor's or officer's answer (planned) and the declared
        /// remediation (completed), when there are any.
        /// </summary>
        private void Remediations(Item item)
        {
            var f = item.Finding;
            var waiver = item.Waiver;
            if (waiver is null && f.Response is null && !(f.Status == FindingStatus.Remediated && f.Resolution is not null))
            {
                return;
            }
            w.WriteStartArray("remediations");
            if (waiver is not null)
            {
                var active = waiver.Status == WaiverStatus.Active;
                Response(OscalIds.Part(f.Id, "waiver"), active ? "completed" : "planned",
                    active ? $"Waiver approved until {waiver.ExpiresOn:yyyy-MM-dd}" : $"Waiver requested until {waiver.ExpiresOn:yyyy-MM-dd}, awaiting a second officer",
                    waiver.Justification, ("response-type", "waiver"), ("waiver-id", waiver.Id.ToString()), ("waiver-expires", $"{waiver.ExpiresOn:yyyy-MM-dd}"));
            }
            if (f.Response is { } answer)
            {
                Response(OscalIds.Part(f.Id, "answer"), f.IsOpen ? "planned" : "completed", "Answer given when the finding was acknowledged", answer,
                    ("response-type", "answer"));
            }
            if (f.Status == FindingStatus.Remediated && f.Resolution is { } resolution)
            {
                Response(OscalIds.Part(f.Id, "remediation"), "completed", "Declared remediated (the rule was checked again and passed)", resolution,
                    ("response-type", "remediation"));
            }
            w.WriteEndArray();
        }

        private void Response(Guid uuid, string lifecycle, string title, string description, params (string Name, string Value)[] props)
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("lifecycle", lifecycle);
            w.WriteString("title", title);
            w.WriteString("description", string.IsNullOrWhiteSpace(description) ? title : description);
            w.WriteStartArray("props");
            foreach (var (name, value) in props)
            {
                Prop(name, value);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>When the finding was opened, acknowledged, waived and closed, each with the status it moved the risk to.</summary>
        private void RiskLog(Item item)
        {
            var f = item.Finding;
            w.WriteStartObject("risk-log");
            w.WriteStartArray("entries");
            Entry(OscalIds.Part(f.Id, "log/opened"), "Finding opened", f.DetectedAt, "open", null);
            if (f.AcknowledgedAt is { } acknowledged)
            {
                Entry(OscalIds.Part(f.Id, "log/acknowledged"), "Acknowledged", acknowledged, "investigating", f.Response);
            }
            if (item.Waiver is { } waiver)
            {
                Entry(OscalIds.Part(f.Id, "log/waiver-requested"), "Waiver requested", waiver.RequestedAt, "deviation-requested", waiver.Justification);
                if (waiver.ApprovedAt is { } approved)
                {
                    Entry(OscalIds.Part(f.Id, "log/waiver-approved"), $"Waiver approved until {waiver.ExpiresOn:yyyy-MM-dd}", approved, "deviation-approved", null);
                }
            }
            if (f.ClosedAt is { } closed)
            {
                Entry(OscalIds.Part(f.Id, "log/closed"), Words.Of(f.Status), closed, "closed", f.Resolution);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        private void Entry(Guid uuid, string title, DateTimeOffset start, string status, string? description)
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("title", title);
            if (!string.IsNullOrWhiteSpace(description))
            {
                w.WriteString("description", description);
            }
            w.WriteString("start", Instant(start));
            w.WriteString("status-change", status);
            w.WriteEndObject();
        }

        /// <summary>The properties every entry of a finding carries, in the portal's namespace.</summary>
        private void FindingProps(Item item)
        {
            var f = item.Finding;
            Prop("finding-id", f.Id.ToString());
            Prop("rule-id", f.RuleId);
            Prop("severity", f.Severity.ToString().ToLowerInvariant(), Words.Of(f.Severity));
            Prop("finding-status", f.Status.ToString().ToLowerInvariant(), FindingStatusRemark(f.Status));
            Prop("policy-version", f.PolicyVersion.ToString(CultureInfo.InvariantCulture));
            Prop("vendor-id", f.VendorId.ToString(), item.VendorName);
            Prop("person-id", f.PersonId.ToString(), item.PersonName);
            if (item.SystemId is { } systemId)
            {
                Prop("system-id", systemId.ToString(), systems.TryGetValue(systemId, out var s) ? s.Name : null);
            }
            Prop(f.SubjectType == "grant" ? "grant-id" : Token(f.SubjectType + "-id"), f.SubjectId.ToString());
            Prop("due-on", $"{f.DueOn:yyyy-MM-dd}");
            Prop("citation", f.Citation);
        }

        private void Origins()
        {
            w.WriteStartArray("origins");
            w.WriteStartObject();
            Actors();
            w.WriteEndObject();
            w.WriteEndArray();
        }

        /// <summary>The portal as the tool the entry comes from (its component in the local definitions).</summary>
        private void Actors()
        {
            w.WriteStartArray("actors");
            w.WriteStartObject();
            w.WriteString("type", "tool");
            w.WriteString("actor-uuid", OscalIds.PortalTool);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        private void PortalComponent() => Component(OscalIds.PortalTool, "software", "ComplianceHub",
            "The personnel access compliance portal: it evaluates the rules of the policy in force against the records of vendor personnel, " +
            "their grants and escorted sessions, and opens a finding when a rule fails. The tool that produced the observations and risks of this document.");

        private void SystemComponent(CloudSystem system, bool thisSystem) => Component(OscalIds.System(system.Id), thisSystem ? "this-system" : "system",
            $"{system.Name} ({Words.Of(system.ImpactLevel)})",
            $"{system.Name}: a cloud system at {Words.Of(system.ImpactLevel)}, run by {system.Provider} in {system.Environment}.", () =>
            {
                Prop("system-id", system.Id.ToString());
                Prop("impact-level", system.ImpactLevel.ToString(), Words.Of(system.ImpactLevel));
            });

        /// <summary>A component of the local definitions, operational, with the properties <paramref name="props"/> writes.</summary>
        private void Component(Guid uuid, string type, string title, string description, Action? props = null)
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("type", type);
            w.WriteString("title", title);
            w.WriteString("description", description);
            if (props is not null)
            {
                w.WriteStartArray("props");
                props();
                w.WriteEndArray();
            }
            w.WriteStartObject("status");
            w.WriteString("state", "operational");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private void Role(string id, string title)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("title", title);
            w.WriteEndObject();
        }

        private void Responsible(string role, IEnumerable<Guid> parties)
        {
            w.WriteStartObject();
            w.WriteString("role-id", role);
            w.WriteStartArray("party-uuids");
            foreach (var party in parties)
            {
                w.WriteStringValue(party);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>Opens a party that stands for a portal record (left open): its UUID, type, name and the record's id as its external id.</summary>
        private void Party(Guid uuid, string type, string name, Guid id)
        {
            w.WriteStartObject();
            w.WriteString("uuid", uuid);
            w.WriteString("type", type);
            w.WriteString("name", name);
            w.WriteStartArray("external-ids");
            w.WriteStartObject();
            w.WriteString("scheme", Ns);
            w.WriteString("id", id.ToString());
            w.WriteEndObject();
            w.WriteEndArray();
        }

        /// <summary>A property in the portal's namespace; left out when its value is blank (the schema wants no empty or padded values).</summary>
        private void Prop(string name, string? value, string? remarks = null, string? @class = null)
        {
            var line = Line(value, null);
            if (line is null)
            {
                return;
            }
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("ns", Ns);
            w.WriteString("value", line);
            if (@class is not null)
            {
                w.WriteString("class", @class);
            }
            if (!string.IsNullOrWhiteSpace(remarks))
            {
                w.WriteString("remarks", remarks);
            }
            w.WriteEndObject();
        }

        private static RefusalText Text(Item item) => RefusalText.For(item.Finding.RuleId, item.Finding.Severity, item.Finding.Message,
            FactsOf(item.Finding), item.Finding.Citation, item.Finding.PolicyVersion, item.PersonName);

        private static Dictionary<string, string> FactsOf(Finding f) => JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [];

        private static string Described(RefusalText text) => text.Facts.Count == 0 ? text.Line : $"{text.Line} Facts: {text.FactsLine}.";
    }

    /// <summary>What a finding of the severity does to the access, in words.</summary>
    private static string Consequence(Severity severity) => severity switch
    {
        Severity.Block => "Severity block: the access is refused or suspended until the finding is resolved.",
        Severity.Suspend => "Severity suspend: the access is suspended until the finding is resolved.",
        _ => "Severity warning: the access continues; the finding is to be answered by its due date.",
    };

    /// <summary>
    /// The risk status of a finding: open; acknowledged (answered, the condition still there) is "investigating"; a waiver asked for is
    /// "deviation-requested", an approved one "deviation-approved"; remediated and closed findings are "closed".
    /// </summary>
    private static string RiskStatus(FindingStatus status, WaiverPart? waiver) => status switch
    {
        FindingStatus.Waived => "deviation-approved",
        FindingStatus.Remediated or FindingStatus.Closed => "closed",
        _ when waiver is { Status: WaiverStatus.PendingApproval } => "deviation-requested",
        FindingStatus.Acknowledged => "investigating",
        _ => "open",
    };

    private static string FindingStatusRemark(FindingStatus status) => status switch
    {
        FindingStatus.Open => "Open: not yet answered.",
        FindingStatus.Acknowledged => "Acknowledged: answered, the condition is still there.",
        FindingStatus.Waived => "Waived: an approved, time-bound waiver sets the rule aside (risk accepted).",
        FindingStatus.Remediated => "Remediated: declared fixed after the rule was checked again and passed.",
        _ => "Closed: the rule passes again, or the access it was about has ended.",
    };

    /// <summary>The end of the due day (UTC) of an open finding; of a waived one, the end of its waiver's last day; none once closed.</summary>
    private static string? Deadline(Finding f, WaiverPart? waiver) => f.Status switch
    {
        FindingStatus.Waived when waiver is not null => EndOf(waiver.ExpiresOn),
        FindingStatus.Open or FindingStatus.Acknowledged => EndOf(f.DueOn),
        _ => null,
    };

    private static string EndOf(DateOnly day) => $"{day:yyyy-MM-dd}T23:59:59Z";

    /// <summary>An instant as OSCAL's date-time-with-timezone: UTC, milliseconds, "Z".</summary>
    private static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One line with no leading or trailing white space (OSCAL's string), or <paramref name="blank"/> when nothing is left.</summary>
    private static string? Line(string? value, string? blank)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return blank;
        }
        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A fact key as an OSCAL token (a letter or underscore, then letters, digits, '.', '-', '_').</summary>
    private static string Token(string key)
    {
        var chars = key.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray();
        var token = new string(chars);
        return token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_') ? token : "_" + token;
    }
}
