using System.Globalization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>What a recommendation is computed from, for one grant (read with the grant, never per item).</summary>
internal sealed record ReviewBasis(Guid GrantId, Guid PersonId, Guid SystemId, AccessType AccessType, bool Escorted,
    EmploymentStatus EmploymentStatus, DateOnly? TerminatedOn, DateOnly? LocationAttestedOn);

/// <summary>A recommendation and its reason in words.</summary>
internal sealed record Recommendation(AccessReviewRecommendation Value, string Reason);

/// <summary>
/// What the portal recommends for each grant of a chunk, set-wise (three queries per chunk, whatever its size): revoke when the
/// person is terminated, when an open finding stands on the grant or the person ("Fails RULE: title", at most three named),
/// when an escorted grant had no escorted session on its system in the last <see cref="SessionWindowDays"/> days, or when the
/// person's location attestation is overdue under the active policy (<see cref="AttestationSchedule"/>); keep otherwise,
/// with what speaks for it.
/// </summary>
internal static class Recommendations
{
    /// <summary>An escorted grant without an escorted session in this many days is recommended for revocation.</summary>
    public const int SessionWindowDays = 90;

    /// <summary>At most this many failing rules are named in a reason; the rest are counted.</summary>
    private const int NamedRules = 3;

    private static readonly FindingStatus[] Open = [FindingStatus.Open, FindingStatus.Acknowledged];

    /// <summary>The recommendation for each grant of <paramref name="chunk"/>, by grant id.</summary>
    public static async Task<Dictionary<Guid, Recommendation>> ForAsync(ComplianceDbContext db, IReadOnlyCollection<ReviewBasis> chunk,
        AttestationDays attestationDays, DateTimeOffset now, CancellationToken ct)
    {
        var result = new Dictionary<Guid, Recommendation>(chunk.Count);
        if (chunk.Count == 0)
        {
            return result;
        }
        var grantIds = chunk.Select(g => g.GrantId).ToArray();
        var personIds = chunk.Select(g => g.PersonId).Distinct().ToArray();

        // Open findings on the grants, or on the people themselves (escort assignments, sessions) — not on their other grants.
        var findings = await db.Findings.AsNoTracking()
            .Where(f => Open.Contains(f.Status)
                        && (grantIds.Contains(f.SubjectId) || (personIds.Contains(f.PersonId) && f.SubjectType != "grant")))
            .Select(f => new { f.SubjectType, f.SubjectId, f.PersonId, f.RuleId })
            .ToListAsync(ct);
        var onGrant = findings.Where(f => f.SubjectType == "grant").ToLookup(f => f.SubjectId, f => f.RuleId);
        var onPerson = findings.Where(f => f.SubjectType != "grant").ToLookup(f => f.PersonId, f => f.RuleId);

        // The last escorted session per person and system, for the escorted grants only.
        var escorted = chunk.Where(g => g.Escorted).ToList();
        var lastSession = new Dictionary<(Guid, Guid), DateTimeOffset>();
        if (escorted.Count > 0)
        {
            var people = escorted.Select(g => g.PersonId).Distinct().ToArray();
            var systems = escorted.Select(g => g.SystemId).Distinct().ToArray();
            var sessions = await db.EscortedSessions.AsNoTracking()
                .Where(s => people.Contains(s.PersonId) && systems.Contains(s.SystemId))
                .GroupBy(s => new { s.PersonId, s.SystemId })
                .Select(g => new { g.Key.PersonId, g.Key.SystemId, Last = g.Max(s => s.StartedAt) })
                .ToListAsync(ct);
            foreach (var s in sessions)
            {
                lastSession[(s.PersonId, s.SystemId)] = s.Last;
            }
        }

        // Who is on the privileged attestation interval (a live privileged grant).
        var privileged = (await AttestationSchedule.LivePrivileged(db).AsNoTracking()
            .Where(g => personIds.Contains(g.PersonId)).Select(g => g.PersonId).Distinct().ToListAsync(ct)).ToHashSet();

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var schedule = new AttestationSchedule(attestationDays, today);
        var sessionCutOff = now.AddDays(-SessionWindowDays);
        foreach (var grant in chunk)
        {
            var against = new List<string>();
            if (grant.EmploymentStatus == EmploymentStatus.Terminated)
            {
                against.Add(grant.TerminatedOn is { } on ? $"Terminated: employment ended on {Day(on)}" : "Terminated: employment ended");
            }
            var rules = onGrant[grant.GrantId].Concat(onPerson[grant.PersonId]).Distinct().Order(StringComparer.Ordinal).ToList();
            if (rules.Count > 0)
            {
                against.Add(FailingRules(rules));
            }
            DateTimeOffset? session = lastSession.TryGetValue((grant.PersonId, grant.SystemId), out var last) ? last : null;
            if (grant.Escorted && (session is null || session < sessionCutOff))
            {
                against.Add(session is { } s
                    ? $"No escorted session in {SessionWindowDays} days (the last on {Day(DateOnly.FromDateTime(s.UtcDateTime))})"
                    : $"No escorted session in {SessionWindowDays} days (none recorded)");
            }
            var state = schedule.StateOf(grant.LocationAttestedOn, privileged.Contains(grant.PersonId));
            if (state == AttestationState.Overdue)
            {
                against.Add($"Location attestation overdue (due on {Day(schedule.DueOn(grant.LocationAttestedOn, privileged.Contains(grant.PersonId))!.Value)})");
            }
            else if (state == AttestationState.Never)
            {
                against.Add("Location attestation overdue (never attested)");
            }

            result[grant.GrantId] = against.Count > 0
                ? new Recommendation(AccessReviewRecommendation.Revoke, Trim(string.Join("; ", against)))
                : new Recommendation(AccessReviewRecommendation.Keep, grant.Escorted && session is { } kept
                    ? $"Nothing against it: no open finding, attestation current, escorted session on {Day(DateOnly.FromDateTime(kept.UtcDateTime))}"
                    : "Nothing against it: no open finding, attestation current");
        }
        return result;
    }

    /// <summary>"Fails CIT-COVERED: title; Fails NDA: title; Fails VETTING-CURRENT: title and 2 more failing rules".</summary>
    public static string FailingRules(IReadOnlyList<string> ruleIds)
    {
        var named = string.Join("; ", ruleIds.Take(NamedRules).Select(id => RuleCatalogue.Find(id) is { } rule ? $"Fails {id}: {rule.Title}" : $"Fails {id}"));
        var more = ruleIds.Count - NamedRules;
        return more > 0 ? $"{named} and {more} more failing rule{(more == 1 ? "" : "s")}" : named;
    }

    /// <summary>A day in words, e.g. "7 December 2026".</summary>
    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Trim(string reason) => reason.Length <= 2000 ? reason : reason[..1997] + "…";
}
