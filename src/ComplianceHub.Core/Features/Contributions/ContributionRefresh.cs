using System.Text.Json;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules.Contributions;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>
/// The contribution half of the gate: a contribution's author match and risk flags are derived from facts that other changes
/// write, so every save that can change those facts recomputes them in the same transaction, before the audit snapshot —
/// new contributions, aliases and people's e-mails re-match authors; people's facts, grants, escort assignments, escorted
/// sessions and findings re-flag that person's contributions; a policy activation re-flags every one. Flags are computed
/// with the author's facts as of the contribution's date (the fact history, this save's included), the grants' status at
/// that moment (replayed from the trail) and the active policy's country sets (<see cref="ContributionRisk"/>).
/// </summary>
internal static class ContributionRefresh
{
    private static readonly JsonSerializerOptions FlagJson = new(JsonSerializerDefaults.Web);
    private const int Chunk = 5_000;

    /// <summary>The stored contributions of some people — every grant request asks it for one person, so it is compiled (issue 16).</summary>
    private static readonly Func<ComplianceDbContext, Guid[], IAsyncEnumerable<CodeContribution>> OfPeople =
        EF.CompileAsyncQuery((ComplianceDbContext db, Guid[] people) =>
            db.CodeContributions.Where(c => c.PersonId != null && people.Contains(c.PersonId.Value)));

