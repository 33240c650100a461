using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Dashboard;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.IntegrationTests.Features.Dashboard;

/// <summary>
/// The posture dashboard counts one vendor's people, grants and findings in SQL. The story: on day 0 a US engineer
/// escorts a British engineer (whose escorted grant awaits a second officer), and one US staff member moves to Russia and
/// loses access; two weeks later she is back (her finding closes) while another moves to China (a new finding).
/// </summary>
public sealed class DashboardQueryTests() : PostureTest("dashboard")
{
    private Guid escort;
    private Guid british;
    private Guid mover;

    protected override async Task ArrangeVendorAsync()
    {
        escort = await AddAsync("Erin Escort", "US", qualification: EscortQualification.Engineer);
        await AddAsync("Lena Resident", "IN", lpr: true);
        await AddAsync("Dai Dual", "US,CN");
        british = await AddAsync("Brit Engineer", "GB", work: "GB", tier: InvestigationTier.T3);
        await AddAsync("Indira Remote", "IN", work: "IN");
        var admin = await AddAsync("Ada Admin", "US", attestedDaysAgo: 20);
        await AddAsync("Sol Soon", "US", attestedDaysAgo: 165);
        await AddAsync("Nova Never", "US", attestedDaysAgo: null);
        mover = await AddAsync("Mia Mover", "US");
        var returner = await AddAsync("Rita Returner", "US");
        var leaver = await AddAsync("Leo Leaver", "US");

        Ok(await SendAsync(Co1, new AssignEscort(escort, british, Il2, Today, Today.AddDays(120))));
        Ok(await SendAsync(Co1, new RequestGrant(british, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(90), "Escorted patching")));
        Ok(await SendAsync(Co1, new RequestGrant(admin, Il2, AccessType.Privileged, false, Today, Today.AddDays(90), "Platform administration")));
        Ok(await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support")));
        Ok(await SendAsync(Co1, new RequestGrant(returner, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support")));
        Ok(await SendAsync(Co1, new TerminatePerson(leaver, Today)));
        Ok(await SendAsync(Co1, new ChangePersonFacts(returner, "RU", "Moscow")));

        Clock.Advance(TimeSpan.FromDays(14));
        Ok(await SendAsync(Co1, new ChangePersonFacts(returner, "US", "Colorado Springs")));
        Ok(await SendAsync(Co1, new ChangePersonFacts(mover, "CN", "Shenzhen")));
    }

    private static void Ok<T>(Outcome<T> outcome) => Assert.True(outcome.IsOk, $"{outcome.Kind}: {outcome.Message}");

    private async Task<DashboardData> ZenithAsync() =>
        await Query<DashboardQuery>().GetAsync(Co1, Zenith) ?? throw new InvalidOperationException("Zenith is missing");

    [Fact]
    public async Task PeopleAreCounted_ByCitizenshipGroup_AndWorkCountry_LeaversLeftOut()
    {
        var data = await ZenithAsync();

        Assert.Equal(Zenith, data.VendorId);
        Assert.Equal(10, data.ActivePeople);
        Assert.Equal(6, data.ByCitizenshipGroup[CitizenshipGroup.UsCitizen]);
        Assert.Equal(1, data.ByCitizenshipGroup[CitizenshipGroup.UsPerson]);
        Assert.Equal(1, data.ByCitizenshipGroup[CitizenshipGroup.CoveredNation]); // US and CN: covered wins
        Assert.Equal(2, data.ByCitizenshipGroup[CitizenshipGroup.OtherForeign]);
        Assert.Equal(
            [new CountryCount("US", 7), new CountryCount("CN", 1), new CountryCount("GB", 1), new CountryCount("IN", 1)],
            data.TopWorkCountries);
        Assert.Equal(0, data.OtherCountriesPeople);
    }

    [Fact]
    public async Task ForeignNationals_AreSplit_ByWhetherAQualifiedEscortSupervisesThemToday()
    {
        var data = await ZenithAsync();
        Assert.Equal(1, data.ForeignEscorted);   // the British engineer
        // The engineer in India. Not the dual US/CN citizen (issue 21): a US citizen needs no escort; CIT-COVERED deals with them.
        Assert.Equal(1, data.ForeignUnescorted);

        // The escort moves abroad: no longer qualified, so the British engineer counts as unescorted.
        Ok(await SendAsync(Co1, new ChangePersonFacts(escort, "CA", "Ottawa")));
        var after = await ZenithAsync();
        Assert.Equal(0, after.ForeignEscorted);
        Assert.Equal(2, after.ForeignUnescorted);
    }

    [Fact]
    public async Task GrantsAndAttestations_AreCounted_WithThePrivilegedCadenceForPrivilegedHolders()
    {
        var data = await ZenithAsync();

        Assert.Equal(2, data.SuspendedGrants);          // the mover's and the returner's (a suspension outlives its cause)
        Assert.Equal(2, data.PeopleWithSuspendedGrants);
        Assert.Equal(1, data.PendingGrants);            // the British engineer's, awaiting a second officer
        Assert.Equal(1, data.PeopleWithPendingGrants);
        Assert.Equal(1, data.AttestationOverdue);       // the admin: 34 days on a 30-day privileged cadence
        Assert.Equal(1, data.AttestationDueSoon);       // 179 days on the 180-day cadence
        Assert.Equal(1, data.AttestationNever);
    }

    [Fact]
    public async Task OpenFindings_AreCounted_BySeverityAndRule_AndPerIsoWeek()
    {
        var data = await ZenithAsync();

        Assert.Equal(1, data.OpenFindings);
        Assert.Equal(1, data.OpenFindingsBySeverity[Severity.Block]);
        Assert.Equal(0, data.OpenFindingsBySeverity[Severity.Warn]);
        var rule = Assert.Single(data.OpenFindingsByRule);
        Assert.Equal(("LOC-COVERED", 1), (rule.RuleId, rule.Findings));

        Assert.Equal(DashboardQuery.Weeks, data.FindingsPerWeek.Count);
        var thisWeek = data.FindingsPerWeek[^1];
        Assert.Equal(DayOfWeek.Monday, thisWeek.WeekStart.DayOfWeek);
        Assert.InRange(Today.DayNumber - thisWeek.WeekStart.DayNumber, 0, 6);
        Assert.Equal((1, 1), (thisWeek.Opened, thisWeek.Closed));           // the mover opened, the returner closed
        Assert.Equal((1, 0), (data.FindingsPerWeek[^3].Opened, data.FindingsPerWeek[^3].Closed)); // two weeks ago: the returner's
        Assert.Equal(2, data.FindingsPerWeek.Sum(w => w.Opened));
        Assert.Matches(@"^\d{4}-W\d{2}$", thisWeek.IsoWeek);

        Assert.Equal(0, data.OverdueFindings);
        Clock.Advance(TimeSpan.FromDays(8)); // past the 7-day due date of a blocking finding
        Assert.Equal(1, (await ZenithAsync()).OverdueFindings);
    }

    [Fact]
    public async Task WithoutAVendorFilter_EveryVendorIsCounted()
    {
        var all = await Query<DashboardQuery>().GetAsync(Auditor, null);
        var zenith = await ZenithAsync();
        var acme = await Query<DashboardQuery>().GetAsync(Co1, DemoSeeder.AcmeId);

        Assert.NotNull(all);
        Assert.Null(all.VendorId);
        Assert.Equal(4, all.Vendors);
        Assert.True(all.ActivePeople >= zenith.ActivePeople + acme!.ActivePeople);
        Assert.Equal(all.ActivePeople, all.ByCitizenshipGroup.Values.Sum());
        Assert.True(all.ForeignUnescorted >= zenith.ForeignUnescorted + acme.ForeignUnescorted);
        Assert.Null(await Query<DashboardQuery>().GetAsync(Co1, Guid.NewGuid())); // an unknown vendor
    }

    [Fact]
    public async Task ARepresentative_SeesOnlyTheirOwnVendor_AndAnotherVendorIsNotFound()
    {
        var own = await Query<DashboardQuery>().GetAsync(ZenithRep, null);
        Assert.NotNull(own);
        Assert.Equal(Zenith, own.VendorId);
        Assert.Equal(10, own.ActivePeople);
        Assert.Equal(1, own.OpenFindings);

        Assert.Null(await Query<DashboardQuery>().GetAsync(GlobexRep, Zenith));
        var globex = await Query<DashboardQuery>().GetAsync(GlobexRep, null);
        Assert.NotNull(globex);
        Assert.Equal(DemoSeeder.GlobexId, globex.VendorId);
        Assert.Equal(0, globex.SuspendedGrants);
        Assert.DoesNotContain(globex.OpenFindingsByRule, r => r.RuleId == "LOC-COVERED");
        Assert.Equal((await Query<DashboardQuery>().GetAsync(Co1, DemoSeeder.GlobexId))!.ActivePeople, globex.ActivePeople);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheDashboard_ButCannotChangeAFact()
    {
        Assert.NotNull(await Query<DashboardQuery>().GetAsync(Auditor, Zenith));
        var outcome = await SendAsync(Auditor, new ChangePersonFacts(mover, "US", "Colorado Springs"));
        Assert.Equal(OutcomeKind.Forbidden, outcome.Kind);
        Assert.Equal(1, (await ZenithAsync()).OpenFindings);
    }
}
