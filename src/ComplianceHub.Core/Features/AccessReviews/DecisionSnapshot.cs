using System.Text.Json;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// The facts a final decision on an access review item was made on, stored with the item as compact JSON
/// (<see cref="AccessReviewItem.DecisionSnapshot"/>, camelCase keys, enums by name): the person's nationality, location,
/// attestation, vetting and employment; the system and its impact level; the grant; its escorts; the open findings; the
/// recommendation; and the policy version in force. A later material change is judged against it (stale decisions), and the
/// review panel and the campaign report render it in words (<see cref="Parse"/>). Built for a chunk of items at a time with a
/// few set-wise queries (<see cref="BuildAsync"/>), never one per item.
/// </summary>
/// <param name="Person">The person's facts.</param>
/// <param name="System">The system's name and impact level.</param>
/// <param name="Grant">The grant as it stood.</param>
/// <param name="EscortNames">The people escorting the person on the system (escorted grants; active assignments in force that day).</param>
/// <param name="OpenFindings">Open (or acknowledged) findings on the grant, and on the person themselves.</param>
/// <param name="Recommendation">What the portal recommended.</param>
/// <param name="RecommendationReason">Why, in words.</param>
/// <param name="PolicyVersion">The number of the policy version in force.</param>
/// <param name="TakenOn">The day the facts were read.</param>
public sealed record DecisionSnapshot(
    SnapshotPerson Person,
    SnapshotSystem System,
    SnapshotGrant Grant,
    IReadOnlyList<string> EscortNames,
    IReadOnlyList<SnapshotFinding> OpenFindings,
    AccessReviewRecommendation Recommendation,
    string RecommendationReason,
    int PolicyVersion,
    DateOnly TakenOn)
{
    /// <summary>How snapshots are written and read: camelCase, enums by name, no indentation.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The snapshot stored with an item; null when there is none (an undecided item) or it cannot be read.</summary>
    public static DecisionSnapshot? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<DecisionSnapshot>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The snapshot as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The snapshots of a chunk of items, by item id: the people, systems and grants from <paramref name="people"/>,
    /// <paramref name="systems"/> and <paramref name="grants"/> (read by the caller, set-wise); the open findings, the escorts
    /// and the policy version in one query each. Items whose grant, person or system is missing from those get none.
    /// </summary>
    internal static async Task<Dictionary<Guid, string>> BuildAsync(ComplianceDbContext db, IReadOnlyCollection<AccessReviewItem> items,
        IReadOnlyDictionary<Guid, AccessGrant> grants, IReadOnlyDictionary<Guid, Person> people, IReadOnlyDictionary<Guid, CloudSystem> systems,
        DateOnly today, CancellationToken ct)
    {
        var result = new Dictionary<Guid, string>();
        if (items.Count == 0)
        {
            return result;
        }
        var grantIds = items.Select(i => i.GrantId).Distinct().ToList();
        var personIds = items.Select(i => i.PersonId).Distinct().ToList();
        var findings = (await db.Findings.AsNoTracking()
                .Where(f => (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged)
                    && (grantIds.Contains(f.SubjectId) || (personIds.Contains(f.SubjectId) && f.SubjectType == "person")))
                .Select(f => new { f.SubjectId, f.RuleId, f.Severity, f.SubjectType, f.DetectedAt })
                .ToListAsync(ct))
            .ToLookup(f => f.SubjectId);
        var escortedPeople = items.Where(i => i.Escorted).Select(i => i.PersonId).Distinct().ToList();
        var escorts = escortedPeople.Count == 0
            ? Enumerable.Empty<(Guid, Guid, string)>().ToLookup(e => (e.Item1, e.Item2), e => e.Item3)
            : (await db.EscortAssignments.AsNoTracking()
                    .Where(a => escortedPeople.Contains(a.PersonId) && a.Active && a.StartsOn <= today && a.EndsOn >= today)
                    .Join(db.People, a => a.EscortId, p => p.Id, (a, p) => new { a.PersonId, a.SystemId, p.FullName })
                    .ToListAsync(ct))
                .ToLookup(e => (e.PersonId, e.SystemId), e => e.FullName);
        var (policy, _) = await ActivePolicy.ForChangeAsync(db, ct);
        foreach (var item in items)
        {
            if (!grants.TryGetValue(item.GrantId, out var grant) || !people.TryGetValue(item.PersonId, out var person)
                || !systems.TryGetValue(item.SystemId, out var system))
            {
                continue;
            }
            var open = findings[grant.Id].Concat(findings[person.Id])
                .OrderBy(f => f.DetectedAt).ThenBy(f => f.RuleId, StringComparer.Ordinal)
                .Select(f => new SnapshotFinding(f.RuleId, f.Severity, f.SubjectType))
                .ToList();
            var snapshot = new DecisionSnapshot(
                new SnapshotPerson(person.FullName, [.. person.Citizenships], person.CountryOfBirth, person.UsLawfulPermanentResident, person.IsUsPerson,
                    person.WorkCountry, person.WorkCity, person.LocationAttestedOn, person.InvestigationTier, person.AdjudicatedOn, person.Clearance,
                    person.EmploymentStatus, person.TerminatedOn, person.ScreeningStatus),
                new SnapshotSystem(system.Name, system.ImpactLevel),
                new SnapshotGrant(grant.AccessType, grant.Escorted, grant.Status, grant.StartsOn, grant.EndsOn, grant.ApprovedAt),
                grant.Escorted ? [.. escorts[(grant.PersonId, grant.SystemId)].Distinct().Order(StringComparer.Ordinal)] : [],
                open,
                item.Recommendation,
                item.RecommendationReason,
                policy.Number,
                today);
            result[item.Id] = snapshot.ToJson();
        }
        return result;
    }
}

