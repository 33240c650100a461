using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Roster;

namespace ComplianceHub.Web.Tests.Roster;

/// <summary>The roster's filters survive the trip through the address bar, so dashboard links open the list behind the number.</summary>
public sealed class RosterUrlTests
{
    [Fact]
    public void EveryFilter_RoundTripsThroughTheUrl()
    {
        var filter = new RosterFilter
        {
            Search = "Chen",
            VendorId = Guid.Parse("0199a000-0000-7000-8000-00000000ac01"),
            Citizenships = ["CN", "RU"],
            Groups = [CitizenshipGroup.OtherForeign, CitizenshipGroup.CoveredNation],
            WorkCountry = "IN",
            SystemId = Guid.Parse("0199a000-0000-7000-8000-000000005201"),
            ImpactLevel = ImpactLevel.IL5,
            GrantStatus = GrantStatus.Suspended,
            Escorted = false,
            EmployerType = EmployerType.StaffingAgency,
            Attestation = [AttestationState.Overdue, AttestationState.Never],
            Status = EmploymentStatus.Active,
        };

        var url = RosterUrl.Build(filter);
        var back = RosterUrl.Parse("https://portal.example" + url);

        Assert.StartsWith("/roster?", url, StringComparison.Ordinal);
        Assert.Contains("group=OtherForeign,CoveredNation", url, StringComparison.Ordinal);
        Assert.Equal(filter.Search, back.Search);
        Assert.Equal(filter.VendorId, back.VendorId);
        Assert.Equal(filter.Citizenships, back.Citizenships);
        Assert.Equal(filter.Groups, back.Groups);
        Assert.Equal(filter.WorkCountry, back.WorkCountry);
        Assert.Equal(filter.SystemId, back.SystemId);
        Assert.Equal(filter.ImpactLevel, back.ImpactLevel);
        Assert.Equal(filter.GrantStatus, back.GrantStatus);
        Assert.Equal(filter.Escorted, back.Escorted);
        Assert.Equal(filter.EmployerType, back.EmployerType);
        Assert.Equal(filter.Attestation, back.Attestation);
        Assert.Equal(filter.Status, back.Status);
        Assert.Equal(12, RosterUrl.Count(back));
    }

    [Fact]
    public void NoFilter_IsThePlainRoster()
    {
        Assert.Equal("/roster", RosterUrl.Build(new RosterFilter()));
        Assert.Equal(0, RosterUrl.Count(RosterUrl.Parse("/roster")));
    }

    [Theory]
    [InlineData("/roster?group=Martian,CoveredNation", 1)]
    [InlineData("/roster?grantStatus=7&impact=IL9&vendor=not-a-guid&escorted=maybe", 0)]
    [InlineData("/roster?country=China&citizenship=C,CHN", 0)]
    [InlineData("/roster?attestation=overdue,DUESOON", 1)]
    public void MalformedValues_AreIgnored_NotFatal(string url, int filters)
    {
        var filter = RosterUrl.Parse(url);

        Assert.Equal(filters, RosterUrl.Count(filter));
    }

    [Fact]
    public void LowercaseAndSpacedValues_AreNormalised()
    {
        var filter = RosterUrl.Parse("/roster?citizenship=cn,%20ru&country=in&attestation=overdue,DUESOON");

        Assert.Equal(["CN", "RU"], filter.Citizenships);
        Assert.Equal("IN", filter.WorkCountry);
        Assert.Equal([AttestationState.Overdue, AttestationState.DueSoon], filter.Attestation);
    }

    [Fact]
    public void ThePolicyPagesLink_FiltersToThePeopleWhoseGrantsAnActivationSuspended()
    {
        var filter = RosterUrl.Parse("/roster?suspendedByPolicy=7");

        Assert.Equal(7, filter.SuspendedByPolicy);
        Assert.Equal("/roster?suspendedByPolicy=7", RosterUrl.Build(filter));
        Assert.Equal(1, RosterUrl.Count(filter));
        Assert.Equal("Has a grant suspended when policy version 7 was activated", RosterUrl.SuspendedByPolicyLabel(7));
    }

    [Theory]
    [InlineData("seven")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("99999999999")]
    public void AnUnknownPolicyVersion_IsIgnored_NotFatal(string value) =>
        Assert.Null(RosterUrl.Parse($"/roster?suspendedByPolicy={value}").SuspendedByPolicy);
}
