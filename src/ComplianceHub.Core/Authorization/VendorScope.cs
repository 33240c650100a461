using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// The vendor boundary in the query (ADR 0028): every list and lookup of vendor-owned rows goes through one of these, so a
/// representative reads only their vendor's rows and an officer or auditor of a contracting office only the rows of the vendors
/// the office holds contracts with (<see cref="Actor.VisibleVendorIds"/>, a <c>vendor_id = ANY(@ids)</c> in SQL). A row out of
/// scope is simply not found: the caller answers 404, never 403, so its existence is not revealed.
/// </summary>
public static class VendorScope
{
    /// <summary>Whether the actor may see the person (and so the person's grants and escort assignments): one indexed read, none when unscoped.</summary>
    public static async Task<bool> SeesPersonAsync(this ComplianceDbContext db, Actor actor, Guid personId, CancellationToken ct = default) =>
        actor.SeesEveryVendor || await db.People.VisibleTo(actor).AnyAsync(p => p.Id == personId, ct);

    public static IQueryable<Person> VisibleTo(this IQueryable<Person> people, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? people.Where(p => ids.Contains(p.VendorId)) : people;

    public static IQueryable<Domain.Findings.Finding> VisibleTo(this IQueryable<Domain.Findings.Finding> findings, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? findings.Where(f => ids.Contains(f.VendorId)) : findings;

    public static IQueryable<Domain.Vendors.Vendor> VisibleTo(this IQueryable<Domain.Vendors.Vendor> vendors, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? vendors.Where(v => ids.Contains(v.Id)) : vendors;

    public static IQueryable<Domain.Contracts.Contract> VisibleTo(this IQueryable<Domain.Contracts.Contract> contracts, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? contracts.Where(c => ids.Contains(c.VendorId)) : contracts;

    public static IQueryable<Domain.Access.EscortedSession> VisibleTo(this IQueryable<Domain.Access.EscortedSession> sessions, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? sessions.Where(s => ids.Contains(s.VendorId)) : sessions;

    public static IQueryable<Domain.Access.EscortRequest> VisibleTo(this IQueryable<Domain.Access.EscortRequest> requests, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? requests.Where(r => ids.Contains(r.VendorId)) : requests;

    public static IQueryable<Domain.Attestations.LocationAttestation> VisibleTo(this IQueryable<Domain.Attestations.LocationAttestation> attestations, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? attestations.Where(a => ids.Contains(a.VendorId)) : attestations;

    public static IQueryable<Domain.Contributions.CodeContribution> VisibleTo(this IQueryable<Domain.Contributions.CodeContribution> contributions, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? contributions.Where(c => ids.Contains(c.VendorId)) : contributions;

    public static IQueryable<Domain.Contributions.ContributorAlias> VisibleTo(this IQueryable<Domain.Contributions.ContributorAlias> aliases, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? aliases.Where(a => ids.Contains(a.VendorId)) : aliases;

    public static IQueryable<Domain.Screening.ScreeningHit> VisibleTo(this IQueryable<Domain.Screening.ScreeningHit> hits, Actor actor) =>
        actor.VisibleVendorIds is { } ids ? hits.Where(h => ids.Contains(h.VendorId)) : hits;
}
