using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Checks a personal access token on a request: known by its hash, not revoked, not expired, and its owner a service account
/// still able to act (not disabled, not locked out). Records the use — at most once an hour, as an audited write by the owner.
/// </summary>
public sealed class ApiTokenAuthenticator(IDbContextFactory<ComplianceDbContext> contexts, UserManager<ApplicationUser> users, TimeProvider clock)
{
    public async Task<(ApplicationUser User, Guid TokenId, ApiTokenScope Scope, IReadOnlyList<string> Operations)?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var hash = ApiToken.HashOf(secret);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (token is null || !token.ValidAt(now))
        {
            return null;
        }
        var user = await users.FindByIdAsync(token.OwnerUserId.ToString());
        // Only a service account acts through a token: one made for a person before that rule is refused.
        if (user is null || !user.IsServiceAccount || user.DisabledAt is not null || await users.IsLockedOutAsync(user))
        {
            return null;
        }
        if (token.RecordUse(now))
        {
            var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
            using var audit = AuditScope.Begin(new AuditScope(new AuditActor(user.Id, user.DisplayName, role, user.VendorId, "api-token") { ApiTokenId = token.Id },
                "api-token.use", Guid.CreateVersion7().ToString()));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Two requests recorded the same hour's use at once; one record is enough.
            }
        }
        return (user, token.Id, token.Scope, token.Operations);
    }

    /// <summary>Every token, newest first, never a secret (administrators manage them; auditors read them, as they read everything).</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        if (!(actor.IsAdministrator || actor.IsAuditor))
        {
            throw new UnauthorizedAccessException("Personal access tokens are listed to administrators and auditors.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tokens = db.ApiTokens.AsNoTracking();
        if (actor.VisibleVendorIds is { } vendors)
        {
            // An auditor of a contracting office: the tokens of its vendors' (service) accounts only (ADR 0028).
            var owners = db.Users.Where(u => u.VendorId != null && vendors.Contains(u.VendorId.Value)).Select(u => u.Id);
            tokens = tokens.Where(t => owners.Contains(t.OwnerUserId));
        }
        return (await tokens.OrderByDescending(t => t.CreatedAt).ToListAsync(ct)).Select(ApiTokenView.From).ToList();
    }
}
