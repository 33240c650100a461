using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Rules.Contributions;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>
/// Filters of the contributions grid and the review queue. <see cref="FlaggedOnly"/> is the queue (risk above zero);
/// <see cref="Flag"/> one flag code; <see cref="UnmatchedOnly"/> authors matched to nobody; days are UTC and inclusive.
/// </summary>
public sealed record ContributionFilter(Guid? VendorId = null, Guid? SystemId = null, string? Repository = null, string? Flag = null,
    ReviewVerdict? Verdict = null, bool FlaggedOnly = false, bool UnmatchedOnly = false, string? Search = null, DateOnly? From = null, DateOnly? To = null,
    Guid? PersonId = null);

/// <summary>A raised flag as stored: code, weight, the sentence with the facts, and the facts.</summary>
public sealed record ContributionFlagView(string Code, int Weight, string Message, IReadOnlyDictionary<string, string> Facts);

/// <summary>A contribution as the grid shows it. Reviewer and notes are withheld from vendor representatives.</summary>
public sealed record ContributionRow(Guid Id, Guid VendorId, string VendorName, Guid SystemId, string SystemName, string Repository, string ExternalId,
    string Title, string? Url, string AuthorName, string AuthorEmail, DateTimeOffset ContributedAt, Guid? PersonId, string? PersonName, ContributionMatch Match,
    int RiskScore, IReadOnlyList<ContributionFlagView> Flags, ReviewVerdict Verdict, string? ReviewedBy, DateTimeOffset? ReviewedAt, string? ReviewNotes,
    string Version)
{
    /// <summary>The flag codes, for a cell or a file.</summary>
    public string FlagCodes => string.Join(", ", Flags.Select(f => f.Code));

    /// <summary>The short id shown for a commit hash.</summary>
    public string ShortId => ExternalId.Length == 40 || ExternalId.Length == 64 ? ExternalId[..10] : ExternalId;
}

/// <summary>An author address matched to nobody (or to more than one person) in a vendor, with its contributions.</summary>
public sealed record UnmatchedAuthor(Guid VendorId, string VendorName, string AuthorEmail, string AuthorNames, ContributionMatch Match, int Contributions,
    DateTimeOffset First, DateTimeOffset Last);

/// <summary>One verdict in a contribution's review history, read back from the audit trail.</summary>
public sealed record ReviewHistoryItem(long Sequence, DateTimeOffset At, string By, string Verdict, string? Notes);

/// <summary>
/// A contribution with everything the reviewer weighs: the author's facts as of the day (by attribute), the grants then, the
/// escorts assigned that day, the escorted sessions covering the moment, the later findings, and the review history.
/// </summary>
public sealed record ContributionDetail(ContributionRow Row, IReadOnlyDictionary<string, JsonElement?> AuthorFactsThen, IReadOnlyList<GrantAtTime> Grants,
    IReadOnlyList<EscortAtTime> Escorts, IReadOnlyList<SessionAtTime> Sessions, IReadOnlyList<LaterFinding> LaterFindings,
    IReadOnlyList<ReviewHistoryItem> History, DateTimeOffset? FlagsComputedAt, int? FlagsPolicyVersion)
{
    /// <summary>
    /// For a fact with no record yet on the contribution's day: its latest value and the day the record starts. The flags read
    /// that value (the rules' convention for facts first recorded later); the page and the API say so.
    /// </summary>
    public IReadOnlyDictionary<string, FactRecordedLater> AuthorFactsRecordedLater { get; init; } =
        new Dictionary<string, FactRecordedLater>();
}

/// <summary>A fact first recorded after a contribution's day: its latest value, and the day its record starts (<c>{value, since}</c>).</summary>
public sealed record FactRecordedLater(JsonElement? Value, DateOnly Since);

/// <summary>The review queue's numbers, for the dashboard.</summary>
public sealed record ContributionCounts(int Contributions, int FlaggedUnreviewed, int NeedsRemediation, int Escalated, int UnmatchedAuthors);

