using ComplianceHub.Core.Auditing;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

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

/// <summary>One person who held access to the system on the day: the grant, the person's facts as they stood that day, escorts,
/// and whether the access would have passed the policy version in force that day.</summary>
public sealed record AccessHolder(Guid GrantId, Guid PersonId, Guid VendorId, string FullName, AccessType AccessType, bool Escorted, DateOnly StartsOn,
    DateOnly? EndsOn, IReadOnlyDictionary<string, JsonElement?> FactsThatDay, IReadOnlyList<EscortOnDay> Escorts, string? VendorName = null,
    AccessVerdict? Verdict = null);

/// <summary>Who could touch a system on a day, from where, escorted by whom, under which policy version (API.md
/// <c>GET /systems/{id}/access?asOf=</c>).</summary>
public sealed record SystemAccessOnDay(Guid SystemId, string SystemName, DateOnly AsOf, int? PolicyVersion, string? PolicyName,
    IReadOnlyList<AccessHolder> Holders);

/// <summary>
/// Reconstructs a past day from history, not from today's state: a grant counts when its period covers the day and its
/// status at the end of that day — replayed from the grant's audit events — was Active; each holder's facts are rebuilt
/// from the attribute history; the policy version is the one last activated by then. Each holding is then evaluated by
/// the rules engine exactly as the gate evaluates a grant (<see cref="PolicyEvaluator"/> on a <see cref="GrantSubject"/>),
/// with the facts of that day, under that policy version, on that day. Officers, auditors and administrators only.
/// </summary>
/// <remarks>The system's impact level is today's (systems keep no effective-dated history; a change is in the audit trail).</remarks>
public sealed class SystemAccessQuery(IDbContextFactory<ComplianceDbContext> contexts, PersonHistoryQuery history)
{
    public async Task<SystemAccessOnDay?> OnDayAsync(Actor actor, Guid systemId, DateOnly day, CancellationToken ct = default)
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
        var endOfDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var onDay = db.Grants.AsNoTracking()
            .Where(g => g.SystemId == systemId && g.StartsOn <= day && (g.EndsOn == null || g.EndsOn >= day) && g.RequestedAt < endOfDay);
        if (!actor.SeesEveryVendor)
        {
            // An officer or auditor of a contracting office reconstructs the access of the vendors it holds (ADR 0028).
            var visible = db.People.VisibleTo(actor).Select(p => p.Id);
            onDay = onDay.Where(g => visible.Contains(g.PersonId));
        }
        var grants = await onDay.ToListAsync(ct);
        var statusHistory = await GrantStatusReplay.LoadAsync(db, grants.Select(g => g.Id).ToList(), endOfDay, ct);
        var held = grants.Where(g => GrantStatusReplay.StatusAt(statusHistory, g.Id, endOfDay) == GrantStatus.Active).ToList();

