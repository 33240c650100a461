using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// The gate's access-review step (ADR 0040): what a change does to review decisions, in the same change.
/// <list type="bullet">
/// <item>A material change to a kept grant — the person's citizenships, US permanent residence or work location; the system's
///   impact level; an escort assignment of the person on the system added or ended; the grant's access type or escort — makes
///   the keep stale: in an open campaign the item is pending again in stage two (the responsible officers, a fresh
///   recommendation), after the campaign closed it is flagged for the next one; the reason says what changed, in words.</item>
/// <item>A grant that this change revokes or expires ends its pending items (nothing is left to decide), and their campaigns'
///   pending counts go down.</item>
/// </list>
/// Reads the tracker only: a change without such rows (nearly every change) asks the database nothing.
/// </summary>
internal sealed class AccessReviewGateStep : IGateStep
{
    public bool RulesOnly => false; // an ended escort assignment is not among the rule steps' rows

    private static readonly GrantStatus[] Ended = [GrantStatus.Revoked, GrantStatus.Expired];

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var db = gate.Db;
        var tracker = db.ChangeTracker;
        var people = new Dictionary<Guid, List<string>>();
        foreach (var entry in tracker.Entries<Person>().Where(e => e.State == EntityState.Modified))
        {
            if (PersonChanges(entry) is { Count: > 0 } reasons)
            {
                people[entry.Entity.Id] = reasons;
            }
        }
        var systems = new Dictionary<Guid, string>();
        foreach (var entry in tracker.Entries<CloudSystem>().Where(e => e.State == EntityState.Modified))
        {
            var level = entry.Property(s => s.ImpactLevel);
            if (level.IsModified && level.OriginalValue != entry.Entity.ImpactLevel)
            {
                systems[entry.Entity.Id] = $"Impact level {(entry.Entity.ImpactLevel > level.OriginalValue ? "raised" : "lowered")} from {Words.Of(level.OriginalValue)} to {Words.Of(entry.Entity.ImpactLevel)}";
            }
        }
        var escorts = new Dictionary<(Guid Person, Guid System), string>();
        foreach (var entry in tracker.Entries<EscortAssignment>())
        {
            var a = entry.Entity;
            var ended = entry.State == EntityState.Deleted
                || (entry.State == EntityState.Modified && ((entry.Property(x => x.Active).OriginalValue && !a.Active)
                                                            || entry.Property(x => x.EndsOn).OriginalValue != a.EndsOn));
            if (entry.State == EntityState.Added)
            {
                escorts[(a.PersonId, a.SystemId)] = $"An escort assignment was added for the system (from {Recommendations.Day(a.StartsOn)} to {Recommendations.Day(a.EndsOn)})";
            }
            else if (ended)
            {
                escorts[(a.PersonId, a.SystemId)] = "The person's escort assignment on the system ended or changed";
            }
        }
        var grants = new Dictionary<Guid, string>();
        var endedGrants = new Dictionary<Guid, GrantStatus>();
        foreach (var entry in tracker.Entries<AccessGrant>().Where(e => e.State == EntityState.Modified))
        {
            var g = entry.Entity;
            var reasons = new List<string>();
            var type = entry.Property(x => x.AccessType);
            if (type.OriginalValue != g.AccessType)
            {
                reasons.Add($"Access changed from {Words.Of(type.OriginalValue)} to {Words.Of(g.AccessType)}");
            }
            if (entry.Property(x => x.Escorted).OriginalValue != g.Escorted)
            {
                reasons.Add(g.Escorted ? "The grant now requires an escort" : "The grant no longer requires an escort");
            }
            if (reasons.Count > 0)
            {
                grants[g.Id] = string.Join("; ", reasons);
            }
            if (Ended.Contains(g.Status) && !Ended.Contains(entry.Property(x => x.Status).OriginalValue))
            {
                endedGrants[g.Id] = g.Status;
            }
        }
        if (people.Count == 0 && systems.Count == 0 && escorts.Count == 0 && grants.Count == 0 && endedGrants.Count == 0)
        {
            return; // nearly every change: no query at all
        }