/// <summary>
/// The contributions grid and review queue, server-side filtered, sorted and paged; the detail of one contribution; the
/// unmatched authors; a person's aliases. Vendor-scoped in the query: a representative reads their own vendor's rows only,
/// and another vendor's contribution or person is a 404 (null).
/// </summary>
public sealed class ContributionsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    private static readonly JsonSerializerOptions FlagJson = new(JsonSerializerDefaults.Web);

    public async Task<PagedResult<ContributionRow>> ListAsync(Actor actor, ContributionFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Filtered(db, actor, filter);
        var total = await query.CountAsync(ct);
        var items = await Sorted(query, page.Sort, page.Desc).Skip(page.Skip).Take(page.SafePageSize).AsNoTracking().ToListAsync(ct);
        return new PagedResult<ContributionRow>(await RowsAsync(db, actor, items, ct), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>The contributions of the grid's filter, in its order, for a bulk verdict ("select all N matching").</summary>
    public async Task<BulkSelection> MatchingAsync(Actor actor, ContributionFilter filter, string? sort, bool desc, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Bulk.SelectAsync(Sorted(Filtered(db, actor, filter), sort, desc).Select(c => c.Id), ct);
    }

    /// <summary>Every contribution of the grid with its filter, in its sort, streamed in batches (see <see cref="StreamedBatches"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<ContributionRow>> ExportAsync(Actor actor, ContributionFilter filter, string? sort, bool desc,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var side = await contexts.CreateDbContextAsync(ct);
        await foreach (var batch in StreamedBatches.ReadAsync(Sorted(Filtered(db, actor, filter), sort, desc).AsNoTracking(),
                           (items, c) => RowsAsync(side, actor, items, c), ct))
        {
            yield return batch;
        }
    }

    private static IQueryable<CodeContribution> Sorted(IQueryable<CodeContribution> query, string? sort, bool desc) => (sort?.ToLowerInvariant(), desc) switch
    {
        ("contributedat" or "date", false) => query.OrderBy(c => c.ContributedAt).ThenBy(c => c.Id),
        ("contributedat" or "date", true) => query.OrderByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        ("author" or "authoremail", false) => query.OrderBy(c => c.AuthorEmail).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        ("author" or "authoremail", true) => query.OrderByDescending(c => c.AuthorEmail).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        ("repository", false) => query.OrderBy(c => c.Repository).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        ("repository", true) => query.OrderByDescending(c => c.Repository).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        ("verdict", false) => query.OrderBy(c => c.ReviewVerdict).ThenByDescending(c => c.RiskScore).ThenBy(c => c.Id),
        ("verdict", true) => query.OrderByDescending(c => c.ReviewVerdict).ThenByDescending(c => c.RiskScore).ThenBy(c => c.Id),
        ("riskscore" or "risk", false) => query.OrderBy(c => c.RiskScore).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
        _ => query.OrderByDescending(c => c.RiskScore).ThenByDescending(c => c.ContributedAt).ThenBy(c => c.Id),
    };

    /// <summary>One contribution with the facts behind its flags, or null when it does not exist or is another vendor's.</summary>
    public async Task<ContributionDetail?> DetailAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await Scoped(db, actor).AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (c is null)
        {
            return null;
        }
        var row = (await RowsAsync(db, actor, [c], ct)).Single();
        var loader = await ContributionFactsLoader.LoadAsync(db, [c], ct, escortNamesFrom: db.People.VisibleTo(actor));
        var facts = loader.For(c);
        var history = new List<ReviewHistoryItem>();
        if (!actor.IsVendorRepresentative)
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "code-contribution" && e.SubjectId == id.ToString())
                .OrderBy(e => e.Sequence).Select(e => new { e.Sequence, e.OccurredAt, e.ActorName, e.Changes }).ToListAsync(ct);
            foreach (var e in events)
            {
                using var changes = JsonDocument.Parse(e.Changes);
                if (changes.RootElement.TryGetProperty("reviewVerdict", out var verdict) && verdict.TryGetProperty("after", out var after)
                    && after.ValueKind == JsonValueKind.String && after.GetString() != nameof(ReviewVerdict.Unreviewed))
                {
                    var notes = changes.RootElement.TryGetProperty("reviewNotes", out var n) && n.TryGetProperty("after", out var na) && na.ValueKind == JsonValueKind.String
                        ? na.GetString() : row.ReviewNotes;
                    history.Add(new ReviewHistoryItem(e.Sequence, e.OccurredAt, e.ActorName, after.GetString()!, notes));
                }
            }
        }
        var then = loader.FactsAsOf(c);
        return new ContributionDetail(row, then, facts.Grants, facts.Escorts, facts.Sessions, facts.LaterFindings, history,
            c.FlagsComputedAt, c.FlagsPolicyVersion)
        {
            AuthorFactsRecordedLater = loader.FactsLatest(c).Where(f => !then.ContainsKey(f.Key))
                .ToDictionary(f => f.Key, f => new FactRecordedLater(f.Value.Value, f.Value.Since)),
        };
    }

    /// <summary>Author addresses matched to nobody or to more than one person, most contributions first.</summary>
    public async Task<PagedResult<UnmatchedAuthor>> UnmatchedAsync(Actor actor, Guid? vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Scoped(db, actor).Where(c => c.PersonId == null);
        if (vendorId is { } v)
        {
            query = query.Where(c => c.VendorId == v);
        }
        var groups = query.GroupBy(c => new { c.VendorId, c.AuthorEmail, c.Match })
            .Select(g => new { g.Key.VendorId, g.Key.AuthorEmail, g.Key.Match, Count = g.Count(), First = g.Min(c => c.ContributedAt), Last = g.Max(c => c.ContributedAt) });
        var total = await groups.CountAsync(ct);
        var items = await groups.OrderByDescending(g => g.Count).ThenBy(g => g.AuthorEmail).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var vendorIds = items.Select(i => i.VendorId).Distinct().ToList();
        var vendors = await db.Vendors.AsNoTracking().Where(x => vendorIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var emails = items.Select(i => i.AuthorEmail).Distinct().ToList();
        var names = (await query.Where(c => emails.Contains(c.AuthorEmail)).Select(c => new { c.VendorId, c.AuthorEmail, c.AuthorName }).Distinct().ToListAsync(ct))
            .ToLookup(n => (n.VendorId, n.AuthorEmail), n => n.AuthorName);
        return new PagedResult<UnmatchedAuthor>(items.Select(i => new UnmatchedAuthor(i.VendorId, vendors.GetValueOrDefault(i.VendorId, ""), i.AuthorEmail,
            string.Join(", ", names[(i.VendorId, i.AuthorEmail)].Where(n => n.Length > 0).Distinct().Order(StringComparer.Ordinal)), i.Match, i.Count, i.First,
            i.Last)).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>A person's aliases, or null when the person is not visible to the actor.</summary>
    public async Task<IReadOnlyList<ContributorAliasView>?> AliasesAsync(Actor actor, Guid personId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.People.AsNoTracking().VisibleTo(actor).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }
        return await db.ContributorAliases.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.Email)
            .Select(a => new ContributorAliasView(a.Id, a.PersonId, a.Email, a.AddedByName, a.AddedAt)).ToListAsync(ct);
    }

    /// <summary>The systems on the vendor's contracts (where its code can be imported), or none for another vendor's representative.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name, ImpactLevel ImpactLevel)>> SystemsOfVendorAsync(Actor actor, Guid vendorId, CancellationToken ct = default)
    {
        if (!actor.Sees(vendorId))
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var systems = await db.Systems.AsNoTracking().Where(s => db.Contracts.Any(c => c.VendorId == vendorId && c.SystemIds.Contains(s.Id)))
            .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.ImpactLevel }).ToListAsync(ct);
        return systems.Select(s => (s.Id, s.Name, s.ImpactLevel)).ToList();
    }

    /// <summary>The repositories in scope (for the filter), sorted.</summary>
    public async Task<IReadOnlyList<string>> RepositoriesAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Scoped(db, actor).Select(c => c.Repository).Distinct().OrderBy(r => r).Take(500).ToListAsync(ct);
    }

    /// <summary>The queue's numbers, for every vendor in scope or one.</summary>
    public async Task<ContributionCounts> CountsAsync(Actor actor, Guid? vendorId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CountsAsync(db, actor, vendorId, ct);
    }

    /// <summary>The queue's numbers on an open context (the dashboard reads them with its own).</summary>
    internal static async Task<ContributionCounts> CountsAsync(ComplianceDbContext db, Actor actor, Guid? vendorId, CancellationToken ct)
    {
        var query = Scoped(db, actor);
        if (vendorId is { } v)
        {
            query = query.Where(c => c.VendorId == v);
        }
        var byVerdict = await query.GroupBy(c => new { c.ReviewVerdict, Flagged = c.RiskScore > 0 })
            .Select(g => new { g.Key.ReviewVerdict, g.Key.Flagged, Count = g.Count() }).ToListAsync(ct);
        var unmatched = await query.Where(c => c.PersonId == null).Select(c => new { c.VendorId, c.AuthorEmail }).Distinct().CountAsync(ct);
        return new ContributionCounts(byVerdict.Sum(g => g.Count),
            byVerdict.Where(g => g.Flagged && g.ReviewVerdict == ReviewVerdict.Unreviewed).Sum(g => g.Count),
            byVerdict.Where(g => g.ReviewVerdict == ReviewVerdict.NeedsRemediation).Sum(g => g.Count),
            byVerdict.Where(g => g.ReviewVerdict == ReviewVerdict.Escalated).Sum(g => g.Count), unmatched);
    }

    private static IQueryable<CodeContribution> Scoped(ComplianceDbContext db, Actor actor) =>
        db.CodeContributions.VisibleTo(actor);

    private static IQueryable<CodeContribution> Filtered(ComplianceDbContext db, Actor actor, ContributionFilter filter)
    {
        var query = Scoped(db, actor);
        if (filter.VendorId is { } vendor) { query = query.Where(c => c.VendorId == vendor); }
        if (filter.SystemId is { } system) { query = query.Where(c => c.SystemId == system); }
        if (filter.PersonId is { } person) { query = query.Where(c => c.PersonId == person); }
        if (!string.IsNullOrWhiteSpace(filter.Repository)) { query = query.Where(c => c.Repository == filter.Repository); }
        if (filter.Verdict is { } verdict) { query = query.Where(c => c.ReviewVerdict == verdict); }
        if (filter.FlaggedOnly) { query = query.Where(c => c.RiskScore > 0); }
        if (filter.UnmatchedOnly) { query = query.Where(c => c.PersonId == null); }
        if (!string.IsNullOrWhiteSpace(filter.Flag))
        {
            var contained = JsonSerializer.Serialize(new[] { new { code = filter.Flag.Trim().ToUpperInvariant() } });
            query = query.Where(c => EF.Functions.JsonContains(c.Flags, contained));
        }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            query = query.Where(c => EF.Functions.ILike(c.Title, pattern) || EF.Functions.ILike(c.AuthorEmail, pattern) || EF.Functions.ILike(c.AuthorName, pattern)
                || EF.Functions.ILike(c.ExternalId, pattern) || EF.Functions.ILike(c.Repository, pattern));
        }
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(c => c.ContributedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(c => c.ContributedAt < end);
        }
        return query;
    }

    private static async Task<IReadOnlyList<ContributionRow>> RowsAsync(ComplianceDbContext db, Actor actor, IReadOnlyList<CodeContribution> items, CancellationToken ct)
    {
        var vendorIds = items.Select(c => c.VendorId).Distinct().ToList();
        var systemIds = items.Select(c => c.SystemId).Distinct().ToList();
        var personIds = items.Select(c => c.PersonId).OfType<Guid>().Distinct().ToList();
        var vendors = await db.Vendors.AsNoTracking().Where(v => vendorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var rep = actor.IsVendorRepresentative;
        return items.Select(c => new ContributionRow(c.Id, c.VendorId, vendors.GetValueOrDefault(c.VendorId, ""), c.SystemId, systems.GetValueOrDefault(c.SystemId, ""),
            c.Repository, c.ExternalId, c.Title, c.Url, c.AuthorName, c.AuthorEmail, c.ContributedAt, c.PersonId,
            c.PersonId is { } p ? people.GetValueOrDefault(p) : null, c.Match, c.RiskScore,
            JsonSerializer.Deserialize<List<ContributionFlagView>>(c.Flags, FlagJson) ?? [], c.ReviewVerdict,
            rep ? null : c.ReviewedByName, c.ReviewedAt, rep ? null : c.ReviewNotes, c.Version.ToString(CultureInfo.InvariantCulture))).ToList();
    }
}
