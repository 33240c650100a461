using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The rule half of the gate (DESIGN.md section 4). For each change it finds every person, grant and escort
/// assignment the change can affect, builds their facts from tracked and stored state and evaluates the active
/// policy version:
/// <list type="bullet">
/// <item>access decisions (new grants, status changes to active or pending, new escort assignments) that fail a
/// blocking rule are refused — <see cref="ComplianceRefusalException"/>, nothing written;</item>
/// <item>facts are always recorded, with their history; their consequences join the same change: grants that now
/// fail a blocking rule are suspended, termination revokes every grant, findings open and close.</item>
/// </list>
/// The outcomes go into the audit events of the change.
/// </summary>
internal static class ComplianceGate
{
    /// <summary>Person attributes that are facts (kept in the history); names and keys are not.</summary>
    private static readonly HashSet<string> NotFacts = [nameof(Person.Id), nameof(Person.VendorId), nameof(Person.Version)];

    /// <summary>How a fact's value is written to the history; one instance, so its metadata cache is built once, not per value.</summary>
    private static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static async Task<Dictionary<object, IReadOnlyList<RuleOutcome>>> EvaluateAsync(ComplianceDbContext db, AuditScope? scope,
        DateTimeOffset now, CancellationToken ct)
    {
        var result = new Dictionary<object, IReadOnlyList<RuleOutcome>>(ReferenceEqualityComparer.Instance);
        db.ChangeTracker.DetectChanges();
        var activation = db.ChangeTracker.Entries<PolicyVersion>()
            .SingleOrDefault(e => e.State == EntityState.Modified && e.Entity.Status == PolicyStatus.Active && e.Property(v => v.Status).IsModified);
        if (activation is not null)
        {
            // A new policy is a fact: it is always recorded, and every current grant is re-evaluated under it.
            await ReevaluateAllAsync(db, activation.Entity, now, ct);
        }
        else if (db.ReevaluateAllGrants)
        {
            // Time passed: the same policy, a new day.
            await ReevaluateAllAsync(db, (await ActivePolicyAsync(db, ct)).Version, now, ct);
            db.ReevaluateAllGrants = false;
        }
        var people = db.ChangeTracker.Entries<Person>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        var grants = db.ChangeTracker.Entries<AccessGrant>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        var assignments = db.ChangeTracker.Entries<EscortAssignment>().Where(e => e.State == EntityState.Added).ToList();
        var sessionsChanged = db.ChangeTracker.Entries<EscortedSession>().Any(e => e.State is EntityState.Added or EntityState.Modified);
        var systems = db.ChangeTracker.Entries<Domain.Systems.CloudSystem>()
            .Where(e => e.State == EntityState.Modified && e.Property(s => s.ImpactLevel).IsModified
                        && !Equals(e.Property(s => s.ImpactLevel).OriginalValue, e.Entity.ImpactLevel))
            .Select(e => e.Entity.Id).ToList();
        var systemsTouched = db.ChangeTracker.Entries<Domain.Systems.CloudSystem>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        if (people.Count == 0 && grants.Count == 0 && assignments.Count == 0 && !sessionsChanged && !systemsTouched)
        {
            return result;
        }

        var (version, parameters) = await ActivePolicyAsync(db, ct);
        var context = new RuleContext(parameters, version.Number, DateOnly.FromDateTime(now.UtcDateTime)) { Now = now };
        await EvaluateAllAsync(db, scope, now, context, parameters, version.Id, people, grants, assignments, result, ct);
        if (systems.Count > 0)
        {
            // A system's impact level is a fact of every grant on it.
            await ApplyAsync(db, FactsLoader.CurrentGrants(db).Where(g => systems.Contains(g.SystemId)), context, parameters, version.Id, now,
                rules => $"Suspended when the system's impact level changed: {rules}.", result, [], ct);
        }
        IssueReceipts(db, now);
        return result;
    }

