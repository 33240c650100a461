using ComplianceHub.Core.Gate;
using System.Diagnostics;
using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Contracts;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Cli.Scale;

/// <summary>What a scale seed wrote.</summary>
public sealed record ScaleSeedResult(bool Skipped, int People, int Grants, int EscortAssignments, int Findings, long AuditEvents, long FactHistoryRows,
    TimeSpan Elapsed);

/// <summary>
/// Adds the scale population on top of the demo data (<c>seed --people … --grants … --audit-events …</c>): vendors, contracts
/// and systems through the gate (they are few), then people, their fact history (one row per change), grants, escort
/// assignments, findings and their audit events in
/// batches of <see cref="BatchPeople"/> people, each batch one transaction written with binary COPY:
/// <list type="bullet">
/// <item>every row of a receipt-guarded table (people, access_grants, escort_assignments) has its evaluation receipt COPYed in
/// the same transaction, so the deferred triggers of Data/Sql/0003 and 0005 accept the commit;</item>
/// <item>the batch's audit events are appended to the hash chain exactly like <c>AuditRecorder</c> does — under the chain's
/// advisory lock, sequence and previous hash from the current head, <see cref="AuditChain.ComputeHash"/> — so
/// <see cref="AuditChainVerifier"/> passes afterwards.</item>
/// </list>
/// Memory stays bounded by one batch (the population and its ten million events are streamed, never held).
/// With <paramref name="keys"/>, every event whose sequence is a multiple of <see cref="CheckpointEvery"/> gets a signed checkpoint as
/// the portal's signer would make it (the table and <paramref name="checkpointLog"/>, in the batch's transaction), so the trail's
/// verification checks checkpoints at full scale too.
/// Runs as the application role (ConnectionStrings:ComplianceHub), like <c>seed</c>; adds nothing when a scale population is already there.
/// </summary>
public sealed class ScaleSeeder(ComplianceDbContext db, TimeProvider clock, string connectionString, TextWriter log,
    Core.Security.AuditKeyRing? keys = null, CheckpointLog? checkpointLog = null)
{
    /// <summary>Events between two checkpoints of the seeded trail (the portal's default, <c>Audit:CheckpointEvery</c>).</summary>
    public const int CheckpointEvery = 10_000;

    public const int BatchPeople = 1_000;

    /// <summary>The chain lock of AuditRecorder ("CHAUDT"): appends from the portal and from this seed never interleave.</summary>
    internal const long ChainLockKey = 0x4348_4155_4454;

    private static readonly int VendorCount = 40;

    public static Guid VendorId(int n) => ScaleGenerator.Id(0x5E0000 + n);

    public async Task<ScaleSeedResult> SeedAsync(ScaleSize size, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        if (await db.Vendors.AnyAsync(v => v.Id == VendorId(0), ct))
        {
            var people = await db.People.CountAsync(ct);
            log.WriteLine($"scale seed: a scale population is already there ({people:N0} people in the database); nothing added. " +
                          "Start from an empty database (scripts/bench.sh makes a new one each run) to seed again.");
            return new ScaleSeedResult(true, 0, 0, 0, 0, 0, 0, watch.Elapsed);
        }
        var now = clock.GetUtcNow();
        log.WriteLine($"scale seed: {size} on top of the demo data (batches of {BatchPeople:N0} people, binary COPY, one transaction each)");

        var officers = await db.Users.Where(u => db.AccountsInRole(Roles.ContractingOfficer).Contains(u.Id)).OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var auditors = await db.Users.Where(u => db.AccountsInRole(Roles.Auditor).Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        if (officers.Count < 2 || auditors.Count < 1)
        {
            throw new InvalidOperationException("The scale seed needs the demo accounts (two contracting officers and an auditor): run plain 'seed' first.");
        }
        var policy = await ActivePolicy.ReadAsync(db, ct);
        var parameters = PolicyJson.Deserialize(policy.Parameters);
        var systems = ScaleGenerator.Systems();
        var vendorIds = Enumerable.Range(0, VendorCount).Select(VendorId).ToList();
        await SetupAsync(vendorIds, systems, officers.Select(o => o.Id).ToList(), ct);
        log.WriteLine($"  {VendorCount} vendors, {VendorCount} contracts and {systems.Count} systems added through the gate");

        var actors = new Actors(
            new AuditActor(officers[0].Id, officers[0].DisplayName, Roles.ContractingOfficer, null, "cookie"),
            new AuditActor(officers[1].Id, officers[1].DisplayName, Roles.ContractingOfficer, null, "cookie"),
            new AuditActor(auditors[0].Id, auditors[0].DisplayName, Roles.Auditor, null, "cookie"),
            AuditActor.From(Actor.Scheduler, Actor.Scheduler.AuthenticationMethod));
        var generator = new ScaleGenerator(size, vendorIds, systems, parameters, policy.Number, now);
        var totals = new Totals();
        var eventsAtStart = await ScalarAsync<long>("SELECT count(*) FROM audit_events", ct);
        var lastReport = Stopwatch.StartNew();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 900 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        for (var from = 0; from < size.People; from += BatchPeople)
        {
            var to = Math.Min(size.People, from + BatchPeople);
            var (people, grants) = generator.Batch(from, to);
            var findings = FindingsOf(grants, parameters);
            var eventTarget = size.AuditEvents * to / size.People;
            var drafts = Drafts(generator, people, grants, findings, actors, policy.Id, now, Math.Max(0, eventTarget - totals.Events));
            await WriteBatchAsync(connection, people, grants, findings, drafts, policy.Id, actors, now, totals, Checkpoints, ct);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(15) || to == size.People)
            {
                lastReport.Restart();
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {to,9:N0} / {size.People:N0} people, {totals.Grants,10:N0} grants, {totals.Events,11:N0} audit events  ({watch.Elapsed.TotalSeconds:F0} s, {totals.Events / Math.Max(1, watch.Elapsed.TotalSeconds):N0} events/s)"));
            }
        }
        var eventsNow = await ScalarAsync<long>("SELECT count(*) FROM audit_events", ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale seed done in {watch.Elapsed.TotalSeconds:F0} s: {totals.People:N0} people, {totals.Grants:N0} grants, {totals.Escorts:N0} escort assignments, {totals.Findings:N0} open findings, {eventsNow - eventsAtStart:N0} audit events (trail now {eventsNow:N0}), {totals.History:N0} fact history rows"));
        return new ScaleSeedResult(false, totals.People, totals.Grants, totals.Escorts, totals.Findings, eventsNow - eventsAtStart, totals.History, watch.Elapsed);
    }

    private sealed record Actors(AuditActor Requester, AuditActor Approver, AuditActor Auditor, AuditActor Scheduler);

    private sealed class Totals
    {
        public int People, Grants, Escorts, Findings;
        public long Events;
        public long History { get; set; }
    }

    /// <summary>Vendors, their contracts and the systems, through the gate like any change (they are a hundred rows).</summary>
    private async Task SetupAsync(List<Guid> vendorIds, List<ScaleSystem> systems, List<Guid> officers, CancellationToken ct)
    {
        using var audit = AuditScope.Begin(Actor.ServerOperator, "seed.scale");
        string[] words = ["Federal", "Defense", "Cloud", "Systems", "Solutions", "Analytics", "Networks", "Logistics", "Secure", "Digital"];
        for (var v = 0; v < vendorIds.Count; v++)
        {
            var name = $"Scale {words[v % words.Length]} {words[(v / words.Length + v + 3) % words.Length]} {v + 1:D2} LLC";
            db.Vendors.Add(new Vendor(vendorIds[v], name, $"SV{v + 1:D3}", $"SCALEVEND{v + 1:D3}"));
        }
        foreach (var s in systems)
        {
            db.Systems.Add(new CloudSystem(s.Id, s.Name, s.Provider, s.Environment, s.ImpactLevel));
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        for (var v = 0; v < vendorIds.Count; v++)
        {
            var covered = Enumerable.Range(0, 6).Select(k => systems[(v * 7 + k * 11) % systems.Count].Id).Append(systems[0].Id).Append(systems[1].Id);
            db.Contracts.Add(new Contract(ScaleGenerator.Id(0x5F0000 + v), vendorIds[v], $"SC{v + 1:D2}-26-C-{1000 + v}", $"Scale contract {v + 1}",
                today.AddYears(-10 + v % 5), today.AddYears(1 + v % 4), officers, covered));
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>An open finding for each rule a current grant fails today (as the gate's re-evaluation opens them).</summary>
    private static List<(Finding Finding, GrantPlan Grant)> FindingsOf(List<GrantPlan> grants, PolicyParameters parameters)
    {
        var list = new List<(Finding, GrantPlan)>();
        foreach (var g in grants.Where(g => g.Current && g.Status != GrantStatus.Revoked))
        {
            var at = g.StatusChangedAt ?? g.ApprovedAt ?? g.RequestedAt;
            foreach (var outcome in g.NowOutcomes)
            {
                list.Add((outcome.OpenFinding(g.Person.Id, g.Person.VendorId, at,
                    DateOnly.FromDateTime(at.UtcDateTime).AddDays(parameters.FindingDueDays.For(outcome.Severity))), g));
            }
        }
        return list;
    }

    /// <summary>The batch's audit events in time order: what the portal would have recorded for these people and grants, plus the
    /// trail's everyday traffic (exports, refused requests) up to the requested total.</summary>
    private static List<AuditDraft> Drafts(ScaleGenerator generator, List<PersonPlan> people, List<GrantPlan> grants,
        List<(Finding Finding, GrantPlan Grant)> findings, Actors actors, Guid policyVersionId, DateTimeOffset now, long budget)
    {
        var drafts = new List<AuditDraft>(grants.Count * 4 + people.Count * 2);
        string Correlation(DateTimeOffset at) => Guid.CreateVersion7(at).ToString();
        var correlationOf = new Dictionary<(Guid, DateTimeOffset), string>();
        foreach (var p in people)
        {
            drafts.Add(new AuditDraft(p.CreatedAt, actors.Requester, 3000, "import-roster", "person", p.Id.ToString(), AuditJson.Created(
            [
                ("id", p.Id), ("vendorId", p.VendorId), ("employeeId", p.EmployeeId), ("fullName", p.FullName), ("email", p.Email),
                ("employerType", p.Employer), ("citizenships", p.Citizenships), ("countryOfBirth", p.Birth), ("usLawfulPermanentResident", p.Lpr),
                ("workCountry", p.Moved?.Country ?? p.WorkCountry), ("workCity", p.Moved?.City ?? p.WorkCity), ("investigationTier", p.Tier),
                ("adjudicatedOn", p.AdjudicatedOn), ("continuousVetting", p.ContinuousVetting), ("clearance", p.Clearance), ("ndaSignedOn", p.NdaSignedOn),
                ("escortQualification", p.EscortQualification), ("escortTrainingOn", p.EscortTrainingOn),
                ("employmentStatus", Core.Domain.EmploymentStatus.Active), ("locationAttestedOn", p.CreatedOn), ("version", 0u),
                ("screeningStatus", Core.Domain.ScreeningStatus.Clear),
            ]), "[]", Correlation(p.CreatedAt)));
            if (p.Moved is { } moved)
            {
                var correlation = Correlation(moved.At);
                correlationOf[(p.Id, moved.At)] = correlation;
                drafts.Add(new AuditDraft(moved.At, actors.Requester, 3001, "change-person-facts", "person", p.Id.ToString(),
                    AuditJson.Changed(("workCountry", moved.Country, p.WorkCountry), ("workCity", moved.City, p.WorkCity)), "[]", correlation));
            }
            if (p.AttestedOn > p.CreatedOn)
            {
                // The vendor's latest attestation, after the one the person joined with: the row holds its date, and so must the
                // trail (state verification compares the two).
                var at = new DateTimeOffset(p.AttestedOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
                at = at > now ? now.AddMinutes(-1) : at;
                drafts.Add(new AuditDraft(at, actors.Requester, 3001, "submit-attestation", "person", p.Id.ToString(),
                    AuditJson.Changed(("locationAttestedOn", p.CreatedOn, p.AttestedOn)), "[]", Correlation(at)));
            }
            if (p.TerminatedAt is { } left)
            {
                var correlation = Correlation(left);
                correlationOf[(p.Id, left)] = correlation;
                drafts.Add(new AuditDraft(left, actors.Requester, 3001, "terminate-person", "person", p.Id.ToString(),
                    AuditJson.Changed(("employmentStatus", "Active", "Terminated"), ("terminatedOn", null, p.TerminatedOn)), "[]", correlation));
            }
            if (p.Kind is PersonKind.InCoveredCountry or PersonKind.UsDualCovered)
            {
                // Someone asked for their access, and the policy refused it.
                var at = p.CreatedAt.AddDays(1 + generator.Random.Next(20));
                if (at < now && generator.Refusal(p, at) is { } refused)
                {
                    drafts.Add(Refusal(p, refused, at, actors.Requester, Correlation(at)));
                }
            }
        }
        foreach (var g in grants)
        {
            var requestCorrelation = Correlation(g.RequestedAt);
            if (g.Escort is { } e)
            {
                drafts.Add(new AuditDraft(e.CreatedAt, actors.Approver, 4100, "assign-escort", "escort-assignment", e.Id.ToString(), AuditJson.Created(
                [
                    ("id", e.Id), ("escortId", e.Escort.Id), ("personId", e.PersonId), ("systemId", e.SystemId), ("startsOn", e.StartsOn),
                    ("endsOn", e.EndsOn), ("active", true), ("createdBy", actors.Approver.UserId), ("createdAt", e.CreatedAt),
                ]), AuditRecorder.OutcomesJson(e.Outcomes), Correlation(e.CreatedAt)));
            }
            var approvedAtOnce = !g.TwoPerson;
            drafts.Add(new AuditDraft(g.RequestedAt, actors.Requester, 4000, "request-grant", "grant", g.Id.ToString(), AuditJson.Created(
            [
                ("id", g.Id), ("personId", g.Person.Id), ("systemId", g.System.Id), ("accessType", g.AccessType), ("escorted", g.Escorted),
                ("startsOn", g.StartsOn), ("endsOn", g.EndsOn), ("justification", g.Justification),
                ("status", approvedAtOnce ? GrantStatus.Active : GrantStatus.PendingApproval), ("requestedBy", actors.Requester.UserId),
                ("requestedAt", g.RequestedAt), ("approvedBy", approvedAtOnce ? actors.Requester.UserId : null),
                ("approvedAt", approvedAtOnce ? g.RequestedAt : null), ("policyVersionId", approvedAtOnce ? policyVersionId : null), ("version", 0u),
            ]), AuditRecorder.OutcomesJson(g.RequestOutcomes), requestCorrelation));
            if (g.TwoPerson && g.ApprovedAt is { } approved)
            {
                drafts.Add(new AuditDraft(approved, actors.Approver, 4001, "approve-grant", "grant", g.Id.ToString(), AuditJson.Changed(
                    ("status", GrantStatus.PendingApproval, GrantStatus.Active), ("approvedBy", null, actors.Approver.UserId), ("approvedAt", null, approved),
                    ("policyVersionId", null, policyVersionId)), AuditRecorder.OutcomesJson(g.RequestOutcomes), Correlation(approved)));
            }
            if (g.StatusChangedAt is { } changed)
            {
                var actor = g.StatusOperation == "reevaluate-grants" ? actors.Scheduler : actors.Requester;
                var correlation = correlationOf.GetValueOrDefault((g.Person.Id, changed)) ?? Correlation(changed);
                correlationOf[(g.Id, changed)] = correlation;
                drafts.Add(new AuditDraft(changed, actor, 4001, g.StatusOperation, "grant", g.Id.ToString(), AuditJson.Changed(
                        ("status", GrantStatus.Active, g.Status), ("statusReason", null, g.StatusReason)),
                    AuditRecorder.OutcomesJson(g.Status == GrantStatus.Suspended ? g.NowOutcomes : []), correlation));
            }
        }
        foreach (var (f, g) in findings)
        {
            var actor = g.StatusOperation == "reevaluate-grants" ? actors.Scheduler : actors.Requester;
            drafts.Add(new AuditDraft(f.DetectedAt, actor, 6000, g.StatusChangedAt is null ? "request-grant" : g.StatusOperation, "finding", f.Id.ToString(),
                AuditJson.Created(
                [
                    ("id", f.Id), ("ruleId", f.RuleId), ("subjectType", f.SubjectType), ("subjectId", f.SubjectId), ("personId", f.PersonId),
                    ("vendorId", f.VendorId), ("severity", f.Severity), ("message", f.Message), ("facts", f.Facts), ("citation", f.Citation),
                    ("policyVersion", f.PolicyVersion), ("detectedAt", f.DetectedAt), ("dueOn", f.DueOn), ("status", f.Status),
                ]), "[]", correlationOf.GetValueOrDefault((g.Id, f.DetectedAt)) ?? Correlation(f.DetectedAt)));
        }

        // The everyday traffic of the trail: exports by officers and auditors, and requests the policy refused.
        var earliest = people[0].CreatedAt;
        var span = (now - earliest).TotalSeconds;
        string[] kinds = ["roster", "findings", "grants", "audit", "escorts", "attestations"];
        string[] formats = ["csv", "xlsx", "pdf", "json"];
        var r = generator.Random;
        for (var k = drafts.Count; k < budget; k++)
        {
            var at = earliest.AddSeconds(span * r.NextDouble());
            if (r.NextDouble() < 0.5 && people[r.Next(people.Count)] is var p && p.CreatedAt < at && generator.Refusal(p, at) is { } refused)
            {
                drafts.Add(Refusal(p, refused, at, actors.Requester, Correlation(at)));
                continue;
            }
            var kind = kinds[r.Next(kinds.Length)];
            var format = formats[r.Next(formats.Length)];
            var rows = r.Next(1, 5_000);
            var hash = Convert.ToHexStringLower(BitConverter.GetBytes(r.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(r.NextInt64()));
            var actor = r.NextDouble() < 0.6 ? actors.Auditor : actors.Requester;
            drafts.Add(new AuditDraft(at, actor, AuditEventTypes.Export, "export", "export", Guid.CreateVersion7(at).ToString(),
                AuditRecorder.RequestJson(new Dictionary<string, object?>
                {
                    ["kind"] = kind, ["format"] = format, ["filters"] = new Dictionary<string, string>(), ["sort"] = null, ["rows"] = rows,
                    ["bytes"] = rows * 180L, ["sha256"] = hash + hash, ["fileName"] = $"{kind}-{at.UtcDateTime:yyyyMMdd-HHmm}.{format}",
                }), "[]", Correlation(at)));
        }
        drafts.Sort((a, b) => a.At.CompareTo(b.At));
        return drafts;
    }

    private static AuditDraft Refusal(PersonPlan p, (GrantFacts Grant, ScaleSystem System, IReadOnlyList<RuleOutcome> Violations) refused,
        DateTimeOffset at, AuditActor actor, string correlation) =>
        new(at, actor, AuditEventTypes.AccessDecisionRefused, "request-grant", "grant", refused.Grant.Id.ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["personId"] = p.Id, ["systemId"] = refused.System.Id, ["accessType"] = refused.Grant.AccessType.ToString(),
                ["startsOn"] = refused.Grant.StartsOn, ["endsOn"] = refused.Grant.EndsOn, ["status"] = refused.Grant.Status.ToString(),
            }), AuditRecorder.OutcomesJson(refused.Violations), correlation);

    /// <summary>One batch, one transaction: rows and their receipts, then the events, chained from the current head under the chain lock.</summary>
    private static async Task WriteBatchAsync(NpgsqlConnection connection, List<PersonPlan> people, List<GrantPlan> grants,
        List<(Finding Finding, GrantPlan Grant)> findings, List<AuditDraft> drafts, Guid policyVersionId, Actors actors, DateTimeOffset now, Totals totals,
        (Core.Security.AuditSigningKey Key, CheckpointLog Log)? checkpoints, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var receipts = new List<(string Table, Guid Id)>(people.Count + grants.Count * 2);

        await using (var copy = await Copy(connection, "people (id, vendor_id, employee_id, full_name, email, employer_type, citizenships, country_of_birth, " +
                         "us_lawful_permanent_resident, work_country, work_city, investigation_tier, adjudicated_on, continuous_vetting, clearance, nda_signed_on, " +
                         "escort_qualification, escort_training_on, employment_status, terminated_on, location_attested_on, screening_match, screening_status)", ct))
        {
            foreach (var p in people)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(p.VendorId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(p.EmployeeId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.FullName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Email, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Employer.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Citizenships, NpgsqlDbType.Array | NpgsqlDbType.Char, ct);
                await copy.WriteAsync(p.Birth, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(p.Lpr, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.WorkCountry, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(p.WorkCity, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(p.Tier.ToString(), NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, p.AdjudicatedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(p.ContinuousVetting, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(p.Clearance.ToString(), NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, p.NdaSignedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(p.EscortQualification.ToString(), NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, p.EscortTrainingOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(p.TerminatedAt is null ? "Active" : "Terminated", NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, p.TerminatedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(p.AttestedOn, NpgsqlDbType.Date, ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteAsync("Clear", NpgsqlDbType.Varchar, ct);
                receipts.Add(("people", p.Id));
            }
            await copy.CompleteAsync(ct);
        }

        await using (var copy = await Copy(connection, "escort_assignments (id, escort_id, person_id, system_id, starts_on, ends_on, active, created_by, created_at)", ct))
        {
            foreach (var e in grants.Select(g => g.Escort).OfType<EscortPlan>())
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.Escort.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.PersonId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.SystemId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.StartsOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(e.EndsOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(actors.Approver.UserId!.Value, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz, ct);
                receipts.Add(("escort_assignments", e.Id));
                totals.Escorts++;
            }
            await copy.CompleteAsync(ct);
        }

        await using (var copy = await Copy(connection, "access_grants (id, person_id, system_id, access_type, escorted, starts_on, ends_on, justification, status, " +
                         "status_reason, requested_by, requested_at, approved_by, approved_at, policy_version_id)", ct))
        {
            foreach (var g in grants)
            {
                var approvedBy = g.TwoPerson ? (g.ApprovedAt is null ? null : actors.Approver.UserId) : actors.Requester.UserId;
                var approvedAt = g.TwoPerson ? g.ApprovedAt : g.RequestedAt;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(g.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(g.Person.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(g.System.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(g.AccessType.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(g.Escorted, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(g.StartsOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(g.EndsOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(g.Justification, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(g.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, g.StatusReason, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(actors.Requester.UserId!.Value, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(g.RequestedAt, NpgsqlDbType.TimestampTz, ct);
                await NullableAsync(copy, approvedBy, NpgsqlDbType.Uuid, ct);
                await NullableAsync(copy, approvedAt, NpgsqlDbType.TimestampTz, ct);
                await NullableAsync(copy, approvedBy is null ? (Guid?)null : policyVersionId, NpgsqlDbType.Uuid, ct);
                receipts.Add(("access_grants", g.Id));
            }
            await copy.CompleteAsync(ct);
        }

        await using (var copy = await Copy(connection, "findings (id, rule_id, subject_type, subject_id, person_id, vendor_id, severity, message, facts, citation, " +
                         "policy_version, detected_at, due_on, status)", ct))
        {
            foreach (var (f, _) in findings)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(f.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(f.RuleId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.SubjectType, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.SubjectId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(f.PersonId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(f.VendorId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(f.Severity.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.Message, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.Facts, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(f.Citation, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(f.PolicyVersion, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(f.DetectedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(f.DueOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(f.Status.ToString(), NpgsqlDbType.Varchar, ct);
            }
            await copy.CompleteAsync(ct);
        }

        await using (var copy = await Copy(connection, "evaluation_receipts (subject_table, subject_id, evaluated_at)", ct))
        {
            foreach (var (table, id) in receipts)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(table, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }

        totals.History += await ScaleFactHistory.WriteAsync(connection, people, actors.Requester, ct);
        await AppendEventsAsync(connection, transaction, drafts, checkpoints, now, ct);
        await transaction.CommitAsync(ct);
        totals.People += people.Count;
        totals.Grants += grants.Count;
        totals.Findings += findings.Count;
        totals.Events += drafts.Count;
    }

    /// <summary>The signing key and checkpoint file, when the seed signs checkpoints.</summary>
    private (Core.Security.AuditSigningKey Key, CheckpointLog Log)? Checkpoints =>
        keys?.SigningKey is { HasPrivateKey: true } key ? (key, checkpointLog ?? new CheckpointLog(null)) : null;

    /// <summary>
    /// Chains the drafts onto the head of the trail, as AuditRecorder does, and COPYs them; then signs the checkpoints that fall in
    /// the batch, inserts them and appends them to the checkpoint file before the batch commits, as the signer does.
    /// </summary>
    private static async Task AppendEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<AuditDraft> drafts,
        (Core.Security.AuditSigningKey Key, CheckpointLog Log)? checkpoints, DateTimeOffset now, CancellationToken ct)
    {
        var signed = new List<ChainCheckpoint>();
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ChainLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        long sequence = 0;
        var previous = AuditChain.GenesisHash;
        await using (var head = new NpgsqlCommand("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                sequence = reader.GetInt64(0);
                previous = reader.GetString(1);
            }
        }
        await using (var copy = await Copy(connection, "audit_events (sequence, occurred_at, actor_user_id, actor_name, actor_role, actor_vendor_id, " +
            "authentication_method, event_type, operation, subject_type, subject_id, changes, rule_outcomes, correlation_id, previous_hash, hash)", ct))
        {
            foreach (var d in drafts)
            {
                var e = new AuditEvent
                {
                    Sequence = ++sequence,
                    OccurredAt = AuditChain.ToStoredPrecision(d.At),
                    ActorUserId = d.Actor.UserId,
                    ActorName = d.Actor.Name,
                    ActorRole = d.Actor.Role,
                    ActorVendorId = d.Actor.VendorId,
                    AuthenticationMethod = d.Actor.AuthenticationMethod,
                    EventType = d.EventType,
                    Operation = d.Operation,
                    SubjectType = d.SubjectType,
                    SubjectId = d.SubjectId,
                    Changes = d.Changes,
                    RuleOutcomes = d.RuleOutcomes,
                    CorrelationId = d.CorrelationId,
                    PreviousHash = previous,
                };
                var hash = AuditChain.ComputeHash(e);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(e.OccurredAt, NpgsqlDbType.TimestampTz, ct);
                await NullableAsync(copy, e.ActorUserId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.ActorName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.ActorRole, NpgsqlDbType.Varchar, ct);
                await NullableAsync(copy, e.ActorVendorId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(e.AuthenticationMethod, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.EventType, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(e.Operation, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.SubjectType, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.SubjectId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(e.Changes, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(e.RuleOutcomes, NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(e.CorrelationId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(previous, NpgsqlDbType.Char, ct);
                await copy.WriteAsync(hash, NpgsqlDbType.Char, ct);
                previous = hash;
                if (checkpoints is { } c && e.Sequence % CheckpointEvery == 0)
                {
                    signed.Add(ChainCheckpoint.Sign(c.Key, e.Sequence, hash, now));
                }
            }
            await copy.CompleteAsync(ct);
        }
        foreach (var checkpoint in signed)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO chain_checkpoints (sequence, hash, signed_at, key_id, signature) VALUES (@sequence, @hash, @signedAt, @keyId, @signature)",
                connection, transaction);
            insert.Parameters.AddWithValue("sequence", checkpoint.Sequence);
            insert.Parameters.AddWithValue("hash", checkpoint.Hash);
            insert.Parameters.AddWithValue("signedAt", checkpoint.SignedAt);
            insert.Parameters.AddWithValue("keyId", checkpoint.KeyId);
            insert.Parameters.AddWithValue("signature", checkpoint.Signature);
            await insert.ExecuteNonQueryAsync(ct);
            checkpoints!.Value.Log.Append(checkpoint);
        }
    }

    private static async Task<NpgsqlBinaryImporter> Copy(NpgsqlConnection connection, string tableAndColumns, CancellationToken ct)
    {
        var importer = await connection.BeginBinaryImportAsync($"COPY {tableAndColumns} FROM STDIN (FORMAT BINARY)", ct);
        importer.Timeout = TimeSpan.FromMinutes(15);
        return importer;
    }

    private static Task NullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task NullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
