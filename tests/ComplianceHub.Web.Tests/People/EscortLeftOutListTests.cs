using Bunit;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Web.Components.Pages.People;

namespace ComplianceHub.Web.Tests.People;

/// <summary>"Why are others not listed?" in the escort dialog: each person left out, with the checks they fail.</summary>
public sealed class EscortLeftOutListTests : MudComponentTest
{
    private static readonly EscortLeftOut InChina = new(Guid.NewGuid(), "Wei Chen", "ACM-1042", ["works in China (CN), outside the US areas"]);
    private static readonly EscortLeftOut Operator = new(Guid.NewGuid(), "Sam Ortiz", "ACM-1007",
        ["investigation Tier 3, the system needs Tier 5", "Qualified escort (operator); privileged work needs qualified escort (engineer)"]);

    [Fact]
    public void EachPersonLeftOut_IsListedWithEveryReason()
    {
        var cut = Render<EscortLeftOutList>(p => p.Add(x => x.LeftOut, [InChina, Operator]).Add(x => x.SystemChosen, true));

        Assert.Equal(EscortLeftOutList.Id, cut.Find("[data-testid=escort-left-out]").Id);
        Assert.Equal("People of the vendor not offered as escort", cut.Find("[role=region]").GetAttribute("aria-label"));
        Assert.Equal("Wei Chen (ACM-1042): works in China (CN), outside the US areas", cut.Find($"[data-testid=escort-left-out-{InChina.Id}]").TextContent.Trim());
        Assert.Equal("Sam Ortiz (ACM-1007): investigation Tier 3, the system needs Tier 5; Qualified escort (operator); privileged work needs qualified escort (engineer)",
            cut.Find($"[data-testid=escort-left-out-{Operator.Id}]").TextContent.Trim());
        Assert.DoesNotContain("choose the system", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void BeforeASystemIsChosen_ItSaysThePeopleWereCheckedAsEscortsToday()
    {
        var cut = Render<EscortLeftOutList>(p => p.Add(x => x.LeftOut, [InChina]));
        Assert.Contains("checked as an escort today; choose the system to check what it needs", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void NobodyLeftOut_SaysEveryoneIsOffered()
    {
        var cut = Render<EscortLeftOutList>(p => p.Add(x => x.LeftOut, []).Add(x => x.Searched, true));
        Assert.Empty(cut.FindAll("[data-testid=escort-left-out-list]"));
        Assert.Contains("Everyone of this vendor who holds an escort qualification or matches the search is offered.", cut.Markup, StringComparison.Ordinal);
    }
}
