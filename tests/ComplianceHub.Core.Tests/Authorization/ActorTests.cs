using System.Security.Claims;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Tests.Authorization;

public sealed class ActorTests
{
    private static readonly Guid UserId = Guid.NewGuid();
    private static readonly Guid VendorId = Guid.NewGuid();

    private static ClaimsPrincipal Principal(params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, UserId.ToString()), .. claims], "test"));

    [Fact]
    public void FromPrincipal_ReadsRoleAndVendor_ForARepresentative()
    {
        var actor = Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.VendorRepresentative),
            new Claim(ComplianceClaimTypes.VendorId, VendorId.ToString()), new Claim(ComplianceClaimTypes.VendorName, "Acme")));
        Assert.NotNull(actor);
        Assert.Equal(UserId, actor.UserId);
        Assert.True(actor.IsVendorRepresentative);
        Assert.Equal(VendorId, actor.VendorId);
        Assert.Equal("Acme", actor.VendorName);
    }

    [Fact]
    public void FromPrincipal_IsNull_ForAnonymous() =>
        Assert.Null(Actor.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity())));

    [Fact]
    public void FromPrincipal_IsNull_ForARepresentativeWithoutVendor() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.VendorRepresentative))));

    [Fact]
    public void FromPrincipal_IsNull_ForARepresentativeWithTwoVendors() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.VendorRepresentative),
            new Claim(ComplianceClaimTypes.VendorId, VendorId.ToString()), new Claim(ComplianceClaimTypes.VendorId, Guid.NewGuid().ToString()))));

    [Fact]
    public void FromPrincipal_IsNull_ForAnOfficerWithAVendorClaim() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.ContractingOfficer),
            new Claim(ComplianceClaimTypes.VendorId, VendorId.ToString()))));

    [Fact]
    public void FromPrincipal_IsNull_ForTwoRoles() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.Auditor), new Claim(ClaimTypes.Role, Roles.Administrator))));

    [Fact]
    public void FromPrincipal_IsNull_ForAnUnknownRole() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, "SuperUser"))));
}
