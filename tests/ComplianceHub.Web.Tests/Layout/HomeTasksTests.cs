using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Layout;
using ComplianceHub.Web.Components.Pages;

namespace ComplianceHub.Web.Tests.Layout;

/// <summary>The home page's "Where to start" links only to pages the role's navigation offers (so never to a page the role is refused).</summary>
public sealed class HomeTasksTests
{
    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.ContractingOfficer)]
    [InlineData(Roles.VendorRepresentative)]
    [InlineData(Roles.Auditor)]
    public void EveryTask_IsAPageInTheRolesNavigation(string role)
    {
        var actor = new Actor(Guid.NewGuid(), "Someone", role, role == Roles.VendorRepresentative ? Guid.NewGuid() : null, null);
        var tasks = Home.Tasks(actor);
        var navigation = NavCatalog.For(role).Select(e => e.Href).ToHashSet();

        Assert.NotEmpty(tasks);
        Assert.All(tasks, t => Assert.Contains(t.Href, navigation));
        Assert.Equal(tasks.Count, tasks.Select(t => t.Href).Distinct().Count());
    }
}
