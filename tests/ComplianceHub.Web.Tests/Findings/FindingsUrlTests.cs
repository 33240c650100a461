using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Findings;

namespace ComplianceHub.Web.Tests.Findings;

public sealed class FindingsUrlTests
{
    [Fact]
    public void TheDashboardsLink_IsReadAsItsFilter()
    {
        var vendor = Guid.NewGuid();

        var filter = FindingsUrl.Parse(vendor.ToString(), "loc-covered", "Block", "Open", "true", "true", null);

        Assert.Equal(new FindingsWorkspaceFilter
        {
            VendorId = vendor, RuleId = "LOC-COVERED", Severity = Severity.Block, Status = FindingStatus.Open, Open = true, Overdue = true,
        }, filter);
        Assert.Equal($"/findings?vendor={vendor}&rule=LOC-COVERED&severity=Block&status=Open&open=true&overdue=true", FindingsUrl.Build(filter));
    }

    [Fact]
    public void UnknownValues_AreIgnored_NotFatal()
    {
        var filter = FindingsUrl.Parse("not-a-guid", " ", "Loud", "7", "yes", null, "  ");

        Assert.Equal(new FindingsWorkspaceFilter(), filter);
        Assert.Equal("/findings", FindingsUrl.Build(filter));
    }

    [Fact]
    public void ThePersonPagesLink_FiltersToThatPerson()
    {
        var person = Guid.NewGuid();

        var filter = FindingsUrl.Parse(null, null, null, null, null, null, null, person.ToString());

        Assert.Equal(new FindingsWorkspaceFilter { PersonId = person }, filter);
        Assert.Equal($"/findings?person={person}", FindingsUrl.Build(filter));
    }

    [Fact]
    public void Search_IsEscapedInTheAddress() =>
        Assert.Equal("/findings?q=Lee%20%26%20Co", FindingsUrl.Build(new FindingsWorkspaceFilter { Search = "Lee & Co" }));

    [Fact]
    public void ThePolicyPagesLink_FiltersToTheFindingsAnActivationOpened()
    {
        var filter = FindingsUrl.Parse(null, null, null, null, null, null, null, null, "7");

        Assert.Equal(new FindingsWorkspaceFilter { OpenedByPolicy = 7 }, filter);
        Assert.Equal("/findings?openedByPolicy=7", FindingsUrl.Build(filter));
        Assert.Equal("Opened when policy version 7 was activated", FindingsUrl.OpenedByPolicyLabel(7));
    }

    [Theory]
    [InlineData("seven")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("99999999999")]
    public void AnUnknownPolicyVersion_IsIgnored_NotFatal(string value) =>
        Assert.Equal(new FindingsWorkspaceFilter(), FindingsUrl.Parse(null, null, null, null, null, null, null, null, value));
}
