using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Starts a campaign of a definition now (<see cref="StartAccessReviewCampaign"/>). A retired definition, or one whose scope
/// holds no current grant, is a conflict; a dry run counts the items and writes nothing.
/// </summary>
internal sealed class StartAccessReviewCampaignHandler : ICommandHandler<StartAccessReviewCampaign, AccessReviewCampaignView>
{
    public async Task<Outcome<AccessReviewCampaignView>> HandleAsync(StartAccessReviewCampaign command, CommandContext context, CancellationToken ct)
    {
        var definition = await context.Db.AccessReviewDefinitions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == command.DefinitionId, ct);
        if (definition is null || !await DefinitionAccess.MayActOnAsync(context.Db, context.Actor, definition.Scope, ct))
        {
            return Outcome<AccessReviewCampaignView>.NotFound("The access review");
        }
        return await CampaignStart.StartAsync(context, definition, context.Actor.UserId, context.Actor.DisplayName, command.DryRun, ct);
    }
}

/// <summary>
/// How a campaign starts, for an officer's start and the scheduler's (ADR 0040): the campaign row first, then its items frozen
/// set-wise — a keyset walk over the current grants (active or suspended) in the definition's scope and the starter's vendor
/// scope, <see cref="Chunk"/> at a time, each chunk's recommendations read in a few queries (<see cref="Recommendations"/>),
/// routed (<see cref="ReviewerRouting"/>, loaded once), saved and forgotten — and last the count and the digest of the
/// frozen list. Memory holds one chunk.
/// </summary>
internal static class CampaignStart
{
    /// <summary>Grants read, recommended, routed and saved at a time.</summary>
    public const int Chunk = 5_000;

    /// <summary>The answer to a start whose scope holds nothing.</summary>
    public const string EmptyScope = "No current grant is in the review's scope: change the scope, or start it when there is access to review.";

    private static readonly GrantStatus[] Current = [GrantStatus.Active, GrantStatus.Suspended];
    private static readonly FindingStatus[] OpenFinding = [FindingStatus.Open, FindingStatus.Acknowledged];

    /// <summary>Starts <paramref name="definition"/> (read untracked) for <paramref name="context"/>'s actor's vendor scope.</summary>
    public static async Task<Outcome<AccessReviewCampaignView>> StartAsync(CommandContext context, AccessReviewDefinition definition,
        Guid startedBy, string startedByName, bool dryRun, CancellationToken ct)
    {
        var db = context.Db;
        if (definition.RetiredAt is not null)
        {
            return Outcome<AccessReviewCampaignView>.Conflict("This access review is retired: it starts no more campaigns. Define a new one instead.");
        }
        var scoped = InScope(db, definition.Scope, context.Actor);
        var campaign = new AccessReviewCampaign(Guid.CreateVersion7(), definition, startedBy, startedByName, context.Now);
        if (dryRun)
        {
            var count = await scoped.CountAsync(ct);
            if (count == 0)
            {
                return Outcome<AccessReviewCampaignView>.Conflict(EmptyScope);
            }
            campaign.Frozen(count, "");
            return Outcome<AccessReviewCampaignView>.Ok(View(campaign) with { Preview = true });
        }

        var first = await Next(scoped, null).ToListAsync(ct);
        if (first.Count == 0)
        {
            return Outcome<AccessReviewCampaignView>.Conflict(EmptyScope);
        }
        var (_, parameters) = await ActivePolicy.ForChangeAsync(db, ct);
        var routing = await ReviewerRouting.LoadAsync(db, campaign.FallbackOfficerId, context.Today, ct);
        db.AccessReviewCampaigns.Add(campaign);
        await db.SaveChangesAsync(ct); // the campaign row first: the items' key refers to it
        db.ChangeTracker.Clear();

        var total = 0;
        var chunk = first;
        while (chunk.Count > 0)
        {
            var recommended = await Recommendations.ForAsync(db, chunk.Select(g => g.Basis).ToList(), parameters.AttestationDays, context.Now, ct);
            var items = new List<AccessReviewItem>(chunk.Count);
            foreach (var g in chunk)
            {
                var route = routing.Start(g.VendorId, g.SystemId, g.RequestedBy, campaign.RepresentativeStage);
                var recommendation = recommended[g.GrantId];
                items.Add(new AccessReviewItem(Guid.CreateVersion7(), campaign.Id, g.GrantId, g.PersonId, g.VendorId, g.SystemId,
                    routing.ContractFor(g.VendorId, g.SystemId), g.AccessType, g.Escorted, !IsUsPerson(g), g.RequestedBy,
                    recommendation.Value, recommendation.Reason, route.Stage, route.Reviewers, route.Note));
            }
            db.AccessReviewItems.AddRange(items);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            total += chunk.Count;
            chunk = chunk.Count < Chunk ? [] : await Next(scoped, chunk[^1].GrantId).ToListAsync(ct);
        }

        var digest = await DigestAsync(db, campaign.Id, ct);
        var stored = await db.AccessReviewCampaigns.SingleAsync(c => c.Id == campaign.Id, ct);
        stored.Frozen(total, digest);
        var recurring = await db.AccessReviewDefinitions.SingleAsync(d => d.Id == definition.Id, ct);
        recurring.Started(context.Today);
        return Outcome<AccessReviewCampaignView>.OkAfterSave(() => View(stored));
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over the frozen list, each item as "itemId:grantId\n" in item-id order — streamed from the
    /// items just written, never held.
    /// </summary>
    public static async Task<string> DigestAsync(ComplianceDbContext db, Guid campaignId, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var item in db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaignId).OrderBy(i => i.Id)
                           .Select(i => new { i.Id, i.GrantId }).AsAsyncEnumerable().WithCancellation(ct))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{item.Id}:{item.GrantId}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A campaign as pages and the API show it.</summary>
    public static AccessReviewCampaignView View(AccessReviewCampaign c) =>
        new(c.Id, c.DefinitionId, c.Name, c.Status, c.StartedAt, c.StartedByName, c.Deadline, c.Escalated, c.ClosedAt, c.CloseReason,
            c.ItemCount, c.PendingCount, c.Scope, c.RepresentativeStage, c.FallbackOfficerId, c.ReminderDays, c.DeadlineAction,
            c.EscalationDays, c.CommentRule, c.ItemsDigest);