    private static async Task EvaluateAllAsync(ComplianceDbContext db, AuditScope? scope,
        DateTimeOffset now, RuleContext context, PolicyParameters parameters, Guid policyVersionId, List<EntityEntry<Person>> people,
        List<EntityEntry<AccessGrant>> grants, List<EntityEntry<EscortAssignment>> assignments,
        Dictionary<object, IReadOnlyList<RuleOutcome>> result, CancellationToken ct)
    {
        var today = context.Today;

        // 0. Screening: new people and new names are screened against the newest restricted-party list.
        var toScreen = people
            .Where(e => e.State == EntityState.Added || (e.Property(p => p.FullName).IsModified && !Equals(e.Property(p => p.FullName).OriginalValue, e.Entity.FullName)))
            .Select(e => e.Entity).ToList();
        if (toScreen.Count > 0 && await ScreeningIndexCache.LatestAsync(db, ct) is { } index)
        {
            await Screener.ScreenAsync(db, index, toScreen, parameters.ScreeningSettings, now, ct);
        }

        // 1. Facts: history, then consequences on every current grant the changed people hold or supervise as escorts.
        var handled = new HashSet<Guid>();
        foreach (var entry in people)
        {
            RecordHistory(db, entry, scope, now, today);
        }
        var changed = people.Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id).ToList();
        if (changed.Count > 0)
        {
            var supervised = db.EscortAssignments.Where(a => changed.Contains(a.EscortId)).Select(a => a.PersonId);
            var affected = FactsLoader.CurrentGrants(db).Where(g => changed.Contains(g.PersonId) || supervised.Contains(g.PersonId));
            await ApplyAsync(db, affected, context, parameters, policyVersionId, now, rules => $"Suspended by the policy: {rules}.", result, handled, ct);
        }

        // 2. Escorted sessions recorded or signed off: findings for late or missing sign-offs.
        foreach (var entry in db.ChangeTracker.Entries<EscortedSession>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList())
        {
            await EvaluateSessionAsync(db, entry.Entity, context, parameters, now, result, ct);
        }

        // 3. New escort assignments: access decisions.
        foreach (var entry in assignments)
        {
            var outcomes = PolicyEvaluator.Default.Evaluate(await EscortSubjectAsync(db, entry.Entity, ct), context);
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (blocking.Count > 0)
            {
                var a = entry.Entity;
                throw new ComplianceRefusalException("escort-assignment", a.Id, blocking, new Dictionary<string, object?>
                {
                    ["escortId"] = a.EscortId, ["personId"] = a.PersonId, ["systemId"] = a.SystemId, ["startsOn"] = a.StartsOn, ["endsOn"] = a.EndsOn,
                });
            }
            result[entry.Entity] = outcomes;
        }