/// <summary>The person's facts in a <see cref="DecisionSnapshot"/>.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Citizenships">Citizenships (ISO codes as stored; shown as country names).</param>
/// <param name="CountryOfBirth">Country of birth (ISO code as stored).</param>
/// <param name="UsLawfulPermanentResident">Whether a US lawful permanent resident.</param>
/// <param name="UsPerson">Whether a US person (citizen or national, or lawful permanent resident).</param>
/// <param name="WorkCountry">Where they work (ISO code as stored).</param>
/// <param name="WorkCity">The city they work in.</param>
/// <param name="LocationAttestedOn">The day they last attested their location.</param>
/// <param name="InvestigationTier">Their background investigation.</param>
/// <param name="AdjudicatedOn">The day it was adjudicated.</param>
/// <param name="Clearance">Their clearance.</param>
/// <param name="EmploymentStatus">Employed or terminated.</param>
/// <param name="TerminatedOn">The day they were terminated.</param>
/// <param name="ScreeningStatus">Restricted-party screening.</param>
public sealed record SnapshotPerson(
    string Name,
    IReadOnlyList<string> Citizenships,
    string CountryOfBirth,
    bool UsLawfulPermanentResident,
    bool UsPerson,
    string WorkCountry,
    string WorkCity,
    DateOnly? LocationAttestedOn,
    InvestigationTier InvestigationTier,
    DateOnly? AdjudicatedOn,
    Clearance Clearance,
    EmploymentStatus EmploymentStatus,
    DateOnly? TerminatedOn,
    ScreeningStatus ScreeningStatus);

/// <summary>The system in a <see cref="DecisionSnapshot"/>.</summary>
/// <param name="Name">The system's name.</param>
/// <param name="ImpactLevel">Its impact level.</param>
public sealed record SnapshotSystem(string Name, ImpactLevel ImpactLevel);

/// <summary>The grant in a <see cref="DecisionSnapshot"/>.</summary>
/// <param name="AccessType">Privileged or not.</param>
/// <param name="Escorted">Whether the access is escorted.</param>
/// <param name="Status">Its status when decided.</param>
/// <param name="StartsOn">First day.</param>
/// <param name="EndsOn">Last day, if any.</param>
/// <param name="ApprovedAt">When it was approved.</param>
public sealed record SnapshotGrant(AccessType AccessType, bool Escorted, GrantStatus Status, DateOnly StartsOn, DateOnly? EndsOn, DateTimeOffset? ApprovedAt);

/// <summary>An open finding in a <see cref="DecisionSnapshot"/>.</summary>
/// <param name="RuleId">The failing rule.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="SubjectType">On the grant ("grant") or on the person ("person").</param>
public sealed record SnapshotFinding(string RuleId, Severity Severity, string SubjectType);
