using System.Globalization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>
/// Screens people's names against a restricted-party list version and records the result: new hits (pending), hits the
/// new screening replaces (superseded), and each person's screening status — a fact, so the gate applies its
/// consequences (grants held, findings opened; holds released when cleared). Decisions stand: an entry adjudicated for a
/// name is not raised again for that name; a confirmed match stays whatever the name.
/// </summary>
internal static class Screener
{
    /// <summary>Screens <paramref name="people"/> (tracked or not; changed people are attached) against <paramref name="index"/>.</summary>
    public static async Task<int> ScreenAsync(ComplianceDbContext db, ScreeningIndex index, IReadOnlyList<Person> people, ScreeningSettings settings,
        DateTimeOffset now, CancellationToken ct)
    {
        var ids = people.Select(p => p.Id).ToList();
        var stored = ids.Count == 0 ? [] : await db.ScreeningHits
            .Where(h => ids.Contains(h.PersonId) && h.Status != HitStatus.Superseded)
            .ToListAsync(ct);
        var tracked = db.ChangeTracker.Entries<ScreeningHit>().Where(e => e.State == EntityState.Added).Select(e => e.Entity);
        var byPerson = stored.Concat(tracked).Distinct().ToLookup(h => h.PersonId);
        var newHits = 0;
        foreach (var person in people)
        {
            var screened = NameMatcher.Normalize(person.FullName);
            var hits = byPerson[person.Id].ToList();
            var candidates = person.EmploymentStatus == EmploymentStatus.Terminated
                ? []
                : index.Screen(person.FullName, Countries(person), settings);
            foreach (var pending in hits.Where(h => h.Status == HitStatus.Pending))
            {
                var stillRaised = pending.ScreenedName == screened && pending.ListId == index.ListId && candidates.Any(c => c.Entry.Key == pending.EntryKey);
                if (!stillRaised)
                {
                    pending.Supersede();
                }
            }
            foreach (var candidate in candidates)
            {
                var known = hits.Any(h => h.EntryKey == candidate.Entry.Key && h.ScreenedName == screened &&
                    (h.Status is HitStatus.TrueMatch or HitStatus.FalsePositive || (h.Status == HitStatus.Pending && h.ListId == index.ListId)));
                if (known)
                {
                    continue;
                }
                var hit = new ScreeningHit(Guid.CreateVersion7(), person.Id, person.VendorId, index.ListId, index.ListVersion, candidate.Entry.Id,
                    candidate.Entry.Key, screened, candidate.MatchedName, candidate.Score, now);
                db.ScreeningHits.Add(hit);
                hits.Add(hit);
                newHits++;
            }
            var (status, match) = StatusOf(hits);
            if (status != person.ScreeningStatus || match != person.ScreeningMatch)
            {
                var target = db.People.Local.FindEntry(person.Id)?.Entity ?? person;
                if (db.Entry(target).State == EntityState.Detached)
                {
                    db.People.Attach(target);
                }
                target.RecordScreening(status, match);
            }
        }
        return newHits;
    }

    /// <summary>A person's status from their current hits: any confirmed match, else any pending one, else clear.</summary>
    public static (ScreeningStatus Status, string? Match) StatusOf(IEnumerable<ScreeningHit> hits)
    {
        var current = hits.Where(h => h.Status is HitStatus.TrueMatch or HitStatus.Pending).ToList();
        var confirmed = current.Where(h => h.Status == HitStatus.TrueMatch).OrderByDescending(h => h.Score).FirstOrDefault();
        if (confirmed is not null)
        {
            return (ScreeningStatus.ConfirmedMatch, Describe(confirmed));
        }
        var pending = current.OrderByDescending(h => h.Score).ThenBy(h => h.EntryKey, StringComparer.Ordinal).FirstOrDefault();
        return pending is null ? (ScreeningStatus.Clear, null) : (ScreeningStatus.PotentialMatch, Describe(pending));
    }

    private static string Describe(ScreeningHit hit) =>
        $"{hit.EntryKey} \"{hit.MatchedName}\" (score {hit.Score.ToString("0.00", CultureInfo.InvariantCulture)}, list v{hit.ListVersion})";

    private static HashSet<string> Countries(Person p) =>
        [.. p.Citizenships, p.CountryOfBirth, p.WorkCountry];
}

/// <summary>
/// The newest list version, indexed once per process: list versions never change, so an index is valid for as long as
/// its version is the newest. Each save that screens asks the database which version is newest (one small query).
/// </summary>
internal static class ScreeningIndexCache
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    // One index per database the process talks to: a list's id is the same in every database the demo seeds (and in a
    // restored copy), its entries' ids are not — an index of another database's entries would name rows this one lacks.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ScreeningIndex> Cached = new(StringComparer.Ordinal);

    public static async Task<ScreeningIndex?> LatestAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var latest = await db.RestrictedPartyLists.AsNoTracking().OrderByDescending(l => l.Version)
            .Select(l => new { l.Id, l.Version }).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            return null;
        }
        var database = db.Database.GetConnectionString() ?? "";
        if (Cached.TryGetValue(database, out var cached) && cached.ListId == latest.Id)
        {
            return cached;
        }
        await Gate.WaitAsync(ct);
        try
        {
            if (!Cached.TryGetValue(database, out cached) || cached.ListId != latest.Id)
            {
                var entries = await db.RestrictedPartyEntries.AsNoTracking().Where(e => e.ListId == latest.Id).ToListAsync(ct);
                Cached[database] = cached = Build(latest.Id, latest.Version, entries);
            }
            return cached;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>An index of the screenable entries of a list version (vessels and aircraft are not people).</summary>
    public static ScreeningIndex Build(Guid listId, int version, IEnumerable<RestrictedPartyEntry> entries) =>
        new(listId, version, entries.Where(e => e.Type is null || !ConsolidatedScreeningList.NotScreenedTypes.Contains(e.Type)).Select(ScreeningEntry.From));
}
