using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Dashboard;

namespace ComplianceHub.Web.Tests.Dashboard;

/// <summary>The dashboard's numbers link to the roster and findings lists with the URL contract those pages read.</summary>
public sealed class DashboardLinksTests
{
    private static readonly Guid Acme = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");

    [Fact]
    public void RosterLinks_FilterToActiveEmployment_AndCarryTheVendor()
    {
        Assert.Equal("/roster?group=CoveredNation&status=Active", DashboardLinks.Group(null, CitizenshipGroup.CoveredNation));
        Assert.Equal($"/roster?group=CoveredNation&status=Active&vendor={Acme}", DashboardLinks.Group(Acme, CitizenshipGroup.CoveredNation));
        Assert.Equal("/roster?status=Active", DashboardLinks.People(null));
    }

    [Fact]
    public void ForeignNationalLinks_ListThePeopleWhoAreNotUsPersons_WithTheEscortedFlag()
    {
        Assert.Equal("/roster?usPerson=false&escorted=false&status=Active", DashboardLinks.ForeignNationals(null, escorted: false));
        Assert.Equal($"/roster?usPerson=false&escorted=true&status=Active&vendor={Acme}", DashboardLinks.ForeignNationals(Acme, escorted: true));
    }

    [Fact]
    public void CountryGrantAndAttestationLinks_UseTheRosterParameterNames()
    {
        Assert.Equal("/roster?country=CN&status=Active", DashboardLinks.Country(null, "CN"));
        Assert.Equal("/roster?grantStatus=Suspended&status=Active", DashboardLinks.Grants(null, GrantStatus.Suspended));
        Assert.Equal("/roster?grantStatus=PendingApproval&status=Active", DashboardLinks.Grants(null, GrantStatus.PendingApproval));
        Assert.Equal("/roster?attestation=Overdue&status=Active", DashboardLinks.Attestation(null, AttestationState.Overdue));
        Assert.Equal($"/roster?attestation=Never&status=Active&vendor={Acme}", DashboardLinks.Attestation(Acme, AttestationState.Never));
    }

    [Fact]
    public void FindingLinks_AskForOpenFindings_BySeverityOrRule()
    {
        Assert.Equal("/findings?open=true", DashboardLinks.OpenFindings(null));
        Assert.Equal("/findings?severity=Block&open=true", DashboardLinks.OpenFindings(null, Severity.Block));
        Assert.Equal($"/findings?rule=LOC-COVERED&open=true&vendor={Acme}", DashboardLinks.OpenFindings(Acme, "LOC-COVERED"));
        Assert.Equal("/findings?overdue=true", DashboardLinks.OverdueFindings(null));
    }

    [Fact]
    public void Values_AreEscaped()
    {
        Assert.Equal("/findings?rule=A%26B%3D1&open=true", DashboardLinks.OpenFindings(null, "A&B=1"));
    }

    [Fact]
    public void TheDashboardLink_KeepsTheVendorFilter()
    {
        Assert.Equal("/dashboard", DashboardLinks.Dashboard(null));
        Assert.Equal($"/dashboard?vendor={Acme}", DashboardLinks.Dashboard(Acme));
    }
}
