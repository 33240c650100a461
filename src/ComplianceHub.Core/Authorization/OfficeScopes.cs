using System.Security.Claims;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Resolves what an officer or auditor of a contracting office may see: the vendors whose contracts the office holds (ADR 0028).
/// Read afresh for every request (<see cref="WithScopeAsync"/>) and every time a circuit asks for its actor
/// (<see cref="ResolveAsync"/>), never kept in a cookie or token, so a contract that moves to another office moves its vendor
/// out of sight on the next click. One index-only read of <c>contracts (office_id, vendor_id)</c>.
/// </summary>
public sealed class OfficeScopes(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The authentication type of the identity that carries the resolved scope; claims of any other identity are ignored.</summary>
    public const string IdentityType = "ch:office-scope";

    /// <summary>The vendors the office holds at least one contract with (whatever the contract's period: past access stays reviewable).</summary>
    public async Task<Guid[]> VendorsOfAsync(Guid officeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Contracts.AsNoTracking().Where(c => c.OfficeId == officeId).Select(c => c.VendorId).Distinct().ToArrayAsync(ct);
    }

    /// <summary>The actor with its office's vendors resolved now; unchanged when it has no office.</summary>
    public async Task<Actor> ResolveAsync(Actor actor, CancellationToken ct = default) =>
        actor.OfficeId is { } office ? actor with { OfficeVendorIds = await VendorsOfAsync(office, ct) } : actor;

    /// <summary>
    /// The principal with its office's vendors attached as an identity of <see cref="IdentityType"/> (any such identity it
    /// already carried is dropped first); unchanged when it names no office.
    /// </summary>
    public async Task<ClaimsPrincipal> WithScopeAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var identities = principal.Identities.Where(i => i.AuthenticationType != IdentityType).ToList();
        var scoped = new ClaimsPrincipal(identities);
        if (!Guid.TryParse(scoped.FindFirstValue(ComplianceClaimTypes.OfficeId), out var office))
        {
            return identities.Count == principal.Identities.Count() ? principal : scoped;
        }
        var vendors = await VendorsOfAsync(office, ct);
        scoped.AddIdentity(new ClaimsIdentity([new Claim(ComplianceClaimTypes.OfficeVendors, string.Join(' ', vendors))], IdentityType));
        return scoped;
    }

    /// <summary>The vendors a principal's scope identity lists, or null when it carries none (the actor then sees no vendor).</summary>
    public static IReadOnlyList<Guid>? VendorsFrom(ClaimsPrincipal principal)
    {
        var scope = principal.Identities.Where(i => i.AuthenticationType == IdentityType).ToList();
        if (scope.Count != 1 || scope[0].FindAll(ComplianceClaimTypes.OfficeVendors).ToList() is not [var claim])
        {
            return null;
        }
        var ids = new List<Guid>();
        foreach (var part in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Guid.TryParse(part, out var id))
            {
                return null;
            }
            ids.Add(id);
        }
        return ids;
    }
}
