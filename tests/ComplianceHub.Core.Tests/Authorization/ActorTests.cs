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

    private static readonly Guid OfficeId = Guid.NewGuid();

    private static ClaimsPrincipal WithScope(ClaimsPrincipal principal, string identityType, params Guid[] vendors)
    {
        principal.AddIdentity(new ClaimsIdentity([new Claim(ComplianceClaimTypes.OfficeVendors, string.Join(' ', vendors))], identityType));
        return principal;
    }

    [Fact]
    public void AnOfficesOfficer_SeesOnlyTheVendorsTheScopeIdentityLists()
    {
        var other = Guid.NewGuid();
        var actor = Actor.FromPrincipal(WithScope(Principal(new Claim(ClaimTypes.Role, Roles.ContractingOfficer),
            new Claim(ComplianceClaimTypes.OfficeId, OfficeId.ToString())), OfficeScopes.IdentityType, VendorId));
        Assert.NotNull(actor);
        Assert.Equal(OfficeId, actor.OfficeId);
        Assert.Equal([VendorId], actor.VisibleVendorIds!);
        Assert.True(actor.Sees(VendorId));
        Assert.False(actor.Sees(other));
        Assert.False(actor.SeesEveryVendor);
    }

    [Fact]
    public void AnOfficesAuditor_WithNoResolvedScope_SeesNoVendor_FailClosed()
    {
        // No scope identity at all, and one of another authentication type (as a forged or stale claim would come): nothing seen.
        foreach (var principal in new[]
        {
            Principal(new Claim(ClaimTypes.Role, Roles.Auditor), new Claim(ComplianceClaimTypes.OfficeId, OfficeId.ToString())),
            WithScope(Principal(new Claim(ClaimTypes.Role, Roles.Auditor), new Claim(ComplianceClaimTypes.OfficeId, OfficeId.ToString())), "cookie", VendorId),
        })
        {
            var actor = Actor.FromPrincipal(principal);
            Assert.NotNull(actor);
            Assert.Equal([], actor.VisibleVendorIds!);
            Assert.False(actor.Sees(VendorId));
        }
    }

    [Fact]
    public void InstallationWideOfficersAndAdministrators_SeeEveryVendor_ARepresentativeTheirOwn()
    {
        Assert.True(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.ContractingOfficer)))!.SeesEveryVendor);
        Assert.True(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.Administrator)))!.SeesEveryVendor);
        var rep = Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.VendorRepresentative), new Claim(ComplianceClaimTypes.VendorId, VendorId.ToString())))!;
        Assert.Equal([VendorId], rep.VisibleVendorIds!);
        // A representative built by hand (tests, the CLI) is scoped by its vendor all the same.
        Assert.False(new Actor(UserId, "Rep", Roles.VendorRepresentative, VendorId, null).Sees(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(Roles.VendorRepresentative)]
    [InlineData(Roles.Administrator)]
    public void AnOfficeClaim_OnARoleWithoutOffices_IsRefused(string role)
    {
        var claims = new List<Claim> { new(ClaimTypes.Role, role), new(ComplianceClaimTypes.OfficeId, OfficeId.ToString()) };
        if (role == Roles.VendorRepresentative)
        {
            claims.Add(new Claim(ComplianceClaimTypes.VendorId, VendorId.ToString()));
        }
        Assert.Null(Actor.FromPrincipal(Principal([.. claims])));
    }

    [Fact]
    public void TwoOfficeClaims_AreRefused() =>
        Assert.Null(Actor.FromPrincipal(Principal(new Claim(ClaimTypes.Role, Roles.ContractingOfficer),
            new Claim(ComplianceClaimTypes.OfficeId, OfficeId.ToString()), new Claim(ComplianceClaimTypes.OfficeId, Guid.NewGuid().ToString()))));

    [Fact]
    public void AMalformedScope_IsNoScope() =>
        Assert.Null(OfficeScopes.VendorsFrom(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ComplianceClaimTypes.OfficeVendors, $"{VendorId} not-a-guid")], OfficeScopes.IdentityType))));
}