        var reopened = new List<AccessReviewItem>();
        if (people.Count > 0 || systems.Count > 0 || escorts.Count > 0 || grants.Count > 0)
        {
            reopened = await MarkStaleAsync(gate, people, systems, escorts, grants, ct);
        }
        if (endedGrants.Count > 0)
        {
            await EndPendingAsync(gate, endedGrants, reopened, ct);
        }
    }

    /// <summary>What changed about a person that a review decision rests on, in words.</summary>
    private static List<string> PersonChanges(EntityEntry<Person> entry)
    {
        var p = entry.Entity;
        var reasons = new List<string>();
        var country = entry.Property(x => x.WorkCountry).OriginalValue;
        var city = entry.Property(x => x.WorkCity).OriginalValue;
        if (!string.Equals(country, p.WorkCountry, StringComparison.OrdinalIgnoreCase) || !string.Equals(city, p.WorkCity, StringComparison.Ordinal))
        {
            reasons.Add($"Work location changed from {Place(city, country)} to {Place(p.WorkCity, p.WorkCountry)}");
        }
        var citizenships = entry.Property(x => x.Citizenships).OriginalValue ?? [];
        if (!citizenships.Order(StringComparer.Ordinal).SequenceEqual(p.Citizenships.Order(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase))
        {
            reasons.Add($"Citizenships changed from {Words.Countries(citizenships)} to {Words.Countries(p.Citizenships)}");
        }
        if (entry.Property(x => x.UsLawfulPermanentResident).OriginalValue != p.UsLawfulPermanentResident)
        {
            reasons.Add(p.UsLawfulPermanentResident ? "Now a US lawful permanent resident" : "No longer a US lawful permanent resident");
        }
        return reasons;
    }

    private static string Place(string city, string country) =>
        string.IsNullOrWhiteSpace(city) ? Words.CountryName(country) : $"{city}, {Words.CountryName(country)}";

    /// <summary>Kept items of the affected grants (one query), made stale; the ones reopened in open campaigns are returned.</summary>
    private static async Task<List<AccessReviewItem>> MarkStaleAsync(GateContext gate, Dictionary<Guid, List<string>> people,
        Dictionary<Guid, string> systems, Dictionary<(Guid Person, Guid System), string> escorts, Dictionary<Guid, string> grants, CancellationToken ct)
    {
        var db = gate.Db;
        var personIds = people.Keys.Concat(escorts.Keys.Select(k => k.Person)).Distinct().ToArray();
        var systemIds = systems.Keys.ToArray();
        var grantIds = grants.Keys.ToArray();
        var candidates = await db.AccessReviewItems
            .Where(i => i.Status == AccessReviewItemStatus.Kept && !i.FlaggedForNext
                        && (personIds.Contains(i.PersonId) || systemIds.Contains(i.SystemId) || grantIds.Contains(i.GrantId)))
            .ToListAsync(ct);
        var affected = new List<(AccessReviewItem Item, string Reason)>();
        foreach (var item in candidates.Where(i => i.Status == AccessReviewItemStatus.Kept))
        {
            var reasons = new List<string>();
            if (people.TryGetValue(item.PersonId, out var person))
            {
                reasons.AddRange(person);
            }
            if (systems.TryGetValue(item.SystemId, out var system))
            {
                reasons.Add(system);
            }
            if (escorts.TryGetValue((item.PersonId, item.SystemId), out var escort))
            {
                reasons.Add(escort);
            }
            if (grants.TryGetValue(item.GrantId, out var grant))
            {
                reasons.Add(grant);
            }
            if (reasons.Count > 0)
            {
                affected.Add((item, Trim(string.Join("; ", reasons) + ".")));
            }
        }
        if (affected.Count == 0)
        {
            return [];
        }

        var campaignIds = affected.Select(a => a.Item.CampaignId).Distinct().ToArray();
        var campaigns = await db.AccessReviewCampaigns.Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var reopening = affected.Where(a => campaigns[a.Item.CampaignId].IsOpen).ToList();
        var recommendations = new Dictionary<Guid, Recommendation>();
        var routings = new Dictionary<Guid, ReviewerRouting>();
        if (reopening.Count > 0)
        {
            var ids = reopening.Select(a => a.Item.GrantId).Distinct().ToArray();
            var basis = await (from g in db.Grants.AsNoTracking()
                               join p in db.People.AsNoTracking() on g.PersonId equals p.Id
                               where ids.Contains(g.Id)
                               select new ReviewBasis(g.Id, p.Id, g.SystemId, g.AccessType, g.Escorted, p.EmploymentStatus, p.TerminatedOn, p.LocationAttestedOn))
                .ToListAsync(ct);
            var (_, parameters, _) = await gate.PolicyAsync(ct);
            recommendations = await Recommendations.ForAsync(db, basis, parameters.AttestationDays, gate.Now, ct);
            foreach (var fallback in reopening.Select(a => campaigns[a.Item.CampaignId].FallbackOfficerId).Distinct())
            {
                routings[fallback] = await ReviewerRouting.LoadAsync(db, fallback, gate.Today, ct);
            }
        }

        var reopened = new List<AccessReviewItem>();
        foreach (var (item, reason) in affected)
        {
            var campaign = campaigns[item.CampaignId];
            if (campaign.IsOpen)
            {
                var route = routings[campaign.FallbackOfficerId].StageTwo(item.VendorId, item.SystemId, item.GrantRequestedBy);
                var recommendation = recommendations.GetValueOrDefault(item.GrantId)
                    ?? new Recommendation(AccessReviewRecommendation.Keep, "Nothing against it: no open finding, attestation current");
                item.MarkStale(reason, gate.Now, campaignOpen: true, route.Reviewers, recommendation.Value, recommendation.Reason);
                campaign.Pending(+1, gate.Now);
                reopened.Add(item);
            }
            else
            {
                item.MarkStale(reason, gate.Now, campaignOpen: false, [], item.Recommendation, item.RecommendationReason);
            }
        }
        return reopened;
    }

    /// <summary>Pending items of grants this change revoked or expired end; their campaigns count one pending item fewer each.</summary>
    private static async Task EndPendingAsync(GateContext gate, Dictionary<Guid, GrantStatus> endedGrants, List<AccessReviewItem> reopened, CancellationToken ct)
    {
        var db = gate.Db;
        var ids = endedGrants.Keys.ToArray();
        // Tracked items keep their in-memory state (one the change decides is no longer pending; one reopened above is).
        var pending = await db.AccessReviewItems.Where(i => ids.Contains(i.GrantId) && i.Status == AccessReviewItemStatus.Pending).ToListAsync(ct);
        var ending = pending.Concat(reopened.Where(r => endedGrants.ContainsKey(r.GrantId))).Distinct().Where(i => i.IsPending).ToList();
        if (ending.Count == 0)
        {
            return;
        }
        var campaignIds = ending.Select(i => i.CampaignId).Distinct().ToArray();
        var campaigns = await db.AccessReviewCampaigns.Where(c => campaignIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        foreach (var item in ending)
        {
            item.GrantEnded(endedGrants[item.GrantId] == GrantStatus.Expired
                ? "The grant expired before the review decided it: nothing is left to decide."
                : "The grant was revoked by another change before the review decided it: nothing is left to decide.");
            campaigns[item.CampaignId].Pending(-1, gate.Now);
        }
    }

    private static string Trim(string reason) => reason.Length <= 2000 ? reason : reason[..1997] + "…";
}