    /// <summary>One grant in scope with what its item copies and its recommendation needs (member-initialised, so that SQL can order and filter on it).</summary>
    internal sealed class ScopedGrant
    {
        public Guid GrantId { get; init; }
        public Guid PersonId { get; init; }
        public Guid VendorId { get; init; }
        public Guid SystemId { get; init; }
        public AccessType AccessType { get; init; }
        public bool Escorted { get; init; }
        public Guid RequestedBy { get; init; }
        public List<string> Citizenships { get; init; } = [];
        public string CountryOfBirth { get; init; } = "";
        public bool UsLawfulPermanentResident { get; init; }
        public EmploymentStatus EmploymentStatus { get; init; }
        public DateOnly? TerminatedOn { get; init; }
        public DateOnly? LocationAttestedOn { get; init; }

        public ReviewBasis Basis => new(GrantId, PersonId, SystemId, AccessType, Escorted, EmploymentStatus, TerminatedOn, LocationAttestedOn);
    }

    private static bool IsUsPerson(ScopedGrant g) => UsNationality.IsNational(g.Citizenships, g.CountryOfBirth) || g.UsLawfulPermanentResident;

    /// <summary>The next chunk after <paramref name="after"/> in grant-id order (a keyset walk: the millionth grant costs what the first does).</summary>
    private static IQueryable<ScopedGrant> Next(IQueryable<ScopedGrant> scoped, Guid? after) =>
        (after is { } last ? scoped.Where(g => g.GrantId.CompareTo(last) > 0) : scoped).OrderBy(g => g.GrantId).Take(Chunk);

    /// <summary>
    /// The current grants a campaign of <paramref name="scope"/> started by <paramref name="actor"/> reviews, as SQL: every
    /// filter set narrows; the contract filter takes the grants on a system one of the chosen contracts covers for that
    /// contract's vendor; "failing a rule" is an open finding on the grant or the person; an officer of a contracting office
    /// reaches only the office's vendors.
    /// </summary>
    public static IQueryable<ScopedGrant> InScope(ComplianceDbContext db, AccessReviewScope scope, Actor actor)
    {
        var grants = db.Grants.AsNoTracking().Where(g => Current.Contains(g.Status));
        if (scope.SystemIds.Count > 0)
        {
            var systems = scope.SystemIds.ToArray();
            grants = grants.Where(g => systems.Contains(g.SystemId));
        }
        if (scope.AccessTypes.Count > 0)
        {
            var types = scope.AccessTypes.ToArray();
            grants = grants.Where(g => types.Contains(g.AccessType));
        }
        if (scope.OnlyEscorted)
        {
            grants = grants.Where(g => g.Escorted);
        }
        if (scope.ImpactLevels.Count > 0)
        {
            var levels = scope.ImpactLevels.ToArray();
            grants = grants.Where(g => db.Systems.Any(s => s.Id == g.SystemId && levels.Contains(s.ImpactLevel)));
        }
        var people = db.People.AsNoTracking();
        if (scope.VendorIds.Count > 0)
        {
            var vendors = scope.VendorIds.ToArray();
            people = people.Where(p => vendors.Contains(p.VendorId));
        }
        if (actor.VisibleVendorIds is { } visible)
        {
            people = people.Where(p => visible.Contains(p.VendorId));
        }
        if (scope.OnlyForeignNationals)
        {
            people = people.Where(Population.NotUsPerson());
        }
        var joined = from g in grants
                     join p in people on g.PersonId equals p.Id
                     select new { Grant = g, Person = p };
        if (scope.ContractIds.Count > 0)
        {
            var contracts = scope.ContractIds.ToArray();
            joined = joined.Where(x => db.Contracts.Any(c => contracts.Contains(c.Id) && c.VendorId == x.Person.VendorId && c.SystemIds.Contains(x.Grant.SystemId)));
        }
        if (scope.OnlyFailingRules)
        {
            joined = joined.Where(x => db.Findings.Any(f => OpenFinding.Contains(f.Status)
                && (f.SubjectId == x.Grant.Id || (f.PersonId == x.Person.Id && f.SubjectType != "grant"))));
        }
        return joined.Select(x => new ScopedGrant
        {
            GrantId = x.Grant.Id,
            PersonId = x.Person.Id,
            VendorId = x.Person.VendorId,
            SystemId = x.Grant.SystemId,
            AccessType = x.Grant.AccessType,
            Escorted = x.Grant.Escorted,
            RequestedBy = x.Grant.RequestedBy,
            Citizenships = x.Person.Citizenships,
            CountryOfBirth = x.Person.CountryOfBirth,
            UsLawfulPermanentResident = x.Person.UsLawfulPermanentResident,
            EmploymentStatus = x.Person.EmploymentStatus,
            TerminatedOn = x.Person.TerminatedOn,
            LocationAttestedOn = x.Person.LocationAttestedOn,
        });
    }
}