    public static async Task RefreshAsync(ComplianceDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var tracker = db.ChangeTracker;
        var added = tracker.Entries<CodeContribution>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var modified = tracker.Entries<CodeContribution>().Any(e => e.State == EntityState.Modified); // a verdict, a corrected title
        var activation = tracker.Entries<PolicyVersion>()
            .Any(e => e.State == EntityState.Modified && e.Entity.Status == PolicyStatus.Active && e.Property(v => v.Status).IsModified);

        // Addresses whose match can change, per vendor.
        var emails = new HashSet<(Guid Vendor, string Email)>();
        foreach (var c in added)
        {
            emails.Add((c.VendorId, c.AuthorEmail));
        }
        foreach (var e in tracker.Entries<ContributorAlias>().Where(e => e.State is EntityState.Added or EntityState.Deleted))
        {
            emails.Add((e.Entity.VendorId, e.Entity.Email));
        }
        foreach (var e in tracker.Entries<Person>().Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(p => p.Email).IsModified)))
        {
            emails.Add((e.Entity.VendorId, CodeContribution.NormalizeEmail(e.Entity.Email)));
            if (e.State == EntityState.Modified && e.Property(p => p.Email).OriginalValue is string before)
            {
                emails.Add((e.Entity.VendorId, CodeContribution.NormalizeEmail(before)));
            }
        }

        // People whose facts the flags read changed.
        var people = new HashSet<Guid>();
        people.UnionWith(tracker.Entries<Person>().Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id));
        people.UnionWith(tracker.Entries<AccessGrant>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity.PersonId));
        people.UnionWith(tracker.Entries<EscortAssignment>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity.PersonId));
        people.UnionWith(tracker.Entries<EscortedSession>().Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity.PersonId));
        people.UnionWith(tracker.Entries<Finding>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.PersonId));
        people.UnionWith(tracker.Entries<CodeContribution>().Where(e => e.State == EntityState.Modified).Select(e => e.Entity.PersonId).OfType<Guid>());

        if (added.Count == 0 && !modified && !activation && emails.Count == 0 && people.Count == 0)
        {
            return;
        }
        // People the handler found to have no stored contribution (KnownEmpty) need no query: whatever they have is tracked.
        var known = people.Where(db.KnownEmpty.CodeContributions.Contains).ToHashSet();
        people.ExceptWith(known);
        // Nothing to refresh is the common case of a roster change before any code is imported: when finding that out would
        // take several queries (an import's thousands of addresses), one question first; when it is one query anyway (one
        // grant's person), that query answers it.
        var queries = activation ? 1 : emails.GroupBy(e => e.Vendor).Sum(g => (g.Count() + Chunk - 1) / Chunk) + (people.Count + Chunk - 1) / Chunk;
        if (added.Count == 0 && !modified && queries > 1 && !await db.CodeContributions.AnyAsync(ct))
        {
            return;
        }

        // 1. The contributions to refresh: tracked ones, and the stored ones of those addresses and people (all on an activation).
        var affected = new Dictionary<Guid, CodeContribution>();
        foreach (var c in tracker.Entries<CodeContribution>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified || (e.Entity.PersonId is { } p && known.Contains(p))).Select(e => e.Entity))
        {
            affected[c.Id] = c;
        }
        if (activation)
        {
            foreach (var c in await db.CodeContributions.ToListAsync(ct))
            {
                affected[c.Id] = c;
            }
        }
        else
        {
            foreach (var vendor in emails.GroupBy(e => e.Vendor))
            {
                foreach (var chunk in vendor.Select(e => e.Email).Chunk(Chunk))
                {
                    foreach (var c in await db.CodeContributions.Where(c => c.VendorId == vendor.Key && chunk.Contains(c.AuthorEmail)).ToListAsync(ct))
                    {
                        affected[c.Id] = c;
                    }
                }
            }
            foreach (var chunk in people.Chunk(Chunk))
            {
                foreach (var c in await OfPeople(db, chunk).ToListAsync(ct))
                {
                    affected[c.Id] = c;
                }
            }
        }
        if (affected.Count == 0)
        {
            return;
        }

        // 2. Attribution, for the addresses that changed.
        var rematch = affected.Values.Where(c => emails.Contains((c.VendorId, c.AuthorEmail))).ToList();
        if (rematch.Count > 0)
        {
            var matcher = await AuthorMatcher.LoadAsync(db, rematch.Select(c => (c.VendorId, c.AuthorEmail)).ToHashSet(), ct);
            foreach (var c in rematch)
            {
                var (person, match) = matcher.Match(c.VendorId, c.AuthorEmail);
                if (person != c.PersonId || match != c.Match)
                {
                    c.Attribute(person, match);
                }
            }
        }

        // 3. Flags, from the facts as they stood at each contribution.
        var facts = await ContributionFactsLoader.LoadAsync(db, affected.Values.ToList(), ct);
        var (version, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        foreach (var c in affected.Values)
        {
            var flags = ContributionRisk.Evaluate(facts.For(c), parameters);
            c.Flag(JsonSerializer.Serialize(flags, FlagJson), flags.Sum(f => f.Weight), version.Number, now);
        }
        ComplianceGate.IssueReceipts(db, now);
    }

    /// <summary>Who an address names in a vendor: an alias first, else the one person with that roster e-mail.</summary>
    private sealed class AuthorMatcher(Dictionary<(Guid, string), Guid> aliases, ILookup<(Guid, string), Guid> rosterEmails)
    {
        public static async Task<AuthorMatcher> LoadAsync(ComplianceDbContext db, HashSet<(Guid Vendor, string Email)> wanted, CancellationToken ct)
        {
            var aliases = new Dictionary<(Guid, string), Guid>();
            var roster = new List<(Guid Vendor, string Email, Guid Person)>();
            var trackedPeople = db.ChangeTracker.Entries<Person>().Select(e => e.Entity).ToDictionary(p => p.Id);
            var trackedAliases = db.ChangeTracker.Entries<ContributorAlias>().ToDictionary(e => e.Entity.Id, e => e);
            foreach (var vendor in wanted.GroupBy(w => w.Vendor))
            {
                foreach (var chunk in vendor.Select(w => w.Email).Chunk(Chunk))
                {
                    foreach (var a in await db.ContributorAliases.AsNoTracking().Where(a => a.VendorId == vendor.Key && chunk.Contains(a.Email)).ToListAsync(ct))
                    {
                        if (!trackedAliases.ContainsKey(a.Id))
                        {
                            aliases[(a.VendorId, a.Email)] = a.PersonId;
                        }
                    }
                    var stored = await db.People.AsNoTracking().Where(p => p.VendorId == vendor.Key && chunk.Contains(p.Email.ToLower()))
                        .Select(p => new { p.Id, p.VendorId, p.Email }).ToListAsync(ct);
                    roster.AddRange(stored.Where(p => !trackedPeople.ContainsKey(p.Id)).Select(p => (p.VendorId, CodeContribution.NormalizeEmail(p.Email), p.Id)));
                }
            }
            foreach (var e in trackedAliases.Values.Where(e => e.State != EntityState.Deleted && wanted.Contains((e.Entity.VendorId, e.Entity.Email))))
            {
                aliases[(e.Entity.VendorId, e.Entity.Email)] = e.Entity.PersonId;
            }
            roster.AddRange(trackedPeople.Values.Select(p => (p.VendorId, Email: CodeContribution.NormalizeEmail(p.Email), p.Id))
                .Where(p => wanted.Contains((p.VendorId, p.Email))));
            return new AuthorMatcher(aliases, roster.Distinct().ToLookup(r => (r.Vendor, r.Email), r => r.Person));
        }

        public (Guid? Person, ContributionMatch Match) Match(Guid vendor, string email)
        {
            if (aliases.TryGetValue((vendor, email), out var aliased))
            {
                return (aliased, ContributionMatch.Alias);
            }
            var candidates = rosterEmails[(vendor, email)].Distinct().ToList();
            return candidates.Count switch
            {
                0 => (null, ContributionMatch.Unmatched),
                1 => (candidates[0], ContributionMatch.Email),
                _ => (null, ContributionMatch.Ambiguous),
            };
        }
    }
}
