using System.Reflection;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>What building a package produced, as its audit event records it.</summary>
/// <param name="PackageId">The package's id (in the manifest and the audit event's subject id).</param>
/// <param name="Range">The days covered.</param>
/// <param name="Files">Files in the zip, the manifest included.</param>
/// <param name="Events">Audit events in <c>audit-events.jsonl</c>.</param>
/// <param name="ManifestSha256">SHA-256 of <c>manifest.json</c>, which pins every other file's hash.</param>
/// <param name="AuditSequence">The sequence number of the package's own audit event (appended after the zip).</param>
public sealed record EvidencePackageResult(Guid PackageId, EvidenceRange Range, int Files, long Events, string ManifestSha256, long AuditSequence);

/// <summary>
/// Builds the evidence package for a range (docs/audit/evidence-package.md), streaming rows from the database straight
/// into the zip on the output stream, signs its manifest with the audit signing key, then records the build as audit event
/// 8200 carrying the manifest's SHA-256. Auditors and administrators only; a portal without the key files cannot build one.
/// </summary>
public sealed class EvidencePackageBuilder(IDbContextFactory<ComplianceDbContext> contexts, AuditChainVerifier chain, AuditNotes notes, TimeProvider clock,
    SystemAccessQuery access, KeyFiles? keys = null)
{
    /// <summary>
    /// False when no audit signing key is configured: packages are signed, so none can be built. In Development the key files
    /// always resolve and elsewhere the portal does not start without them: a guard, not a mode.
    /// </summary>
    public bool CanSign => keys is not null;

    /// <summary>The portal version written to the manifest (the assembly's informational version).</summary>
    public static string PortalVersion { get; } =
        typeof(EvidencePackageBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Writes the package for <paramref name="range"/> to <paramref name="output"/> and audits it.</summary>
    /// <exception cref="UnauthorizedAccessException">The actor is neither an auditor nor an administrator.</exception>
    /// <exception cref="InvalidOperationException">No audit signing key is configured (nothing is written).</exception>
    public async Task<EvidencePackageResult> BuildAsync(Actor actor, EvidenceRange range, Stream output, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator) || !actor.SeesEveryVendor)
        {
            // A package holds every vendor's rows and the whole chain of its range (so that it verifies): installation-wide only (ADR 0028).
            throw new UnauthorizedAccessException("Evidence packages are built by installation-wide auditors and administrators.");
        }
        if (keys is null)
        {
            throw new InvalidOperationException("Evidence packages are signed, and this portal has no audit signing key. " + KeyFiles.NotConfiguredMessage);
        }
        using var key = keys.LoadAuditSigningKey();
        var packageId = Guid.CreateVersion7();
        var generatedAt = AuditChain.ToStoredPrecision(clock.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Ten years of rows: the roster's fact history is sorted by person before its first row comes back, and the span
        // reads the range's events; each statement may take longer than the default 30 s on a busy machine. Rows then stream.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        // The span is fixed before anything is written: events appended meanwhile belong to the next package.
        var span = await EvidenceScope.EventSpanAsync(db, range, ct);

        await using var package = await EvidencePackageWriter.CreateAsync(output, generatedAt, ct);
        await package.AddJsonArrayAsync(EvidencePackage.Findings, FindingRows(db, range), WriteFinding, ct);
        await package.AddJsonArrayAsync(EvidencePackage.Roster, RosterRows(db, range), (w, p) => WritePerson(w, p, range), ct);
        await package.AddJsonArrayAsync(EvidencePackage.Grants, GrantRows(db, range), WriteGrant, ct);
        await package.AddJsonArrayAsync(EvidencePackage.EscortAssignments, EscortRows(db, range), WriteEscort, ct);
        await package.AddJsonArrayAsync(EvidencePackage.Attestations,
            (from a in EvidenceScope.Attestations(db, range)
             join v in db.Vendors on a.VendorId equals v.Id
             orderby a.SubmittedAt, a.Id
             select new AttestationRow(a, v.Name)).AsAsyncEnumerable(), WriteAttestation, ct);
        await package.AddJsonArrayAsync(EvidencePackage.PolicyVersions,
            db.PolicyVersions.AsNoTracking().OrderBy(v => v.Number).AsAsyncEnumerable(), (w, v) => WritePolicy(w, v, range), ct);
        await package.AddJsonLinesAsync(EvidencePackage.Access, AccessRows(actor, db, range, ct), WriteAccess, ct);
        await package.AddJsonArrayAsync(EvidencePackage.AccessReviewCampaigns,
            AccessReviewEvidence.Campaigns(db, range).OrderBy(c => c.StartedAt).ThenBy(c => c.Id).AsAsyncEnumerable(), AccessReviewEvidence.WriteCampaign, ct);
        await package.AddJsonLinesAsync(EvidencePackage.AccessReviewItems, AccessReviewEvidence.ItemRows(db, range), AccessReviewEvidence.WriteItem, ct);
        await package.AddJsonArrayAsync(EvidencePackage.AccessLogImports, AccessLogEvidence.ImportRows(db, range), AccessLogEvidence.WriteImport, ct);
        await package.AddJsonLinesAsync(EvidencePackage.AccessLogEvents, AccessLogEvidence.Lines(db, range), AccessLogEvidence.WriteLine, ct);

        EventLink? first = null;
        EventLink? last = null;
        var events = span is { } s
            ? db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= s.First && e.Sequence <= s.Last).OrderBy(e => e.Sequence).AsAsyncEnumerable()
            : AsyncEnumerable.Empty<AuditEvent>();
        var eventsFile = await package.AddJsonLinesAsync(EvidencePackage.AuditEvents, events, (w, e) =>
        {
            first ??= new EventLink(e.Sequence, e.PreviousHash);
            last = new EventLink(e.Sequence, e.Hash);
            EvidencePackage.WriteEvent(w, e);
        }, ct);
        // The same span read again for the canonical lines (a zip entry is written whole before the next one starts): the trail
        // is append-only, so the second read returns the same events.
        await package.AddJsonLinesAsync(EvidencePackage.AuditEventsCanonical, span is { } again
            ? db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= again.First && e.Sequence <= again.Last).OrderBy(e => e.Sequence).AsAsyncEnumerable()
            : AsyncEnumerable.Empty<AuditEvent>(), AuditChain.WriteCanonical, ct);

        var verification = await chain.VerifyAsync(actor, ct);
        var live = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new EventLink(e.Sequence, e.Hash)).FirstOrDefaultAsync(ct);
        await package.AddJsonAsync(EvidencePackage.ChainHead, w => WriteChainHead(w, range, eventsFile.Records ?? 0, first, last, live, verification), ct);

        var checkpoints = await CheckpointsAsync(db, first, last, ct);
        await package.AddCheckpointsAsync(checkpoints, ct);
        await package.AddTextAsync(EvidencePackage.VerifyScript, VerifyScript.Value, ct);
        var author = new EvidenceAuthor(actor.UserId == Guid.Empty ? null : actor.UserId, actor.DisplayName, actor.Role);
        await package.AddTextAsync(EvidencePackage.Readme, EvidenceReadme.Text(range, generatedAt), ct);
        await package.AddTextAsync(EvidencePackage.ReadmeHtml, EvidenceReadme.Html(new EvidenceSummary(packageId, range, generatedAt, author,
            package.Files, eventsFile.Records ?? 0, first is null ? null : (first.Sequence - 1, first.Hash), last is null ? null : (last.Sequence, last.Hash),
            (live?.Sequence ?? 0, live?.Hash ?? AuditChain.GenesisHash, verification.Valid), checkpoints, key.KeyId, key.PublicKeyPem)), ct);
        await package.AddTextAsync(EvidencePackage.Checksums, package.Checksums(), ct);
        var manifest = await package.CompleteAsync(w =>
        {
            w.WriteString("format", EvidencePackage.Format);
            w.WriteString("packageId", packageId);
            w.WriteStartObject("range");
            w.WriteString("from", EvidencePackage.Date(range.From));
            w.WriteString("to", EvidencePackage.Date(range.To));
            w.WriteString("start", EvidencePackage.Instant(range.Start));
            w.WriteString("end", EvidencePackage.Instant(range.End));
            w.WriteEndObject();
            w.WriteString("generatedAt", EvidencePackage.Instant(generatedAt));
            w.WriteStartObject("generatedBy");
            w.WriteString("userId", author.UserId?.ToString());
            w.WriteString("name", author.Name);
            w.WriteString("role", author.Role);
            w.WriteEndObject();
            w.WriteString("portalVersion", PortalVersion);
            w.WriteString("hashAlgorithm", "SHA-256");
        }, key, checkpoints, ct);

        var fileCount = package.Files.Count;
        var audited = await notes.AppendAsync(actor, "build-evidence-package", AuditEventTypes.EvidencePackageBuilt, EvidencePackage.SubjectType,
            packageId.ToString(), AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["from"] = EvidencePackage.Date(range.From),
                ["to"] = EvidencePackage.Date(range.To),
                ["fileName"] = range.FileName,
                ["files"] = fileCount,
                ["events"] = eventsFile.Records ?? 0,
                ["firstSequence"] = first?.Sequence,
                ["lastSequence"] = last?.Sequence,
                ["manifestSha256"] = manifest.Sha256,
                ["signingKeyId"] = key.KeyId,
                ["checkpoints"] = checkpoints.Count,
            }), ct: ct);
        return new EvidencePackageResult(packageId, range, fileCount, eventsFile.Records ?? 0, manifest.Sha256, audited.Sequence);
    }

    private sealed record EventLink(long Sequence, string Hash);

    /// <summary>verify.py, the same in every package (its SHA-256 is published in docs/audit/evidence-package.md).</summary>
    internal static readonly Lazy<string> VerifyScript = new(() =>
    {
        using var stream = typeof(EvidencePackageBuilder).Assembly.GetManifestResourceStream("ComplianceHub.Core.Evidence.verify.py")
            ?? throw new InvalidOperationException("verify.py is not embedded in ComplianceHub.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    });

    /// <summary>
    /// The chain checkpoints of the package: every one whose sequence is among the package's events, and the first one after
    /// them, which ties the package's last event to the later trail (checked against the live trail, not offline).
    /// </summary>
    private static async Task<List<ChainCheckpoint>> CheckpointsAsync(ComplianceDbContext db, EventLink? first, EventLink? last, CancellationToken ct)
    {
        if (first is null || last is null)
        {
            return [];
        }
        var checkpoints = await db.ChainCheckpoints.AsNoTracking().Where(c => c.Sequence >= first.Sequence && c.Sequence <= last.Sequence)
            .OrderBy(c => c.Sequence).ToListAsync(ct);
        if (await db.ChainCheckpoints.AsNoTracking().Where(c => c.Sequence > last.Sequence).OrderBy(c => c.Sequence).FirstOrDefaultAsync(ct) is { } next)
        {
            checkpoints.Add(next);
        }
        return checkpoints;
    }

    private sealed record AccessRow(Guid SystemId, string SystemName, AccessHolder Holder);

    /// <summary>
    /// Who could touch each system during the range, system by system in name order: the same reconstruction as the Access page,
    /// the API and the access export (<see cref="SystemAccessQuery"/>), over the range's days, each holder streamed as rebuilt.
    /// </summary>
    private async IAsyncEnumerable<AccessRow> AccessRows(Actor actor, ComplianceDbContext db, EvidenceRange range,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var systems = await db.Systems.AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in systems)
        {
            if (await access.StreamAsync(actor, id, AccessWindow.OfDays(range.From, range.To), ct) is not { } stream)
            {
                continue; // removed meanwhile
            }
            await foreach (var holder in stream.Holders.WithCancellation(ct))
            {
                yield return new AccessRow(stream.SystemId, stream.SystemName, holder);
            }
        }
    }

    private static void WriteAccess(Utf8JsonWriter w, AccessRow row)
    {
        var h = row.Holder;
        w.WriteStartObject();
        w.WriteString("systemId", row.SystemId);
        w.WriteString("systemName", row.SystemName);
        w.WriteString("grantId", h.GrantId);
        w.WriteString("personId", h.PersonId);
        w.WriteString("personName", h.FullName);
        w.WriteString("vendorId", h.VendorId);
        w.WriteString("vendorName", h.VendorName);
        w.WriteString("accessType", h.AccessType.ToString());
        w.WriteBoolean("escorted", h.Escorted);
        w.WriteString("startsOn", EvidencePackage.Date(h.StartsOn));
        w.WriteString("endsOn", h.EndsOn is { } end ? EvidencePackage.Date(end) : null);
        w.WriteStartArray("escorts");
        foreach (var e in h.Escorts)
        {
            w.WriteStartObject();
            w.WriteString("assignmentId", e.AssignmentId);
            w.WriteString("escortId", e.EscortId);
            w.WriteString("escortName", e.FullName);
            w.WriteString("startsOn", EvidencePackage.Date(e.StartsOn));
            w.WriteString("endsOn", EvidencePackage.Date(e.EndsOn));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("intervals");
        foreach (var i in h.Intervals ?? [])
        {
            w.WriteStartObject();
            w.WriteString("from", EvidencePackage.Instant(i.From));
            w.WriteString("to", EvidencePackage.Instant(i.To));
            if (i.PolicyVersion is { } version)
            {
                w.WriteNumber("policyVersion", version);
            }
            else
            {
                w.WriteNull("policyVersion");
            }
            w.WriteString("impactLevel", i.ImpactLevel.ToString());
            w.WriteStartArray("escortAssignmentIds");
            foreach (var id in i.EscortAssignmentIds)
            {
                w.WriteStringValue(id);
            }
            w.WriteEndArray();
            w.WriteStartObject("facts");
            foreach (var (name, value) in (i.Facts ?? h.FactsThatDay).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(name);
                if (value is { } v)
                {
                    v.WriteTo(w);
                }
                else
                {
                    w.WriteNullValue();
                }
            }
            w.WriteEndObject();
            if (i.Verdict is { } verdict)
            {
                w.WriteBoolean("passed", verdict.Passed);
                WriteOutcomes(w, "failing", verdict.Failing);
                WriteOutcomes(w, "warnings", verdict.Warnings);
                w.WriteStartArray("waived");
                foreach (var rule in verdict.Waived)
                {
                    w.WriteStringValue(rule);
                }
                w.WriteEndArray();
            }
            else
            {
                w.WriteNull("passed"); // no policy version in force
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        static void WriteOutcomes(Utf8JsonWriter w, string name, IReadOnlyList<VerdictOutcome> outcomes)
        {
            w.WriteStartArray(name);
            foreach (var o in outcomes)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", o.RuleId);
                w.WriteString("severity", o.Severity.ToString());
                w.WriteString("message", o.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    private sealed record FindingRow(Domain.Findings.Finding Finding, string PersonName, string EmployeeId, string VendorName);

    private static IAsyncEnumerable<FindingRow> FindingRows(ComplianceDbContext db, EvidenceRange range) =>
        (from f in EvidenceScope.Findings(db, range)
         join p in db.People on f.PersonId equals p.Id
         join v in db.Vendors on f.VendorId equals v.Id
         orderby f.DetectedAt, f.Id
         select new FindingRow(f, p.FullName, p.EmployeeId, v.Name)).AsAsyncEnumerable();

    private static void WriteFinding(Utf8JsonWriter w, FindingRow row)
    {
        var f = row.Finding;
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("ruleId", f.RuleId);
        w.WriteString("severity", f.Severity.ToString());
        w.WriteString("status", f.Status.ToString());
        w.WriteString("vendorId", f.VendorId);
        w.WriteString("vendorName", row.VendorName);
        w.WriteString("personId", f.PersonId);
        w.WriteString("personName", row.PersonName);
        w.WriteString("employeeId", row.EmployeeId);
        w.WriteString("subjectType", f.SubjectType);
        w.WriteString("subjectId", f.SubjectId);
        w.WriteString("message", f.Message);
        w.WritePropertyName("facts");
        w.WriteRawValue(f.Facts);
        w.WriteString("citation", f.Citation);
        w.WriteNumber("policyVersion", f.PolicyVersion);
        w.WriteString("detectedAt", EvidencePackage.Instant(f.DetectedAt));
        w.WriteString("dueOn", EvidencePackage.Date(f.DueOn));
        WriteNullable(w, "acknowledgedBy", f.AcknowledgedBy);
        WriteInstant(w, "acknowledgedAt", f.AcknowledgedAt);
        w.WriteString("response", f.Response);
        WriteNullable(w, "resolvedBy", f.ResolvedBy);
        WriteInstant(w, "closedAt", f.ClosedAt);
        w.WriteString("resolution", f.Resolution);
        w.WriteEndObject();
    }

    private sealed record FactRow(Guid PersonId, Guid VendorId, string VendorName, string Attribute, string? Value, DateOnly EffectiveOn,
        Domain.Personnel.FactSource Source, DateTimeOffset RecordedAt);

    /// <summary>One person as they stood on the last day of the range, rebuilt from their effective-dated fact history.</summary>
    private sealed record RosterPerson(Guid PersonId, Guid VendorId, string VendorName, IReadOnlyList<FactRow> Facts);

    /// <summary>
    /// The fact history up to the end of the range, one person at a time (rows ordered by vendor, person, effective day and
    /// recording time, so each person's facts are consecutive and only one person is held in memory).
    /// </summary>
    private static async IAsyncEnumerable<RosterPerson> RosterRows(ComplianceDbContext db, EvidenceRange range)
    {
        var rows = (from c in EvidenceScope.FactChanges(db, range)
                    join p in db.People on c.PersonId equals p.Id
                    join v in db.Vendors on p.VendorId equals v.Id
                    orderby v.Name, p.Id, c.EffectiveOn, c.RecordedAt, c.Id
                    select new FactRow(p.Id, p.VendorId, v.Name, c.Attribute, c.Value, c.EffectiveOn, c.Source, c.RecordedAt)).AsAsyncEnumerable();
        var current = new List<FactRow>();
        await foreach (var row in rows)
        {
            if (current.Count > 0 && current[0].PersonId != row.PersonId)
            {
                yield return Person(current);
                current = [];
            }
            current.Add(row);
        }
        if (current.Count > 0)
        {
            yield return Person(current);
        }

        static RosterPerson Person(List<FactRow> history) => new(history[0].PersonId, history[0].VendorId, history[0].VendorName,
            // The latest change of each fact wins (for equal effective days, the one recorded last): rows arrive in that order.
            history.GroupBy(r => r.Attribute, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(r => r.Attribute, StringComparer.Ordinal).ToList());
    }

    private static void WritePerson(Utf8JsonWriter w, RosterPerson person, EvidenceRange range)
    {
        w.WriteStartObject();
        w.WriteString("personId", person.PersonId);
        w.WriteString("vendorId", person.VendorId);
        w.WriteString("vendorName", person.VendorName);
        w.WriteString("asOf", EvidencePackage.Date(range.To));
        w.WriteStartObject("facts");
        foreach (var fact in person.Facts)
        {
            w.WritePropertyName(fact.Attribute);
            if (fact.Value is null)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteRawValue(fact.Value);
            }
        }
        w.WriteEndObject();
        w.WriteStartObject("factSources");
        foreach (var fact in person.Facts)
        {
            w.WriteStartObject(fact.Attribute);
            w.WriteString("effectiveOn", EvidencePackage.Date(fact.EffectiveOn));
            w.WriteString("source", fact.Source.ToString());
            w.WriteString("recordedAt", EvidencePackage.Instant(fact.RecordedAt));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private sealed record GrantRow(Domain.Access.AccessGrant Grant, string PersonName, string EmployeeId, Guid VendorId, string VendorName, string SystemName);

    private static IAsyncEnumerable<GrantRow> GrantRows(ComplianceDbContext db, EvidenceRange range) =>
        (from g in EvidenceScope.Grants(db, range)
         join p in db.People on g.PersonId equals p.Id
         join v in db.Vendors on p.VendorId equals v.Id
         join s in db.Systems on g.SystemId equals s.Id
         orderby g.StartsOn, g.Id
         select new GrantRow(g, p.FullName, p.EmployeeId, v.Id, v.Name, s.Name)).AsAsyncEnumerable();

    private static void WriteGrant(Utf8JsonWriter w, GrantRow row)
    {
        var g = row.Grant;
        w.WriteStartObject();
        w.WriteString("id", g.Id);
        w.WriteString("personId", g.PersonId);
        w.WriteString("personName", row.PersonName);
        w.WriteString("employeeId", row.EmployeeId);
        w.WriteString("vendorId", row.VendorId);
        w.WriteString("vendorName", row.VendorName);
        w.WriteString("systemId", g.SystemId);
        w.WriteString("systemName", row.SystemName);
        w.WriteString("accessType", g.AccessType.ToString());
        w.WriteBoolean("escorted", g.Escorted);
        w.WriteString("startsOn", EvidencePackage.Date(g.StartsOn));
        w.WriteString("endsOn", g.EndsOn is { } end ? EvidencePackage.Date(end) : null);
        w.WriteString("justification", g.Justification);
        w.WriteString("status", g.Status.ToString());
        w.WriteString("statusReason", g.StatusReason);
        w.WriteString("requestedBy", g.RequestedBy);
        w.WriteString("requestedAt", EvidencePackage.Instant(g.RequestedAt));
        WriteNullable(w, "approvedBy", g.ApprovedBy);
        WriteInstant(w, "approvedAt", g.ApprovedAt);
        WriteNullable(w, "policyVersionId", g.PolicyVersionId);
        w.WriteEndObject();
    }

    private sealed record EscortRow(Domain.Access.EscortAssignment Assignment, string EscortName, string PersonName, string VendorName, string SystemName);

    private static IAsyncEnumerable<EscortRow> EscortRows(ComplianceDbContext db, EvidenceRange range) =>
        (from a in EvidenceScope.EscortAssignments(db, range)
         join e in db.People on a.EscortId equals e.Id
         join p in db.People on a.PersonId equals p.Id
         join v in db.Vendors on p.VendorId equals v.Id
         join s in db.Systems on a.SystemId equals s.Id
         orderby a.StartsOn, a.Id
         select new EscortRow(a, e.FullName, p.FullName, v.Name, s.Name)).AsAsyncEnumerable();

    private static void WriteEscort(Utf8JsonWriter w, EscortRow row)
    {
        var a = row.Assignment;
        w.WriteStartObject();
        w.WriteString("id", a.Id);
        w.WriteString("escortId", a.EscortId);
        w.WriteString("escortName", row.EscortName);
        w.WriteString("personId", a.PersonId);
        w.WriteString("personName", row.PersonName);
        w.WriteString("vendorName", row.VendorName);
        w.WriteString("systemId", a.SystemId);
        w.WriteString("systemName", row.SystemName);
        w.WriteString("startsOn", EvidencePackage.Date(a.StartsOn));
        w.WriteString("endsOn", EvidencePackage.Date(a.EndsOn));
        w.WriteBoolean("active", a.Active);
        w.WriteString("createdBy", a.CreatedBy);
        w.WriteString("createdAt", EvidencePackage.Instant(a.CreatedAt));
        w.WriteEndObject();
    }

    private sealed record AttestationRow(Domain.Attestations.LocationAttestation Attestation, string VendorName);

    private static void WriteAttestation(Utf8JsonWriter w, AttestationRow row)
    {
        var a = row.Attestation;
        w.WriteStartObject();
        w.WriteString("id", a.Id);
        w.WriteString("vendorId", a.VendorId);
        w.WriteString("vendorName", row.VendorName);
        w.WriteString("statement", a.Statement);
        w.WritePropertyName("items");
        w.WriteRawValue(a.Items);
        w.WriteString("submittedBy", a.SubmittedBy);
        w.WriteString("submittedByName", a.SubmittedByName);
        w.WriteString("submittedAt", EvidencePackage.Instant(a.SubmittedAt));
        w.WriteString("sha256", a.ContentHash);
        // Recomputed from the stored content now: false means the row was altered after it was signed.
        w.WriteBoolean("sha256Matches", a.ComputeHash() == a.ContentHash);
        w.WriteEndObject();
    }

    private static void WritePolicy(Utf8JsonWriter w, Domain.Policy.PolicyVersion v, EvidenceRange range)
    {
        w.WriteStartObject();
        w.WriteString("id", v.Id);
        w.WriteNumber("number", v.Number);
        w.WriteString("name", v.Name);
        w.WriteString("status", v.Status.ToString());
        WriteNullable(w, "draftedBy", v.DraftedBy);
        w.WriteString("draftedAt", EvidencePackage.Instant(v.DraftedAt));
        WriteNullable(w, "activatedBy", v.ActivatedBy);
        WriteInstant(w, "activatedAt", v.ActivatedAt);
        WriteInstant(w, "retiredAt", v.RetiredAt);
        w.WriteBoolean("inForceDuringRange", v.ActivatedAt is { } on && on < range.End && (v.RetiredAt is null || v.RetiredAt >= range.Start));
        w.WritePropertyName("parameters");
        w.WriteRawValue(v.Parameters);
        w.WriteEndObject();
    }

    private static void WriteChainHead(Utf8JsonWriter w, EvidenceRange range, long count, EventLink? first, EventLink? last, EventLink? live,
        ChainVerification verification)
    {
        w.WriteStartObject();
        w.WriteString("from", EvidencePackage.Date(range.From));
        w.WriteString("to", EvidencePackage.Date(range.To));
        w.WriteNumber("eventCount", count);
        if (first is null || last is null)
        {
            w.WriteNull("firstSequence");
            w.WriteNull("anchor");
            w.WriteNull("last");
        }
        else
        {
            w.WriteNumber("firstSequence", first.Sequence);
            w.WriteStartObject("anchor");
            w.WriteNumber("sequence", first.Sequence - 1);
            w.WriteString("hash", first.Hash);
            w.WriteEndObject();
            w.WriteStartObject("last");
            w.WriteNumber("sequence", last.Sequence);
            w.WriteString("hash", last.Hash);
            w.WriteEndObject();
        }
        w.WriteStartObject("liveHead");
        if (live is null)
        {
            w.WriteNumber("sequence", 0);
            w.WriteString("hash", AuditChain.GenesisHash);
        }
        else
        {
            w.WriteNumber("sequence", live.Sequence);
            w.WriteString("hash", live.Hash);
        }
        w.WriteBoolean("verified", verification.Valid);
        w.WriteNumber("verifiedEvents", verification.Events);
        if (verification.FirstBrokenSequence is { } broken)
        {
            w.WriteNumber("firstBrokenSequence", broken);
        }
        else
        {
            w.WriteNull("firstBrokenSequence");
        }
        w.WriteString("problem", verification.Problem);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, Guid? value) => w.WriteString(name, value?.ToString());

    private static void WriteInstant(Utf8JsonWriter w, string name, DateTimeOffset? value) =>
        w.WriteString(name, value is { } v ? EvidencePackage.Instant(v) : null);
}
