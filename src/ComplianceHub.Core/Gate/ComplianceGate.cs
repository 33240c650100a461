using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ComplianceHub.Core.Gate;

/// <summary>
/// The rule half of the gate (DESIGN.md section 4), as ordered steps (<see cref="Steps"/>) over one
/// <see cref="GateContext"/>, each step owned by its feature. For each change they find every person, grant and escort
/// assignment the change can affect, build their facts from tracked and stored state (set-wise: <see cref="FactsLoader"/>)
/// and evaluate the active policy version:
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
    /// <summary>
    /// The steps, in order. A policy activation (or the scheduler's new day) first starts a re-evaluation run, and a batch of one
    /// is evaluated (ADR 0029); then the
    /// change is read once and, when it holds rule-relevant rows, screening, fact history, fact consequences, escorted
    /// sessions, escort assignments, grant decisions and impact-level changes run; then what is derived from facts (code
    /// contributions), and last the evaluation receipts for every rule-relevant row the change writes.
    /// </summary>
    internal static readonly IReadOnlyList<IGateStep> Steps =
    [
        new Features.Policy.PolicyReevaluationStep(),
        new Features.Screening.ScreeningGateStep(),
        new Features.Personnel.FactHistoryStep(),
        new Features.Personnel.FactConsequencesStep(),
        new Features.Escorts.EscortedSessionGateStep(),
        new Features.Escorts.EscortAssignmentGateStep(),
        new Features.Grants.GrantDecisionStep(),
        new Features.Grants.ImpactLevelStep(),
        new Features.AccessLogs.AccessEvidenceGateStep(),
        new Features.Contributions.ContributionGateStep(),
        new Features.AccessReviews.AccessReviewGateStep(),
        new ReceiptStep(),
    ];

    /// <summary>Runs the steps over the change and returns the rule outcomes per evaluated entity.</summary>
    public static async Task<Dictionary<object, IReadOnlyList<RuleOutcome>>> EvaluateAsync(ComplianceDbContext db, AuditScope? scope,
        DateTimeOffset now, CancellationToken ct)
    {
        var gate = new GateContext(db, scope, now); // the caller (SaveChangesAsync) has just detected the changes
        var changesRead = false;
        foreach (var step in Steps)
        {
            if (step.RulesOnly && !changesRead)
            {
                gate.ReadChanges();
                changesRead = true;
            }
            if (step.RulesOnly && !gate.Changes.RuleRelevant)
            {
                continue;
            }
            await RunStepAsync(step, gate, ct);
            // Automatic detection is off while the gate runs (it would walk every tracked row on each look at the
            // tracker): the steps' in-place changes (a grant suspended, a finding closed) are detected once, here — not after
            // a step that only adds rows (a walk of every tracked row costs ~0.2 s with the 2,000 rows of a bulk approval).
            if (step.ChangesInPlace)
            {
                DetectInPlaceChanges(db.ChangeTracker);
            }
        }
        return gate.Outcomes;
    }

    /// <summary>The steps' span names (<c>gate GrantDecisionStep</c>) and attribute values, made once.</summary>
    private static readonly Dictionary<IGateStep, (string Span, string Name)> StepNames =
        Steps.ToDictionary(s => s, s => ("gate " + s.GetType().Name, s.GetType().Name));

    /// <summary>
    /// Runs one step in a span of its own (a child of the command's) and records its duration; a refusal marks the step's span
    /// with the refusing rule ids (ADR 0043). Nothing is made or measured when nobody listens.
    /// </summary>
    private static async Task RunStepAsync(IGateStep step, GateContext gate, CancellationToken ct)
    {
        var measured = Common.Telemetry.GateStepDuration.Enabled;
        if (!measured && !Common.Telemetry.Source.HasListeners())
        {
            await step.RunAsync(gate, ct);
            return;
        }
        var (span, name) = StepNames[step];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var activity = Common.Telemetry.Source.StartActivity(span);
        activity?.SetTag(Common.Telemetry.StepAttribute, name);
        try
        {
            await step.RunAsync(gate, ct);
        }
        catch (ComplianceRefusalException refusal) when (activity is not null)
        {
            activity.SetTag(Common.Telemetry.OutcomeAttribute, "refused");
            activity.SetTag(Common.Telemetry.RuleIdsAttribute, Common.Telemetry.RuleIds(refusal.Violations));
            throw;
        }
        finally
        {
            if (measured)
            {
                Common.Telemetry.GateStepDuration.Record(Common.Telemetry.Since(started), new KeyValuePair<string, object?>(Common.Telemetry.StepAttribute, name));
            }
        }
    }

    /// <summary>
    /// Detects the changes made in place to rows read from the database (a grant suspended, a finding closed). The save
    /// has detected everything once before the gate runs; after that only stored rows need it: a row the change adds is
    /// inserted with its current values, so comparing its properties again (the 10,000 people of an import and their
    /// receipts, after every step) is work without a result.
    /// </summary>
    internal static void DetectInPlaceChanges(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Modified)
            {
                entry.DetectChanges();
            }
        }
    }

    /// <summary>
    /// A receipt for every row of a rule-relevant table this change writes (consequences included): the deferred
    /// trigger checks them at commit. Issued after evaluation; a refusal throws before the save, so its receipts are
    /// never written.
    /// </summary>
    internal static void IssueReceipts(ComplianceDbContext db, DateTimeOffset now)
    {
        DetectInPlaceChanges(db.ChangeTracker);
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

    internal static async Task EvaluateSessionAsync(ComplianceDbContext db, EscortedSession session, RuleContext context, PolicyParameters parameters,
        DateTimeOffset now, Dictionary<object, IReadOnlyList<RuleOutcome>> result, CancellationToken ct)
    {
        var outcomes = PolicyEvaluator.Default.Evaluate(session.ToSubject(), context);
        var open = await OpenFindingsAsync(db, session.Id, ct);
        // A late sign-off stays a finding until an officer remediates it; the gate only opens session findings.
        foreach (var outcome in outcomes.Where(o => open.All(f => f.RuleId != o.RuleId)))
        {
            var finding = outcome.OpenFinding(session.PersonId, session.VendorId, now,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(parameters.FindingDueDays.For(outcome.Severity)));
            db.Findings.Add(finding);
            db.Consequences.FindingsOpened.Add(finding.Id);
        }
        result[session] = outcomes;
    }

    /// <summary>
    /// Evaluates a set of current grants in bulk and applies the consequences: termination revokes, a failing blocking
    /// rule suspends, findings open and close. Grants are tracked only when they change.
    /// </summary>
    internal static async Task ApplyAsync(ComplianceDbContext db, IQueryable<AccessGrant> grants, RuleContext context, PolicyParameters parameters,
        Guid policyVersionId, DateTimeOffset now, Func<string, string> suspensionReason, Dictionary<object, IReadOnlyList<RuleOutcome>> result, HashSet<Guid> handled,
        CancellationToken ct)
    {
        var loaded = await FactsLoader.GrantSubjectsAsync(db, grants, context.Today, ct, context);
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
    internal static async Task<IReadOnlyList<RuleOutcome>> WithoutWaivedAsync(ComplianceDbContext db, string subjectType, Guid subjectId,
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
    internal static void SyncFindings(ComplianceDbContext db, Guid subjectId, Guid personId, Guid vendorId,
        IReadOnlyList<RuleOutcome> outcomes, List<Finding> open, PolicyParameters parameters, DateTimeOffset now)
    {
        foreach (var outcome in outcomes.Where(o => open.All(f => f.RuleId != o.RuleId)))
        {
            var finding = outcome.OpenFinding(personId, vendorId, now,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(parameters.FindingDueDays.For(outcome.Severity)));
            db.Findings.Add(finding);
            db.Consequences.FindingsOpened.Add(finding.Id);
            open.Add(finding);
        }
        CloseFindings(db, open.Where(f => f.IsOpen && outcomes.All(o => o.RuleId != f.RuleId)).ToList(), now, "The rule passes again: the condition cleared.");
    }

    internal static void CloseFindings(ComplianceDbContext db, IReadOnlyList<Finding> findings, DateTimeOffset now, string why)
    {
        foreach (var finding in findings.Where(f => f.IsOpen))
        {
            finding.Close(now, why);
            db.Consequences.FindingsClosed.Add(finding.Id);
        }
    }

    internal static async Task<List<Finding>> OpenFindingsAsync(ComplianceDbContext db, Guid subjectId, CancellationToken ct)
    {
        var stored = await db.Findings
            .Where(f => f.SubjectId == subjectId && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged))
            .ToListAsync(ct);
        return stored.Concat(AddedOpenFindings(db, subjectId)).Distinct().ToList();
    }

    /// <summary>The open findings on a subject that this change adds (not yet stored).</summary>
    internal static List<Finding> AddedOpenFindings(ComplianceDbContext db, Guid subjectId) => [.. AddedOpenFindings(db)[subjectId]];

    /// <summary>The open findings this change adds (not yet stored), by subject: read once for the many subjects of one step.</summary>
    internal static ILookup<Guid, Finding> AddedOpenFindings(ComplianceDbContext db) =>
        db.ChangeTracker.Entries<Finding>().Where(e => e.State == EntityState.Added && e.Entity.IsOpen).Select(e => e.Entity).ToLookup(f => f.SubjectId);

    // The gate's reads for a single change are compiled queries: building them from LINQ on every change cost as much as
    // running them (issue 16; docs/performance.md).
    private static readonly Func<ComplianceDbContext, Guid, Guid, IAsyncEnumerable<EscortAssignment>> AssignmentsOf =
        EF.CompileAsyncQuery((ComplianceDbContext db, Guid personId, Guid systemId) =>
            db.EscortAssignments.Where(a => a.PersonId == personId && a.SystemId == systemId));

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
        var required = await RequiredEscortAccessAsync(db, a.PersonId, a.SystemId, ct);
        return new EscortSubject(a.Id, escort.ToFacts(), supervised.ToFacts(), system.ToFacts(), a.StartsOn, a.EndsOn, overlapping + 1, required);
    }

    /// <summary>
    /// The access an escort of <paramref name="personId"/> on <paramref name="systemId"/> supervises: privileged when any of
    /// the person's current grants there is, non-privileged otherwise (ESCORT-QUALIFIED's <c>RequiredAccessType</c>; the
    /// escort picker asks the same).
    /// </summary>
    public static async Task<AccessType> RequiredEscortAccessAsync(ComplianceDbContext db, Guid personId, Guid systemId, CancellationToken ct) =>
        await db.Grants.AnyAsync(g => g.PersonId == personId && g.SystemId == systemId && g.AccessType == AccessType.Privileged
            && g.Status != GrantStatus.Revoked && g.Status != GrantStatus.Expired, ct)
            ? AccessType.Privileged : AccessType.NonPrivileged;

    /// <summary>The facts of a grant: the person, the system and every escort assignment of the person on that system.</summary>
    public static Task<GrantSubject> SubjectAsync(ComplianceDbContext db, AccessGrant grant, CancellationToken ct) =>
        SubjectAsync(db, grant, TrackedAssignments(db), ct);

    /// <summary>The escort assignments the change tracks, by person and system: read once for the many grants of one step.</summary>
    internal static ILookup<(Guid PersonId, Guid SystemId), EntityEntry<EscortAssignment>> TrackedAssignments(ComplianceDbContext db) =>
        db.ChangeTracker.Entries<EscortAssignment>().ToLookup(e => (e.Entity.PersonId, e.Entity.SystemId));

    /// <summary>The facts of a grant, with the tracked escort assignments read beforehand (<see cref="TrackedAssignments"/>).</summary>
    internal static async Task<GrantSubject> SubjectAsync(ComplianceDbContext db, AccessGrant grant,
        ILookup<(Guid PersonId, Guid SystemId), EntityEntry<EscortAssignment>> tracked, CancellationToken ct)
    {
        var person = await db.People.FindAsync([grant.PersonId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a person that does not exist.");
        var system = await db.Systems.FindAsync([grant.SystemId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a system that does not exist.");
        // None stored when the handler looked (KnownEmpty): then every assignment there is is tracked, whatever its state.
        var noneStored = db.KnownEmpty.EscortAssignments.Contains((grant.PersonId, grant.SystemId));
        var stored = noneStored ? [] : await AssignmentsOf(db, grant.PersonId, grant.SystemId).ToListAsync(ct);
        var added = tracked[(grant.PersonId, grant.SystemId)].Where(e => noneStored || e.State == EntityState.Added).Select(e => e.Entity);
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
