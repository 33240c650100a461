using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Approvals;

/// <summary>
/// A grant waiting for a second contracting officer. <c>RequestedByActor</c> is true when the reading officer requested
/// it: they may not approve it (two-person rule).
/// </summary>
public sealed record PendingGrantApproval(Guid GrantId, Guid PersonId, string PersonName, Guid VendorId, string VendorName, Guid SystemId,
    string SystemName, ImpactLevel ImpactLevel, AccessType AccessType, bool Escorted, DateOnly StartsOn, DateOnly? EndsOn, string? Justification,
    Guid RequestedBy, string RequestedByName, DateTimeOffset RequestedAt, bool RequestedByActor)
{
    /// <summary>The person's facts the approval is decided on (the decision context of the queue's row).</summary>
    public ApprovalFacts Facts { get; init; } = ApprovalFacts.None;
}

/// <summary>
/// What an officer weighs before approving: the person's citizenships, birth country and work location (ISO codes; the page
/// shows them in words), vetting and clearance. The rule outcomes come from a dry run of the approval.
/// </summary>
public sealed record ApprovalFacts(IReadOnlyList<string> Citizenships, string CountryOfBirth, string WorkCountry, string WorkCity,
    InvestigationTier InvestigationTier, DateOnly? AdjudicatedOn, Clearance Clearance, ScreeningStatus ScreeningStatus, DateOnly? LocationAttestedOn)
{
    public static readonly ApprovalFacts None = new([], "", "", "", InvestigationTier.None, null, Clearance.None, ScreeningStatus.Clear, null);
}

/// <summary>A waiver waiting for a second contracting officer.</summary>
public sealed record PendingWaiverApproval(Guid WaiverId, Guid FindingId, string RuleId, string FindingMessage, Guid PersonId, string PersonName,
    string VendorName, string Justification, DateOnly ExpiresOn, Guid RequestedBy, string RequestedByName, DateTimeOffset RequestedAt,
    bool RequestedByActor);

/// <summary>A policy draft waiting to be activated by an officer other than its drafter.</summary>
public sealed record PendingPolicyActivation(Guid PolicyVersionId, int Number, string Name, Guid? DraftedBy, string DraftedByName,
    DateTimeOffset DraftedAt, bool RequestedByActor);

/// <summary>The approvals queue of a contracting officer: everything that waits for a second officer.</summary>
/// <remarks>The lists hold at most <see cref="ApprovalsQuery.MaxItems"/> items each; the counts are of everything waiting.</remarks>
public sealed record ApprovalsQueue(IReadOnlyList<PendingGrantApproval> Grants, int GrantCount, IReadOnlyList<PendingWaiverApproval> Waivers,
    int WaiverCount, IReadOnlyList<PendingPolicyActivation> PolicyDrafts, int PolicyDraftCount);

/// <summary>
/// What waits for a second contracting officer, oldest first: pending grants, waivers awaiting approval and policy drafts.
/// Each item says whether the reading officer requested it, so the page can explain why they cannot approve it; the
/// commands refuse it anyway.
/// </summary>
public sealed class ApprovalsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>At most this many items of each kind (oldest first); the counts say how many there are in all.</summary>
    public const int MaxItems = 500;

    public async Task<ApprovalsQueue> QueueAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsContractingOfficer)
        {
            throw new UnauthorizedAccessException("Only contracting officers work the approvals queue.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        // An officer of a contracting office works the requests of the vendors it holds (ADR 0028).
        var people = db.People.VisibleTo(actor);
        var findings = db.Findings.VisibleTo(actor);
        var pendingGrants = from g in db.Grants where g.Status == GrantStatus.PendingApproval join p in people on g.PersonId equals p.Id select g;
        var pendingWaivers = from w in db.Waivers where w.Status == WaiverStatus.PendingApproval join f in findings on w.FindingId equals f.Id select w;

        var grants = await (from g in db.Grants
                            where g.Status == GrantStatus.PendingApproval
                            join p in people on g.PersonId equals p.Id
                            join v in db.Vendors on p.VendorId equals v.Id
                            join s in db.Systems on g.SystemId equals s.Id
                            from u in db.Users.Where(u => u.Id == g.RequestedBy).DefaultIfEmpty()
                            orderby g.RequestedAt, g.Id
                            select new PendingGrantApproval(g.Id, p.Id, p.FullName, v.Id, v.Name, s.Id, s.Name, s.ImpactLevel, g.AccessType, g.Escorted,
                                g.StartsOn, g.EndsOn, g.Justification, g.RequestedBy, u == null ? "" : u.DisplayName, g.RequestedAt,
                                g.RequestedBy == actor.UserId)
                            {
                                Facts = new ApprovalFacts(p.Citizenships, p.CountryOfBirth, p.WorkCountry, p.WorkCity, p.InvestigationTier, p.AdjudicatedOn,
                                    p.Clearance, p.ScreeningStatus, p.LocationAttestedOn),
                            })
            .Take(MaxItems).ToListAsync(ct);

        var waivers = await (from w in db.Waivers
                             where w.Status == WaiverStatus.PendingApproval
                             join f in findings on w.FindingId equals f.Id
                             join p in people on f.PersonId equals p.Id
                             join v in db.Vendors on f.VendorId equals v.Id
                             from u in db.Users.Where(u => u.Id == w.RequestedBy).DefaultIfEmpty()
                             orderby w.RequestedAt, w.Id
                             select new PendingWaiverApproval(w.Id, f.Id, w.RuleId, f.Message, p.Id, p.FullName, v.Name, w.Justification, w.ExpiresOn,
                                 w.RequestedBy, u == null ? "" : u.DisplayName, w.RequestedAt, w.RequestedBy == actor.UserId))
            .Take(MaxItems).ToListAsync(ct);

        var drafts = await (from d in db.PolicyVersions
                            where d.Status == PolicyStatus.Draft
                            from u in db.Users.Where(u => u.Id == d.DraftedBy).DefaultIfEmpty()
                            orderby d.DraftedAt, d.Number
                            select new PendingPolicyActivation(d.Id, d.Number, d.Name, d.DraftedBy, u == null ? "" : u.DisplayName, d.DraftedAt,
                                d.DraftedBy == actor.UserId))
            .Take(MaxItems).ToListAsync(ct);

        return new ApprovalsQueue(
            grants, await pendingGrants.CountAsync(ct),
            waivers, await pendingWaivers.CountAsync(ct),
            drafts, await db.PolicyVersions.CountAsync(d => d.Status == PolicyStatus.Draft, ct));
    }

    /// <summary>
    /// The pending grants the officer can decide in bulk ("select all N matching"): those of the vendors they see, their own
    /// requests excepted (two-person rule), oldest first as the queue lists them.
    /// </summary>
    public async Task<BulkSelection> DecidableGrantsAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsContractingOfficer)
        {
            throw new UnauthorizedAccessException("Only contracting officers work the approvals queue.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Bulk.SelectAsync(from g in db.Grants.AsNoTracking()
                                      where g.Status == GrantStatus.PendingApproval && g.RequestedBy != actor.UserId
                                      join p in db.People.VisibleTo(actor) on g.PersonId equals p.Id
                                      orderby g.RequestedAt, g.Id
                                      select g.Id, ct);
    }
}
