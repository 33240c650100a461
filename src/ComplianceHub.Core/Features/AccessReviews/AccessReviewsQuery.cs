using System.Runtime.CompilerServices;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>One row of the campaign report: the item and the facts its decision was made on (JSON, null when undecided or not shown).</summary>
public sealed record AccessReviewReportRow(AccessReviewItemView Item, string? DecisionSnapshot);

/// <summary>Filters of the campaign list.</summary>
public sealed record CampaignListFilter(Domain.AccessReviews.CampaignStatus? Status = null, Guid? DefinitionId = null, string? Search = null,
    Guid? VendorId = null);

/// <summary>
/// Access reviews, read (ADR 0040): definitions, campaigns, their items, one item's review panel, a reviewer's queue, a
/// campaign's summary and the reviewers an item may go to. Scoped like everything vendor-owned (ADR 0028): a representative
/// sees only their own vendor's items (and, of a campaign, only its counts of their vendor's items); an officer or auditor of a
/// contracting office the items of the office's vendors; an item out of scope is not found. Paged and filtered in the
/// database; <see cref="StreamItemsAsync"/> streams an export without holding the list.
/// </summary>
public sealed class AccessReviewsQuery(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>How many items one page of <see cref="StreamItemsAsync"/> reads.</summary>
    public const int StreamPageSize = 2000;

    /// <summary>How an escort the reader may not see (of another vendor, or another office's) is named (ADR 0028).</summary>
    public const string OtherVendorsEscort = "An escort of another vendor";

    /// <summary>
    /// Definitions, newest first (or by <c>name</c>), with the fallback officer's name and how many campaigns each started.
    /// Only for officers, auditors and administrators: a representative gets an empty page.
    /// </summary>
    public async Task<PagedResult<AccessReviewDefinitionView>> DefinitionsAsync(Actor actor, bool includeRetired, PageRequest page, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            return new PagedResult<AccessReviewDefinitionView>([], page.SafePage, page.SafePageSize, 0);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.AccessReviewDefinitions.AsNoTracking();
        if (!includeRetired)
        {
            query = query.Where(d => d.RetiredAt == null);
        }
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("name", false) => query.OrderBy(d => d.Name).ThenBy(d => d.Id),
            ("name", true) => query.OrderByDescending(d => d.Name).ThenBy(d => d.Id),
            ("nextstarton", false) => query.OrderBy(d => d.NextStartOn).ThenBy(d => d.Id),
            ("nextstarton", true) => query.OrderByDescending(d => d.NextStartOn).ThenBy(d => d.Id),
            (_, false) when page.Sort is not null => query.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            _ => query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id),
        };
        var rows = await DefinitionRows(db, sorted.Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(ct);
        return new PagedResult<AccessReviewDefinitionView>(rows.Select(ToView).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One definition; null when missing, or for a representative (definitions are the officers').</summary>
    public async Task<AccessReviewDefinitionView?> DefinitionAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await DefinitionRows(db, db.AccessReviewDefinitions.AsNoTracking().Where(d => d.Id == id)).SingleOrDefaultAsync(ct);
        return row is null ? null : ToView(row);
    }

    private sealed record DefinitionRow(AccessReviewDefinition Definition, string? FallbackName, int Campaigns);

    private static IQueryable<DefinitionRow> DefinitionRows(ComplianceDbContext db, IQueryable<AccessReviewDefinition> definitions) =>
        definitions.Select(d => new DefinitionRow(d,
            db.Users.Where(u => u.Id == d.FallbackOfficerId).Select(u => u.DisplayName).FirstOrDefault(),
            db.AccessReviewCampaigns.Count(c => c.DefinitionId == d.Id)));

    private static AccessReviewDefinitionView ToView(DefinitionRow row)
    {
        var d = row.Definition;
        return new AccessReviewDefinitionView(d.Id, d.Name, d.Scope, d.RepresentativeStage, d.FallbackOfficerId, row.FallbackName ?? "Unknown account",
            d.DurationDays, d.ReminderDays, d.DeadlineAction, d.EscalationDays, d.CommentRule, d.Recurrence, d.NextStartOn, d.CreatedAt,
            d.RetiredAt, row.Campaigns, d.Version);
    }

    /// <summary>
    /// Campaigns the reader may see, newest first (sorts: <c>name</c>, <c>deadline</c>, <c>startedAt</c>): every campaign for
    /// installation-wide readers; for a representative or a reader of a contracting office only campaigns holding items they
    /// see, with the counts of those items only.
    /// </summary>
    public async Task<PagedResult<AccessReviewCampaignView>> CampaignsAsync(Actor actor, CampaignListFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = VisibleCampaigns(db, actor);
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        if (filter.DefinitionId is { } definition)
        {
            query = query.Where(c => c.DefinitionId == definition);
        }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            query = query.Where(c => EF.Functions.ILike(c.Name, pattern));
        }
        if (filter.VendorId is { } vendor)
        {
            // Campaigns holding items of the vendor that the reader sees (the dashboard's vendor view links here).
            var items = db.AccessReviewItems.AsNoTracking().VisibleTo(actor).Where(i => i.VendorId == vendor);
            query = query.Where(c => items.Any(i => i.CampaignId == c.Id));
        }
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("name", false) => query.OrderBy(c => c.Name).ThenBy(c => c.Id),
            ("name", true) => query.OrderByDescending(c => c.Name).ThenBy(c => c.Id),
            ("deadline", false) => query.OrderBy(c => c.Deadline).ThenBy(c => c.Id),
            ("deadline", true) => query.OrderByDescending(c => c.Deadline).ThenBy(c => c.Id),
            ("startedat", false) => query.OrderBy(c => c.StartedAt).ThenBy(c => c.Id),
            _ => query.OrderByDescending(c => c.StartedAt).ThenBy(c => c.Id),
        };
        var campaigns = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var counts = await ScopedCountsAsync(db, actor, campaigns.Select(c => c.Id).ToList(), ct);
        return new PagedResult<AccessReviewCampaignView>(campaigns.Select(c => ToView(c, counts)).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One campaign, with the reader's counts; null when missing or holding no item the reader sees (a scoped reader).</summary>
    public async Task<AccessReviewCampaignView?> CampaignAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CampaignAsync(db, actor, id, ct);
    }

    private static async Task<AccessReviewCampaignView?> CampaignAsync(ComplianceDbContext db, Actor actor, Guid id, CancellationToken ct)
    {
        var campaign = await VisibleCampaigns(db, actor).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return null;
        }
        var counts = await ScopedCountsAsync(db, actor, [id], ct);
        return ToView(campaign, counts);
    }

    /// <summary>Whether the reader sees only part of the items (a representative, or an officer or auditor of an office).</summary>
    private static bool Scoped(Actor actor) => actor.IsVendorRepresentative || !actor.SeesEveryVendor;

    private static IQueryable<AccessReviewCampaign> VisibleCampaigns(ComplianceDbContext db, Actor actor)
    {
        var campaigns = db.AccessReviewCampaigns.AsNoTracking();
        if (!Scoped(actor))
        {
            return campaigns;
        }
        var visible = db.AccessReviewItems.AsNoTracking().VisibleTo(actor);
        return campaigns.Where(c => visible.Any(i => i.CampaignId == c.Id));
    }

    /// <summary>A scoped reader's item and pending counts per campaign (one GROUP BY); null for a reader who sees everything (the campaign's own counts hold).</summary>
    private static async Task<Dictionary<Guid, (int Items, int Pending)>?> ScopedCountsAsync(ComplianceDbContext db, Actor actor, List<Guid> campaignIds,
        CancellationToken ct)
    {
        if (!Scoped(actor) || campaignIds.Count == 0)
        {
            return null;
        }
        var rows = await db.AccessReviewItems.AsNoTracking().VisibleTo(actor)
            .Where(i => campaignIds.Contains(i.CampaignId))
            .GroupBy(i => i.CampaignId)
            .Select(g => new { g.Key, Items = g.Count(), Pending = g.Count(i => i.Status == AccessReviewItemStatus.Pending) })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Key, r => (r.Items, r.Pending));
    }

    private static AccessReviewCampaignView ToView(AccessReviewCampaign c, Dictionary<Guid, (int Items, int Pending)>? counts)
    {
        var (items, pending) = counts is null ? (c.ItemCount, c.PendingCount) : counts.TryGetValue(c.Id, out var n) ? n : (0, 0);
        return new AccessReviewCampaignView(c.Id, c.DefinitionId, c.Name, c.Status, c.StartedAt, c.StartedByName, c.Deadline, c.Escalated, c.ClosedAt,
            c.CloseReason, items, pending, c.Scope, c.RepresentativeStage, c.FallbackOfficerId, c.ReminderDays, c.DeadlineAction, c.EscalationDays,
            c.CommentRule, c.ItemsDigest);
    }

    /// <summary>
    /// A campaign's counts per vendor, per system (items, pending, kept, revoked, reduced, ended, stale) and per reviewer
    /// (pending items they may decide, decisions and stage-one answers they gave), grouped in the database over the items the
    /// reader sees. Null when the campaign is not visible.
    /// </summary>
    public async Task<AccessReviewCampaignSummary?> SummaryAsync(Actor actor, Guid campaignId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var campaign = await CampaignAsync(db, actor, campaignId, ct);
        if (campaign is null)
        {
            return null;
        }
        var items = db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaignId).VisibleTo(actor);
        var byVendor = await items.GroupBy(i => i.VendorId).Select(g => new Counts(g.Key, g.Count(),
                g.Count(i => i.Status == AccessReviewItemStatus.Pending), g.Count(i => i.Status == AccessReviewItemStatus.Kept),
                g.Count(i => i.Status == AccessReviewItemStatus.Revoked), g.Count(i => i.Status == AccessReviewItemStatus.Reduced),
                g.Count(i => i.Status == AccessReviewItemStatus.Ended), g.Count(i => i.Stale)))
            .ToListAsync(ct);
        var bySystem = await items.GroupBy(i => i.SystemId).Select(g => new Counts(g.Key, g.Count(),
                g.Count(i => i.Status == AccessReviewItemStatus.Pending), g.Count(i => i.Status == AccessReviewItemStatus.Kept),
                g.Count(i => i.Status == AccessReviewItemStatus.Revoked), g.Count(i => i.Status == AccessReviewItemStatus.Reduced),
                g.Count(i => i.Status == AccessReviewItemStatus.Ended), g.Count(i => i.Stale)))
            .ToListAsync(ct);
        var vendorIds = byVendor.Select(v => v.Key).ToList();
        var vendorNames = await db.Vendors.AsNoTracking().Where(v => vendorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name, ct);
        var systemIds = bySystem.Select(s => s.Key).ToList();
        var systemNames = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        var pendingBy = await items.Where(i => i.Status == AccessReviewItemStatus.Pending)
            .SelectMany(i => i.ReviewerIds).GroupBy(r => r).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var decidedBy = await items.Where(i => i.DecidedBy != null).GroupBy(i => i.DecidedBy!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var answeredBy = await items.Where(i => i.StageOneBy != null).GroupBy(i => i.StageOneBy!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var reviewers = new Dictionary<Guid, (int Pending, int Decided)>();
        foreach (var p in pendingBy)
        {
            reviewers[p.Key] = (p.Count, 0);
        }
        foreach (var d in decidedBy.Concat(answeredBy).Where(d => d.Key != Guid.Empty))
        {
            var current = reviewers.GetValueOrDefault(d.Key);
            reviewers[d.Key] = (current.Pending, current.Decided + d.Count);
        }
        var reviewerIds = reviewers.Keys.ToList();
        var names = await db.Users.AsNoTracking().Where(u => reviewerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new AccessReviewCampaignSummary(campaign,
            byVendor.Select(r => r.Row(vendorNames.GetValueOrDefault(r.Key, "Unknown vendor"))).OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            bySystem.Select(r => r.Row(systemNames.GetValueOrDefault(r.Key, "Unknown system"))).OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            reviewers.Select(r => new ReviewerRow(r.Key, names.GetValueOrDefault(r.Key, "Unknown account"), r.Value.Pending, r.Value.Decided))
                .OrderByDescending(r => r.Pending).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    private sealed record Counts(Guid Key, int Items, int Pending, int Kept, int Revoked, int Reduced, int Ended, int Stale)
    {
        public SummaryRow Row(string name) => new(Key, name, Items, Pending, Kept, Revoked, Reduced, Ended, Stale);
    }

    /// <summary>
    /// A page of a campaign's items the reader sees that <paramref name="filter"/> selects (<see cref="AccessReviewItemScope.Select"/>),
    /// with names joined in the database. Sorts: <c>person</c> (the default), <c>system</c>, <c>vendor</c>, <c>status</c>,
    /// <c>recommendation</c>, <c>decidedAt</c>. An invisible campaign reads as an empty page.
    /// </summary>
    public async Task<PagedResult<AccessReviewItemView>> ItemsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var commentRule = await db.AccessReviewCampaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => (CommentRule?)c.CommentRule)
            .SingleOrDefaultAsync(ct);
        if (commentRule is null)
        {
            return new PagedResult<AccessReviewItemView>([], page.SafePage, page.SafePageSize, 0);
        }
        var selected = AccessReviewItemScope.Select(db, actor, campaignId, filter);
        var total = await selected.CountAsync(ct);
        var rows = Rows(db, selected);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("system", false) => rows.OrderBy(r => r.SystemName).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("system", true) => rows.OrderByDescending(r => r.SystemName).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("vendor", false) => rows.OrderBy(r => r.VendorName).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("vendor", true) => rows.OrderByDescending(r => r.VendorName).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("status", false) => rows.OrderBy(r => r.Item.Status).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("status", true) => rows.OrderByDescending(r => r.Item.Status).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("recommendation", false) => rows.OrderBy(r => r.Item.Recommendation).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("recommendation", true) => rows.OrderByDescending(r => r.Item.Recommendation).ThenBy(r => r.PersonName).ThenBy(r => r.Item.Id),
            ("decidedat", false) => rows.OrderBy(r => r.Item.DecidedAt).ThenBy(r => r.Item.Id),
            ("decidedat", true) => rows.OrderByDescending(r => r.Item.DecidedAt).ThenBy(r => r.Item.Id),
            ("person", true) => rows.OrderByDescending(r => r.PersonName).ThenBy(r => r.SystemName).ThenBy(r => r.Item.Id),
            _ => rows.OrderBy(r => r.PersonName).ThenBy(r => r.SystemName).ThenBy(r => r.Item.Id),
        };
        var list = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var views = await ViewsAsync(db, actor, list, commentRule.Value, ct);
        return new PagedResult<AccessReviewItemView>(views, page.SafePage, page.SafePageSize, total);
    }

    /// <summary>The ids of the items a filter selects (a bulk action's "select all N matching"), capped at <see cref="Bulk.MaxItems"/>, and the count.</summary>
    public async Task<BulkSelection> SelectAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Bulk.SelectAsync(AccessReviewItemScope.Select(db, actor, campaignId, filter).OrderBy(i => i.Id).Select(i => i.Id), ct);
    }

    /// <summary>The campaign of an item the reader sees; null when the item is missing or out of sight (a single decision's lookup).</summary>
    public async Task<Guid?> CampaignOfItemAsync(Actor actor, Guid itemId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AccessReviewItems.AsNoTracking().VisibleTo(actor).Where(i => i.Id == itemId).Select(i => (Guid?)i.CampaignId).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// One item's review panel: the item, the person's facts with their source and when they were recorded, the open findings
    /// on the person and the grant, the rules they fail, the last escorted session on the system, the code contributions and
    /// the escort. Null when missing or out of the reader's sight.
    /// </summary>
    public async Task<AccessReviewItemDetail?> ItemAsync(Actor actor, Guid itemId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var row = await Rows(db, db.AccessReviewItems.AsNoTracking().VisibleTo(actor).Where(i => i.Id == itemId)).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var item = row.Item;
        var campaign = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == item.CampaignId, ct);
        var view = (await ViewsAsync(db, actor, [row], campaign.CommentRule, ct))[0];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        var person = await db.People.SingleAsync(p => p.Id == item.PersonId, ct);
        var changes = await db.PersonFactChanges.Where(c => c.PersonId == item.PersonId)
            .Select(c => new { c.Attribute, c.Source, c.RecordedAt, c.EffectiveOn }).ToListAsync(ct);
        var latest = changes.GroupBy(c => c.Attribute, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.EffectiveOn).ThenByDescending(c => c.RecordedAt).First(), StringComparer.OrdinalIgnoreCase);
        ReviewFact Fact(string attribute, string value)
        {
            var source = latest.TryGetValue(attribute, out var change) ? change : null;
            return new ReviewFact(Words.Field(attribute), value, source is null ? "Not recorded" : Words.Of(source.Source), source?.RecordedAt);
        }
        string Date(DateOnly? day) => day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "Not recorded";
        var facts = new List<ReviewFact>
        {
            Fact("citizenships", Words.Countries(person.Citizenships)),
            Fact("countryOfBirth", Words.Country(person.CountryOfBirth)),
            Fact("usLawfulPermanentResident", Words.YesNo(person.UsLawfulPermanentResident)),
            Fact("workCountry", string.IsNullOrWhiteSpace(person.WorkCity) ? Words.Country(person.WorkCountry) : $"{person.WorkCity}, {Words.Country(person.WorkCountry)}"),
            Fact("investigationTier", Words.Of(person.InvestigationTier)),
            Fact("adjudicatedOn", Date(person.AdjudicatedOn)),
            Fact("continuousVetting", Words.YesNo(person.ContinuousVetting)),
            Fact("clearance", Words.Of(person.Clearance)),
            Fact("ndaSignedOn", Date(person.NdaSignedOn)),
            Fact("employmentStatus", Words.Of(person.EmploymentStatus)),
            Fact("locationAttestedOn", Date(person.LocationAttestedOn)),
            Fact("screeningStatus", Words.Of(person.ScreeningStatus)),
        };

        var findings = (await db.Findings.VisibleTo(actor)
                .Where(f => f.PersonId == item.PersonId && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged)
                    && (f.SubjectType != "grant" || f.SubjectId == item.GrantId))
                .OrderBy(f => f.DueOn).ThenBy(f => f.Id).Take(50).ToListAsync(ct))
            .Select(f => new ReviewFinding(f.Id, f.RuleId, RuleCatalogue.Find(f.RuleId)?.Title ?? f.RuleId, Words.Of(f.Severity), f.DetectedAt, f.DueOn))
            .ToList();
        var failing = findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => RuleCatalogue.Find(id) is { } rule ? $"{rule.Title} ({id})" : id).ToList();

        var visiblePeople = db.People.VisibleTo(actor);
        var session = await db.EscortedSessions.Where(s => s.PersonId == item.PersonId && s.SystemId == item.SystemId)
            .OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.StartedAt, Signed = s.SignedOffAt != null,
                Escort = visiblePeople.Where(p => p.Id == s.EscortId).Select(p => p.FullName).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        var lastSession = session is null ? null : new ReviewSession(session.Id, session.StartedAt, session.Escort ?? OtherVendorsEscort, session.Signed);

        var contributions = db.CodeContributions.Where(c => c.PersonId == item.PersonId && c.SystemId == item.SystemId);
        var totalContributions = await contributions.CountAsync(ct);
        var flagged = contributions.Where(c => c.Flags != "[]");
        var flaggedCount = await flagged.CountAsync(ct);
        var recentFlagged = await flagged.OrderByDescending(c => c.ContributedAt).ThenBy(c => c.Id).Take(5)
            .Select(c => c.Repository + ": " + c.Title).ToListAsync(ct);

        string? escortName = null;
        if (item.Escorted)
        {
            var escort = await db.EscortAssignments
                .Where(a => a.PersonId == item.PersonId && a.SystemId == item.SystemId && a.Active && a.StartsOn <= today && a.EndsOn >= today)
                .OrderBy(a => a.StartsOn).ThenBy(a => a.Id)
                .Select(a => new { Name = visiblePeople.Where(p => p.Id == a.EscortId).Select(p => p.FullName).FirstOrDefault() })
                .FirstOrDefaultAsync(ct);
            escortName = escort is null ? "No escort assigned today" : escort.Name ?? OtherVendorsEscort;
        }

        return new AccessReviewItemDetail(view, campaign.Name, campaign.Deadline, facts, findings, failing, lastSession,
            new ReviewContributions(totalContributions, flaggedCount, recentFlagged), escortName,
            actor.IsVendorRepresentative ? null : item.DecisionSnapshot);
    }

    /// <summary>
    /// Every item of a campaign the reader sees that <paramref name="filter"/> selects, in id order, read by keyset in pages of
    /// <see cref="StreamPageSize"/>: only one page is held at a time. An invisible campaign streams nothing.
    /// </summary>
    public async IAsyncEnumerable<AccessReviewItemView> StreamItemsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var row in StreamReportRowsAsync(actor, campaignId, filter, ct))
        {
            yield return row.Item;
        }
    }

    /// <summary>
    /// As <see cref="StreamItemsAsync"/>, each item with the facts its decision was made on (its decision snapshot, JSON; null
    /// for a representative, as in the review panel): the rows of the campaign report.
    /// </summary>
    public async IAsyncEnumerable<AccessReviewReportRow> StreamReportRowsAsync(Actor actor, Guid campaignId, AccessReviewItemFilter filter,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var commentRule = await db.AccessReviewCampaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => (CommentRule?)c.CommentRule)
            .SingleOrDefaultAsync(ct);
        if (commentRule is null)
        {
            yield break;
        }
        var after = Guid.Empty;
        var names = new Dictionary<Guid, string>();
        while (true)
        {
            var from = after;
            var page = new List<ItemRow>(StreamPageSize);
            await foreach (var row in Rows(db, AccessReviewItemScope.Select(db, actor, campaignId, filter).Where(i => i.Id > from))
                               .OrderBy(r => r.Item.Id).Take(StreamPageSize).AsAsyncEnumerable().WithCancellation(ct))
            {
                page.Add(row);
            }
            if (page.Count == 0)
            {
                yield break;
            }
            var views = await ViewsAsync(db, actor, page, commentRule.Value, ct, names);
            for (var i = 0; i < views.Count; i++)
            {
                yield return new AccessReviewReportRow(views[i], actor.IsVendorRepresentative ? null : page[i].Item.DecisionSnapshot);
            }
            if (page.Count < StreamPageSize)
            {
                yield break;
            }
            after = page[^1].Item.Id;
            if (names.Count > 20_000)
            {
                names.Clear();
            }
        }
    }

    /// <summary>
    /// The reader's queue: each open campaign where items wait for them or they decided some, with what waits for them
    /// (<see cref="AccessReviewItemScope.DecidableBy"/>), what they decided and the campaign's counts as they see them; soonest deadline first.
    /// </summary>
    public async Task<IReadOnlyList<ReviewerQueueEntry>> QueueAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var me = actor.UserId;
        var open = db.AccessReviewCampaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Open).Select(c => c.Id);
        var pending = await db.AccessReviewItems.AsNoTracking().DecidableBy(actor).Where(i => open.Contains(i.CampaignId))
            .GroupBy(i => i.CampaignId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var decided = await db.AccessReviewItems.AsNoTracking().VisibleTo(actor)
            .Where(i => open.Contains(i.CampaignId) && (i.DecidedBy == me || i.StageOneBy == me))
            .GroupBy(i => i.CampaignId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var ids = pending.Keys.Union(decided.Keys).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var campaigns = await db.AccessReviewCampaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        var counts = await ScopedCountsAsync(db, actor, ids, ct);
        return campaigns.Select(c => ToView(c, counts))
            .Select(c => new ReviewerQueueEntry(c.Id, c.Name, c.Deadline, pending.GetValueOrDefault(c.Id), decided.GetValueOrDefault(c.Id), c.ItemCount, c.PendingCount))
            .OrderBy(e => e.Deadline).ThenBy(e => e.CampaignName, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The officers a definition's fallback may be, for the definition form: every active contracting officer (not a service
    /// account) who acts installation-wide or for the reader's own contracting office — an officer of another office could not
    /// see the vendors the reader reviews. Officers only; sorted by name.
    /// </summary>
    public async Task<IReadOnlyList<ReviewerOption>> FallbackOfficersAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsContractingOfficer && !actor.IsAuditor)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var officers = db.AccountsInRole(Roles.ContractingOfficer);
        var office = actor.OfficeId;
        return await db.Users.AsNoTracking()
            .Where(u => officers.Contains(u.Id) && u.DisabledAt == null && !u.IsServiceAccount && (u.OfficeId == null || u.OfficeId == office))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new ReviewerOption(u.Id, u.DisplayName, Roles.ContractingOfficer))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Who a pending item may be given to (<see cref="ReviewerRouting.Eligible"/>): in stage one the vendor's other
    /// representatives, in stage two the active contracting officers; never the grant's requester nor a current reviewer.
    /// Empty when the item is missing, out of sight or decided.
    /// </summary>
    public async Task<IReadOnlyList<ReviewerOption>> ReviewerOptionsAsync(Actor actor, Guid itemId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var item = await db.AccessReviewItems.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || !item.IsPending)
        {
            return [];
        }
        var fallback = await db.AccessReviewCampaigns.AsNoTracking().Where(c => c.Id == item.CampaignId).Select(c => c.FallbackOfficerId).SingleAsync(ct);
        var routing = await ReviewerRouting.LoadAsync(db, fallback, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        var role = item.Stage == 1 ? Roles.VendorRepresentative : Roles.ContractingOfficer;
        var inRole = db.AccountsInRole(role);
        var current = item.ReviewerIds.ToArray();
        var candidates = db.Users.AsNoTracking().Where(u => u.DisabledAt == null && !u.IsServiceAccount && inRole.Contains(u.Id) && !current.Contains(u.Id));
        if (item.Stage == 1)
        {
            candidates = candidates.Where(u => u.VendorId == item.VendorId);
        }
        var people = await candidates.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var roleName = Words.SplitWords(role);
        return people.Where(p => routing.Eligible(p.Id, item.Stage, item.VendorId, item.GrantRequestedBy))
            .Select(p => new ReviewerOption(p.Id, p.DisplayName, roleName)).ToList();
    }

    // ---- Rows and views -------------------------------------------------------------------------------------------

    /// <summary>An item with its names (a class with setters, so that the database can sort on its members).</summary>
    private sealed class ItemRow
    {
        public AccessReviewItem Item { get; init; } = null!;
        public string PersonName { get; init; } = "";
        public string PersonEmail { get; init; } = "";
        public string VendorName { get; init; } = "";
        public string SystemName { get; init; } = "";
        public ImpactLevel ImpactLevel { get; init; }
        public string? ContractNumber { get; init; }
        public string? StageOneByName { get; init; }
        public string? DecidedByName { get; init; }
    }

    /// <summary>The items with the names a row shows, joined in the database.</summary>
    private static IQueryable<ItemRow> Rows(ComplianceDbContext db, IQueryable<AccessReviewItem> items) =>
        from i in items
        join p in db.People on i.PersonId equals p.Id
        join v in db.Vendors on i.VendorId equals v.Id
        join s in db.Systems on i.SystemId equals s.Id
        select new ItemRow
        {
            Item = i, PersonName = p.FullName, PersonEmail = p.Email, VendorName = v.Name, SystemName = s.Name, ImpactLevel = s.ImpactLevel,
            ContractNumber = db.Contracts.Where(c => c.Id == i.ContractId).Select(c => c.Number).FirstOrDefault(),
            StageOneByName = db.Users.Where(u => u.Id == i.StageOneBy).Select(u => u.DisplayName).FirstOrDefault(),
            DecidedByName = db.Users.Where(u => u.Id == i.DecidedBy).Select(u => u.DisplayName).FirstOrDefault(),
        };

    /// <summary>The rows as views: reviewer names in one query for the page, <c>CanDecide</c> and <c>KeepNeedsComment</c> for the reader.</summary>
    private static async Task<List<AccessReviewItemView>> ViewsAsync(ComplianceDbContext db, Actor actor, IReadOnlyList<ItemRow> rows, CommentRule rule,
        CancellationToken ct, Dictionary<Guid, string>? names = null)
    {
        names ??= [];
        var missing = rows.SelectMany(r => r.Item.ReviewerIds).Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var user in await db.Users.AsNoTracking().Where(u => missing.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
            {
                names[user.Id] = user.DisplayName;
            }
        }
        var myStage = actor.IsVendorRepresentative ? 1 : actor.IsContractingOfficer ? 2 : 0;
        return rows.Select(r =>
        {
            var i = r.Item;
            var decidedByName = i.DecidedBy is null ? null : i.DecidedAtDeadline && i.DecidedBy == Guid.Empty ? "Deadline action" : r.DecidedByName ?? "Unknown account";
            return new AccessReviewItemView(i.Id, i.CampaignId, i.GrantId, i.PersonId, r.PersonName, r.PersonEmail, i.VendorId, r.VendorName, i.SystemId,
                r.SystemName, r.ImpactLevel, i.ContractId, r.ContractNumber, i.AccessType, i.Escorted, i.ForeignNational, i.Stage, i.Status,
                i.Recommendation, i.RecommendationReason,
                i.ReviewerIds.Select(id => names.GetValueOrDefault(id, "Unknown account")).Order(StringComparer.Ordinal).ToList(),
                i.StageOneDecision, i.StageOneBy is null ? null : r.StageOneByName ?? "Unknown account", i.StageOneAt, i.StageOneComment,
                i.Decision, decidedByName, i.DecidedAt, i.Comment, i.DecidedAtDeadline, i.Stale, i.StaleReason, i.FlaggedForNext, i.Note)
            {
                CanDecide = myStage != 0 && i.IsPending && i.Stage == myStage && i.ReviewerIds.Contains(actor.UserId),
                KeepNeedsComment = i.KeepNeedsComment(rule),
            };
        }).ToList();
    }
}
