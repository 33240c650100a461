using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Web.Components.Pages.Admin;
using ComplianceHub.Web.Components.Pages.Escorts;
using ComplianceHub.Web.Components.Pages.Sessions;
using ComplianceHub.Web.Components.Pages.Systems;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>
/// The systems, accounts, escorted sessions and escort board keep their filters in the address: built without the empty ones,
/// read back to the same filter, and an unknown or malformed value is no filter rather than a failed page.
/// </summary>
public sealed class FilterQueryTests
{
    private static readonly Guid Vendor = Guid.Parse("0199a000-0000-7000-8000-00000000ac01");

    [Fact]
    public void EachGridsFilters_RoundTripThroughItsAddress()
    {
        var systems = new SystemFilter("Navy", ImpactLevel.IL5, Vendor);
        Assert.Equal($"/systems?q=Navy&level=IL5&vendor={Vendor}", SystemsUrl.Build(systems));
        Assert.Equal(systems, SystemsUrl.Parse(SystemsUrl.Build(systems) + "&sort=provider&desc=true"));

        var accounts = new AccountFilter("acme", Roles.VendorRepresentative, AccountStatuses.Disabled);
        Assert.Equal(accounts, AccountsUrl.Parse(AccountsUrl.Build(accounts)));

        var sessions = new EscortedSessionFilter(Vendor, SessionStatus.Overdue, null, "CHG-1", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        Assert.Equal($"/sessions?status=Overdue&vendor={Vendor}&q=CHG-1&from=2026-11-01&to=2026-11-30", SessionsUrl.Build(sessions));
        Assert.Equal(sessions, SessionsUrl.Parse(SessionsUrl.Build(sessions)));

        var escorts = new EscortBoardFilter("Li", Vendor, EscortQualification.Engineer, false, true);
        Assert.Equal($"/escorts?q=Li&vendor={Vendor}&qualification=Engineer&valid=false&atCapacity=true&unescorted.q=Chen",
            EscortsUrl.Build(escorts, "Chen"));
        Assert.Equal((escorts, "Chen"), EscortsUrl.Parse(EscortsUrl.Build(escorts, "Chen") + "&unescorted.sort=vendor"));
    }

    [Fact]
    public void NoFilter_IsAPlainAddress_AndUnknownValuesAreNoFilter()
    {
        Assert.Equal("/systems", SystemsUrl.Build(new SystemFilter("  ")));
        Assert.Equal("/escorts", EscortsUrl.Build(new EscortBoardFilter(), null));

        Assert.Equal(new SystemFilter(), SystemsUrl.Parse("/systems?level=IL9&vendor=acme&q=%20"));
        Assert.Equal(new SystemFilter(), SystemsUrl.Parse("/systems?level=4"));
        Assert.Equal(new AccountFilter(null, Roles.Auditor, null), AccountsUrl.Parse("/admin/accounts?role=auditor&status=Gone"));
        Assert.Equal(new EscortedSessionFilter(), SessionsUrl.Parse("/sessions?status=Late&from=yesterday"));
        Assert.Equal((new EscortBoardFilter(), (string?)null), EscortsUrl.Parse("/escorts?valid=maybe&qualification=Pilot"));
    }

    [Fact]
    public void AFilter_ReadsOnlyItsOwnParameters()
    {
        var query = new FilterQuery("https://portal.example/escorts?q=a&unescorted.q=b&sort=vendor#top");

        Assert.Equal("a", query.Text("q"));
        Assert.Equal("b", query.Text("unescorted.q"));
        Assert.Null(query.Text("vendor"));
        Assert.Null(query.Flag("sort"));
    }
}
