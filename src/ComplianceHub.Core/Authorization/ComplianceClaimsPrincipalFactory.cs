using System.Security.Claims;
using ComplianceHub.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Adds the portal's claims at sign-in: the display name and, for a vendor representative, the one vendor
/// the account is bound to (<see cref="ComplianceClaimTypes.VendorId"/>), which every vendor-scoped query uses, and for an
/// officer or auditor of a contracting office, the office (<see cref="ComplianceClaimTypes.OfficeId"/>).
/// </summary>
public sealed class ComplianceClaimsPrincipalFactory(UserManager<ApplicationUser> users, RoleManager<ApplicationRole> roles,
    IOptions<IdentityOptions> options, IDbContextFactory<ComplianceDbContext> contexts)
    : UserClaimsPrincipalFactory<ApplicationUser, ApplicationRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ComplianceClaimTypes.DisplayName, user.DisplayName));
        if (user.OfficeId is { } officeId)
        {
            await using var db = await contexts.CreateDbContextAsync();
            var officeName = await db.ContractingOffices.Where(o => o.Id == officeId).Select(o => o.Name).SingleAsync();
            identity.AddClaim(new Claim(ComplianceClaimTypes.OfficeId, officeId.ToString()));
            identity.AddClaim(new Claim(ComplianceClaimTypes.OfficeName, officeName));
        }
        if (user.VendorId is { } vendorId)
        {
            await using var db = await contexts.CreateDbContextAsync();
            var vendorName = await db.Vendors.Where(v => v.Id == vendorId).Select(v => v.Name).SingleAsync();
            identity.AddClaim(new Claim(ComplianceClaimTypes.VendorId, vendorId.ToString()));
            identity.AddClaim(new Claim(ComplianceClaimTypes.VendorName, vendorName));
        }
        return identity;
    }
}