        var personIds = held.Select(g => g.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var assignments = await db.EscortAssignments.AsNoTracking()
            .Where(a => a.SystemId == systemId && personIds.Contains(a.PersonId) && a.StartsOn <= day && a.EndsOn >= day && a.CreatedAt < endOfDay).ToListAsync(ct);
        var escortIds = assignments.Select(a => a.EscortId).Distinct().ToList();
        // Named only when the reader may see them (an escort may work for another vendor, of another office); every escort's
        // facts still count in the evaluation below.
        var escorts = await db.People.AsNoTracking().VisibleTo(actor).Where(p => escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var policy = await db.PolicyVersions.AsNoTracking().Where(v => v.ActivatedAt != null && v.ActivatedAt < endOfDay)
            .OrderByDescending(v => v.ActivatedAt).FirstOrDefaultAsync(ct)
            ?? await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Number == 1 && v.Status != PolicyStatus.Draft, ct);

        var vendorIds = people.Values.Select(p => p.VendorId).Distinct().ToList();
        var vendorNames = await db.Vendors.AsNoTracking().Where(v => vendorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var heldIds = held.Select(g => g.Id).ToList();
        var waivers = await db.Waivers.AsNoTracking()
            .Where(w => w.SubjectType == "grant" && heldIds.Contains(w.SubjectId) && w.Status == WaiverStatus.Active && w.ExpiresOn >= day
                        && w.ApprovedAt != null && w.ApprovedAt < endOfDay)
            .Select(w => new { w.SubjectId, w.RuleId }).ToListAsync(ct);
        var context = policy is null ? null : new RuleContext(PolicyJson.Deserialize(policy.Parameters), policy.Number, day);
        var factsOf = new Dictionary<Guid, PersonFacts>();
        async Task<PersonFacts> FactsOfAsync(Person person)
        {
            if (!factsOf.TryGetValue(person.Id, out var facts))
            {
                facts = FactHistory.FactsThen(person, await history.FactsAsOfAsync(actor, person.Id, day, ct) ?? new Dictionary<string, JsonElement?>());
                factsOf[person.Id] = facts;
            }
            return facts;
        }
        var escortPeople = await db.People.AsNoTracking().Where(p => escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);

        var holders = new List<AccessHolder>();
        foreach (var g in held.OrderBy(g => people[g.PersonId].FullName).ThenBy(g => g.Id))
        {
            var person = people[g.PersonId];
            var facts = await history.FactsAsOfAsync(actor, person.Id, day, ct) ?? new Dictionary<string, JsonElement?>();
            var mine = assignments.Where(a => a.PersonId == g.PersonId).ToList();
            var covering = mine.Select(a => new EscortOnDay(a.Id, a.EscortId, escorts.GetValueOrDefault(a.EscortId, "An escort of another vendor"), a.StartsOn, a.EndsOn)).ToList();
            AccessVerdict? verdict = null;
            if (context is not null)
            {
                var coverage = new List<EscortCoverage>();
                foreach (var a in mine.Where(a => escortPeople.ContainsKey(a.EscortId)))
                {
                    coverage.Add(new EscortCoverage(a.Id, await FactsOfAsync(escortPeople[a.EscortId]), a.SystemId, a.StartsOn, a.EndsOn, a.Active));
                }
                var grantThen = new GrantFacts(g.Id, g.AccessType, g.Escorted, g.StartsOn, g.EndsOn, g.Justification, GrantStatus.Active);
                var subject = new GrantSubject(FactHistory.FactsThen(person, facts), system.ToFacts(), grantThen, coverage);
                var waived = waivers.Where(w => w.SubjectId == g.Id && RuleCatalogue.Find(w.RuleId)?.Waivable == true).Select(w => w.RuleId).ToHashSet();
                verdict = Verdict(PolicyEvaluator.Default.Evaluate(subject, context), waived, context.PolicyVersion);
            }
            holders.Add(new AccessHolder(g.Id, person.Id, person.VendorId, person.FullName, g.AccessType, g.Escorted, g.StartsOn, g.EndsOn, facts, covering,
                vendorNames.GetValueOrDefault(person.VendorId), verdict));
        }
        return new SystemAccessOnDay(system.Id, system.Name, day, policy?.Number, policy?.Name, holders);
    }

    private static AccessVerdict Verdict(IReadOnlyList<RuleOutcome> outcomes, IReadOnlySet<string> waived, int policyVersion)
    {
        static VerdictOutcome View(RuleOutcome o) => new(o.RuleId, o.Severity, o.Message, o.Facts, o.Citation);
        var counted = outcomes.Where(o => !waived.Contains(o.RuleId)).ToList();
        var failing = counted.Where(o => o.Severity is Severity.Block or Severity.Suspend).Select(View).ToList();
        return new AccessVerdict(failing.Count == 0, policyVersion, failing, counted.Where(o => o.Severity == Severity.Warn).Select(View).ToList(),
            outcomes.Where(o => waived.Contains(o.RuleId)).Select(o => o.RuleId).Distinct().ToList());
    }
}