        // 4. Grants changed directly: access decisions are refused when a blocking rule fails.
        foreach (var entry in grants.Where(e => !handled.Contains(e.Entity.Id)))
        {
            var grant = entry.Entity;
            var outcomes = await WithoutWaivedAsync(db, "grant", grant.Id, PolicyEvaluator.Default.Evaluate(await SubjectAsync(db, grant, ct), context), context.Today, ct);
            var statusChanged = entry.State == EntityState.Added || entry.Property(g => g.Status).IsModified;
            var isAccessDecision = statusChanged && grant.Status is GrantStatus.Active or GrantStatus.PendingApproval;
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (isAccessDecision && blocking.Count > 0)
            {
                throw new ComplianceRefusalException("grant", grant.Id, blocking, new Dictionary<string, object?>
                {
                    ["personId"] = grant.PersonId, ["systemId"] = grant.SystemId, ["accessType"] = grant.AccessType.ToString(),
                    ["startsOn"] = grant.StartsOn, ["endsOn"] = grant.EndsOn, ["status"] = grant.Status.ToString(),
                });
            }
            var person = await db.People.FindAsync([grant.PersonId], ct);
            if (grant.Status is GrantStatus.Revoked or GrantStatus.Expired)
            {
                CloseFindings(db, await OpenFindingsAsync(db, grant.Id, ct), now, $"The grant was {grant.Status.ToString().ToLowerInvariant()}.");
            }
            else if (person is not null)
            {
                await SyncFindingsAsync(db, grant, person, outcomes, parameters, now, ct);
            }
            result[grant] = outcomes;
        }
    }

    /// <summary>
    /// A receipt for every row of a rule-relevant table this change writes (consequences included): the deferred
    /// trigger checks them at commit. Issued after evaluation; a refusal throws before the save, so its receipts are
    /// never written.
    /// </summary>
    internal static void IssueReceipts(ComplianceDbContext db, DateTimeOffset now)
    {
        var written = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch
            {
                Person p => ("people", p.Id),
                Domain.Systems.CloudSystem s => ("cloud_systems", s.Id),
                AccessGrant g => ("access_grants", g.Id),
                EscortAssignment a => ("escort_assignments", a.Id),
                Domain.Contributions.CodeContribution c => ("code_contributions", c.Id),
                _ => ((string, Guid)?)null,
            })
            .OfType<(string Table, Guid Id)>()
            .Distinct()
            .ToList();
        var issued = db.ChangeTracker.Entries<EvaluationReceipt>().Where(e => e.State == EntityState.Added)
            .Select(e => (e.Entity.SubjectTable, e.Entity.SubjectId)).ToHashSet();
        foreach (var (table, id) in written.Where(w => !issued.Contains(w)))
        {
            db.EvaluationReceipts.Add(new EvaluationReceipt(table, id, now));
        }
    }

    private static async Task EvaluateSessionAsync(ComplianceDbContext db, EscortedSession session, RuleContext context, PolicyParameters parameters,
        DateTimeOffset now, Dictionary<object, IReadOnlyList<RuleOutcome>> result, CancellationToken ct)
    {
        var outcomes = PolicyEvaluator.Default.Evaluate(session.ToSubject(), context);
        var open = await OpenFindingsAsync(db, session.Id, ct);
        // A late sign-off stays a finding until an officer remediates it; the gate only opens session findings.
        foreach (var outcome in outcomes.Where(o => open.All(f => f.RuleId != o.RuleId)))
        {
            var finding = Finding.Open(outcome, session.PersonId, session.VendorId, now,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(parameters.FindingDueDays.For(outcome.Severity)));
            db.Findings.Add(finding);
            db.Consequences.FindingsOpened.Add(finding.Id);
        }
        result[session] = outcomes;
    }

    /// <summary>
    /// Re-evaluates every current grant under a policy version (newly activated, or the active one on a new day):
    /// suspends what fails a blocking rule, syncs findings, and checks unsigned escorted sessions.
    /// </summary>
    private static async Task ReevaluateAllAsync(ComplianceDbContext db, PolicyVersion activated, DateTimeOffset now, CancellationToken ct)
    {
        var parameters = PolicyJson.Deserialize(activated.Parameters);
        var context = new RuleContext(parameters, activated.Number, DateOnly.FromDateTime(now.UtcDateTime)) { Now = now };
        var result = new Dictionary<object, IReadOnlyList<RuleOutcome>>(ReferenceEqualityComparer.Instance);
        foreach (var session in await db.EscortedSessions.Where(s => s.SignedOffAt == null).ToListAsync(ct))
        {
            await EvaluateSessionAsync(db, session, context, parameters, now, result, ct);
        }
        await ApplyAsync(db, FactsLoader.CurrentGrants(db), context, parameters, activated.Id, now,
            rules => $"Suspended under policy version {activated.Number} on {context.Today:yyyy-MM-dd}: {rules}.", result, [], ct);
    }

    /// <summary>
    /// Evaluates a set of current grants in bulk and applies the consequences: termination revokes, a failing blocking
    /// rule suspends, findings open and close. Grants are tracked only when they change.
    /// </summary>
    private static async Task ApplyAsync(ComplianceDbContext db, IQueryable<AccessGrant> grants, RuleContext context, PolicyParameters parameters,
        Guid policyVersionId, DateTimeOffset now, Func<string, string> suspensionReason, Dictionary<object, IReadOnlyList<RuleOutcome>> result, HashSet<Guid> handled,
        CancellationToken ct)
    {
        var loaded = await FactsLoader.GrantSubjectsAsync(db, grants, context.Today, ct);
        var findings = await FactsLoader.OpenGrantFindingsAsync(db, grants, ct);
        foreach (var item in loaded)
        {
            var grant = item.Grant;
            handled.Add(grant.Id);
            var outcomes = item.WithoutWaived(PolicyEvaluator.Default.Evaluate(item.Subject, context));
            var open = findings[grant.Id].ToList();
            if (item.Person.EmploymentStatus == Domain.EmploymentStatus.Terminated)
            {
                FactsLoader.Track(db, grant).Revoke($"TERMINATION: employment ended on {item.Person.TerminatedOn:yyyy-MM-dd}.");
                db.Consequences.RevokedGrants.Add(grant.Id);
                CloseFindings(db, open, now, "The grant was revoked.");
                result[grant] = outcomes;
                continue;
            }
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (blocking.Count > 0 && grant.Status is GrantStatus.Active or GrantStatus.PendingApproval)
            {
                // A screening hit alone holds the grant (released when the hit is cleared); anything else suspends it.
                var held = blocking.All(o => o.RuleId == Rules.Catalogue.ScreeningMatch.RuleId);
                FactsLoader.Track(db, grant).Suspend(held
                    ? Rules.Catalogue.ScreeningMatch.HoldReason + "."
                    : suspensionReason(string.Join(", ", blocking.Select(o => o.RuleId))));
                db.Consequences.SuspendedGrants.Add(grant.Id);
            }
            else if (blocking.Count == 0 && grant.Status == GrantStatus.Suspended && grant.StatusReason?.StartsWith(Rules.Catalogue.ScreeningMatch.HoldReason, StringComparison.Ordinal) == true)
            {
                FactsLoader.Track(db, grant).Reactivate("Hold released: the screening match was cleared and every rule passes.", policyVersionId);
                db.Consequences.ReactivatedGrants.Add(grant.Id);
            }
            SyncFindings(db, grant.Id, item.Person.Id, item.Person.VendorId, outcomes, open, parameters, now);
            if (outcomes.Count > 0 || open.Count > 0 || db.Entry(grant).State != EntityState.Detached)
            {
                result[grant] = outcomes;
            }
        }
    }

    /// <summary>
    /// Drops the outcomes of rules waived for this subject (approved, unexpired, and the rule waivable): a waived rule
    /// neither refuses nor suspends, and its finding stays waived instead of reopening.
    /// </summary>
    private static async Task<IReadOnlyList<RuleOutcome>> WithoutWaivedAsync(ComplianceDbContext db, string subjectType, Guid subjectId,
        IReadOnlyList<RuleOutcome> outcomes, DateOnly today, CancellationToken ct)
    {
        if (outcomes.Count == 0)
        {
            return outcomes;
        }
        var waivers = await db.Waivers.AsNoTracking()
            .Where(w => w.SubjectType == subjectType && w.SubjectId == subjectId && w.Status == Domain.Findings.WaiverStatus.Active && w.ExpiresOn >= today)
            .Select(w => w.RuleId).ToListAsync(ct);
        var tracked = db.ChangeTracker.Entries<Domain.Findings.Waiver>()
            .Where(e => e.Entity.SubjectId == subjectId && e.Entity.InForceOn(today)).Select(e => e.Entity.RuleId);
        var waived = waivers.Concat(tracked).Where(id => RuleCatalogue.Find(id)?.Waivable == true).ToHashSet();
        return waived.Count == 0 ? outcomes : outcomes.Where(o => !waived.Contains(o.RuleId)).ToList();
    }

    /// <summary>Opens a finding for each failing rule that has none open, and closes open findings whose rule now passes.</summary>
    private static async Task SyncFindingsAsync(ComplianceDbContext db, AccessGrant grant, Person person, IReadOnlyList<RuleOutcome> outcomes,
        PolicyParameters parameters, DateTimeOffset now, CancellationToken ct) =>
        SyncFindings(db, grant.Id, person.Id, person.VendorId, outcomes, await OpenFindingsAsync(db, grant.Id, ct), parameters, now);

    private static void SyncFindings(ComplianceDbContext db, Guid subjectId, Guid personId, Guid vendorId,
        IReadOnlyList<RuleOutcome> outcomes, List<Finding> open, PolicyParameters parameters, DateTimeOffset now)
    {
        foreach (var outcome in outcomes.Where(o => open.All(f => f.RuleId != o.RuleId)))
        {
            var finding = Finding.Open(outcome, personId, vendorId, now,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(parameters.FindingDueDays.For(outcome.Severity)));
            db.Findings.Add(finding);
            db.Consequences.FindingsOpened.Add(finding.Id);
            open.Add(finding);
        }
        CloseFindings(db, open.Where(f => f.IsOpen && outcomes.All(o => o.RuleId != f.RuleId)).ToList(), now, "The rule passes again: the condition cleared.");
    }

    private static void CloseFindings(ComplianceDbContext db, IReadOnlyList<Finding> findings, DateTimeOffset now, string why)
    {
        foreach (var finding in findings.Where(f => f.IsOpen))
        {
            finding.Close(now, why);
            db.Consequences.FindingsClosed.Add(finding.Id);
        }
    }

    private static async Task<List<Finding>> OpenFindingsAsync(ComplianceDbContext db, Guid subjectId, CancellationToken ct)
    {
        var stored = await db.Findings
            .Where(f => f.SubjectId == subjectId && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged))
            .ToListAsync(ct);
        var added = db.ChangeTracker.Entries<Finding>()
            .Where(e => e.State == EntityState.Added && e.Entity.SubjectId == subjectId && e.Entity.IsOpen).Select(e => e.Entity);
        return stored.Concat(added).Distinct().ToList();
    }

    /// <summary>
    /// One history record per change of a person: a JSON object of every fact that changed (every fact when the person is
    /// new), and a second record when screening facts changed with others, since they have a source of their own. The
    /// records are not tracked; they are written with the change, in its transaction, by <see cref="FactHistoryWriter"/>.
    /// </summary>
    private static void RecordHistory(ComplianceDbContext db, EntityEntry<Person> entry, AuditScope? scope, DateTimeOffset now, DateOnly today)
    {
        var source = db.FactSource ?? (scope?.Actor.Role switch
        {
            Roles.VendorRepresentative => FactSource.VendorDeclared,
            _ when scope?.Actor.AuthenticationMethod == "cli" => FactSource.Imported,
            _ => FactSource.OfficerVerified,
        });
        var facts = new Dictionary<FactSource, List<(string Name, string? Json)>>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (NotFacts.Contains(name) || property.Metadata.IsShadowProperty())
            {
                continue;
            }
            if (entry.State == EntityState.Modified &&
                (!property.IsModified || JsonSerializer.Serialize(property.OriginalValue) == JsonSerializer.Serialize(property.CurrentValue)))
            {
                continue;
            }
            var from = name is nameof(Person.ScreeningStatus) or nameof(Person.ScreeningMatch) ? FactSource.Screening : source;
            var value = property.CurrentValue is null ? null : JsonSerializer.Serialize(property.CurrentValue, property.Metadata.ClrType, FactJson);
            (facts.TryGetValue(from, out var list) ? list : facts[from] = []).Add((JsonNamingPolicy.CamelCase.ConvertName(name), value));
        }
        foreach (var (from, list) in facts)
        {
            db.PendingFactHistory.Add(new PersonFactRecord(entry.Entity.Id, FactObject(list), db.FactsEffectiveOn ?? today, from,
                scope?.Actor.UserId, scope?.Actor.Name ?? "", now));
        }
    }

    /// <summary>The changed facts as one JSON object (attribute → value as JSON text, null when cleared).</summary>
    private static string FactObject(List<(string Name, string? Json)> facts)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * facts.Count);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, json) in facts)
            {
                w.WritePropertyName(name);
                if (json is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(json, skipInputValidation: true);
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The active policy version and its parameters.</summary>
    public static async Task<(PolicyVersion Version, PolicyParameters Parameters)> ActivePolicyAsync(ComplianceDbContext db, CancellationToken ct)
    {
        // A version being activated in this very change is the one in force for it.
        var version = db.ChangeTracker.Entries<PolicyVersion>().Select(e => e.Entity).SingleOrDefault(v => v.Status == PolicyStatus.Active)
            ?? await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Status == PolicyStatus.Active, ct);
        return (version, PolicyJson.Deserialize(version.Parameters));
    }

    /// <summary>
    /// The facts of an escort assignment: both people, the system, how many people the escort would supervise at once
    /// (overlapping active assignments, this one included) and the most demanding access the supervised person holds there.
    /// </summary>
    public static async Task<EscortSubject> EscortSubjectAsync(ComplianceDbContext db, EscortAssignment a, CancellationToken ct)
    {
        var escort = await db.People.FindAsync([a.EscortId], ct) ?? throw new InvalidOperationException("The escort does not exist.");
        var supervised = await db.People.FindAsync([a.PersonId], ct) ?? throw new InvalidOperationException("The supervised person does not exist.");
        var system = await db.Systems.FindAsync([a.SystemId], ct) ?? throw new InvalidOperationException("The system does not exist.");
        var overlapping = await db.EscortAssignments
            .Where(o => o.EscortId == a.EscortId && o.Id != a.Id && o.Active && o.StartsOn <= a.EndsOn && o.EndsOn >= a.StartsOn)
            .Select(o => o.PersonId).Distinct().CountAsync(ct);
        var accessTypes = await db.Grants
            .Where(g => g.PersonId == a.PersonId && g.SystemId == a.SystemId && g.Status != GrantStatus.Revoked && g.Status != GrantStatus.Expired)
            .Select(g => g.AccessType).ToListAsync(ct);
        var required = accessTypes.Contains(AccessType.Privileged) ? AccessType.Privileged : AccessType.NonPrivileged;
        return new EscortSubject(a.Id, escort.ToFacts(), supervised.ToFacts(), system.ToFacts(), a.StartsOn, a.EndsOn, overlapping + 1, required);
    }

    /// <summary>The facts of a grant: the person, the system and every escort assignment of the person on that system.</summary>
    public static async Task<GrantSubject> SubjectAsync(ComplianceDbContext db, AccessGrant grant, CancellationToken ct)
    {
        var person = await db.People.FindAsync([grant.PersonId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a person that does not exist.");
        var system = await db.Systems.FindAsync([grant.SystemId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a system that does not exist.");
        var stored = await db.EscortAssignments.Where(a => a.PersonId == grant.PersonId && a.SystemId == grant.SystemId).ToListAsync(ct);
        var added = db.ChangeTracker.Entries<EscortAssignment>()
            .Where(e => e.State == EntityState.Added && e.Entity.PersonId == grant.PersonId && e.Entity.SystemId == grant.SystemId)
            .Select(e => e.Entity);
        var coverage = new List<EscortCoverage>();
        foreach (var a in stored.Concat(added).Distinct())
        {
            var escort = await db.People.FindAsync([a.EscortId], ct);
            if (escort is not null)
            {
                coverage.Add(new EscortCoverage(a.Id, escort.ToFacts(), a.SystemId, a.StartsOn, a.EndsOn, a.Active));
            }
        }
        return new GrantSubject(person.ToFacts(), system.ToFacts(), grant.ToFacts(), coverage);
    }
}
