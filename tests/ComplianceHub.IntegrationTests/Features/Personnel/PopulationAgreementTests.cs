using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Dashboard;
using ComplianceHub.Core.Features.Home;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>
/// Home, the dashboard, the roster's filters and the roster export count the population groups alike (issue 21: home said
/// 42/32 and the dashboard 39/35), on the demo data and on people built to sit on every edge of the partition; and each
/// group agrees with what the rules read of the same person.
/// </summary>
public sealed class PopulationAgreementTests() : CommandPortalTest("population")
{
    private readonly Dictionary<string, Guid> people = [];

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private async Task ArrangeEdgesAsync()
    {
        people["dual US/CN"] = await AddAsync("US,CN", "US");
        people["born in China, US citizen"] = await AddAsync("US", "CN");
        people["US citizen"] = await AddAsync("US", "US");
        people["Indian permanent resident"] = await AddAsync("IN", "IN", lpr: true);
        people["Spanish citizen born in Puerto Rico"] = await AddAsync("ES", "PR");
        people["American Samoan national"] = await AddAsync("AS", "AS");
        people["Samoan born in American Samoa"] = await AddAsync("WS", "AS");
        people["British citizen"] = await AddAsync("GB", "GB");
        people["Chinese permanent resident"] = await AddAsync("CN", "CN", lpr: true);
    }

    private Task<Guid> AddAsync(string citizenships, string birth, bool lpr = false) =>
        AddPersonAsync(citizenships, birth, lpr: lpr, name: "Edge Person");

    private T Service<T>() where T : notnull => Portal.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<T>();

    private static readonly RosterFilter ActiveOnly = new() { Status = EmploymentStatus.Active };

    [Fact]
    public async Task HomeDashboardRosterAndExport_CountTheSameGroups_OnTheDemoData() => await AssertAgreeAsync();

    [Fact]
    public async Task HomeDashboardRosterAndExport_CountTheSameGroups_OnEveryEdgeOfThePartition()
    {
        await ArrangeEdgesAsync();
        await AssertAgreeAsync();

        var expected = new Dictionary<string, (CitizenshipGroup Group, bool UsPerson)>
        {
            ["dual US/CN"] = (CitizenshipGroup.CoveredNation, true),
            ["born in China, US citizen"] = (CitizenshipGroup.CoveredNation, true),
            ["US citizen"] = (CitizenshipGroup.UsCitizen, true),
            ["Indian permanent resident"] = (CitizenshipGroup.UsPerson, true),
            ["Spanish citizen born in Puerto Rico"] = (CitizenshipGroup.UsCitizen, true),
            ["American Samoan national"] = (CitizenshipGroup.UsPerson, true),
            ["Samoan born in American Samoa"] = (CitizenshipGroup.UsPerson, true),
            ["British citizen"] = (CitizenshipGroup.OtherForeign, false),
            ["Chinese permanent resident"] = (CitizenshipGroup.CoveredNation, true),
        };
        var rows = await ExportedAsync(Co1, ActiveOnly);
        var covered = PolicyDefaults.Baseline2026.Set(PolicyParameters.Covered);
        await using var db = await ContextAsync();
        foreach (var (who, (group, usPerson)) in expected)
        {
            var id = people[who];
            Assert.True(group == rows[id].Group, $"{who}: exported as {rows[id].Group}, expected {group}");
            var person = await db.People.AsNoTracking().SingleAsync(p => p.Id == id);
            var facts = person.ToFacts();
            // The group agrees with the rules: covered-nation exactly when CIT-COVERED fails, US person as ESCORT-REQUIRED reads it.
            Assert.True(usPerson == facts.IsUsPerson, $"{who}: the rules read IsUsPerson {facts.IsUsPerson}");
            var citCovered = new Core.Rules.Catalogue.CitCovered().Check(
                new GrantSubject(facts, new SystemFacts(Il2, "IL2", ImpactLevel.IL2), new GrantFacts(Guid.NewGuid(), AccessType.NonPrivileged, false, Today, Today.AddDays(1), "x", GrantStatus.Active), []),
                new RuleContext(PolicyDefaults.Baseline2026, 1, Today), Core.Domain.Findings.Severity.Block);
            Assert.True((group == CitizenshipGroup.CoveredNation) == (citCovered is not null), $"{who}: CIT-COVERED {(citCovered is null ? "passes" : "fails")}");
            Assert.Equal(group, Population.GroupOf(person, covered));
        }

        // "Foreign nationals without a qualified escort" never lists a US citizen: the dual US/CN citizen is not one.
        var unescorted = await Service<RosterQuery>().ListAsync(Co1, ActiveOnly with { UsPerson = false, Escorted = false }, new PageRequest(1, 500));
        Assert.DoesNotContain(unescorted.Items, r => r.Id == people["dual US/CN"] || r.Id == people["born in China, US citizen"]);
        Assert.Contains(unescorted.Items, r => r.Id == people["British citizen"]);
    }

    /// <summary>Each reader's groups, for every vendor (an officer) and for one vendor (its representative).</summary>
    private async Task AssertAgreeAsync()
    {
        foreach (var actor in new[] { Co1, AcmeRep, GlobexRep })
        {
            var home = await Service<PortalSummaryQuery>().GetAsync(actor);
            var dashboard = (await Service<DashboardQuery>().GetAsync(actor, null))!;
            var exported = await ExportedAsync(actor, ActiveOnly);
            foreach (var group in Enum.GetValues<CitizenshipGroup>())
            {
                var roster = (await Service<RosterQuery>().ListAsync(actor, ActiveOnly with { Groups = [group] }, new PageRequest(1, 1))).Total;
                var export = exported.Values.Count(r => r.Group == group);
                var counts = $"{actor.DisplayName}, {group}: home {home.ByCitizenshipGroup[group]}, dashboard {dashboard.ByCitizenshipGroup[group]}, roster {roster}, export {export}";
                Assert.True(home.ByCitizenshipGroup[group] == dashboard.ByCitizenshipGroup[group] && dashboard.ByCitizenshipGroup[group] == roster
                    && roster == export, counts);
            }
            Assert.Equal(home.ActivePeople, dashboard.ActivePeople);
            Assert.Equal(dashboard.ActivePeople, exported.Count);

            // Not US persons (who need an escort): home's number, the dashboard's escorted + unescorted, the roster's filter.
            var notUs = (await Service<RosterQuery>().ListAsync(actor, ActiveOnly with { UsPerson = false }, new PageRequest(1, 1))).Total;
            var unescorted = (await Service<RosterQuery>().ListAsync(actor, ActiveOnly with { UsPerson = false, Escorted = false }, new PageRequest(1, 1))).Total;
            Assert.Equal(home.NotUsPersons, dashboard.ForeignNationals);
            Assert.Equal(dashboard.ForeignNationals, notUs);
            Assert.Equal(dashboard.ForeignUnescorted, unescorted);
        }
    }

    private async Task<Dictionary<Guid, RosterGridRow>> ExportedAsync(Actor actor, RosterFilter filter)
    {
        var rows = new Dictionary<Guid, RosterGridRow>();
        await foreach (var batch in Service<RosterQuery>().ExportAsync(actor, filter, null, false))
        {
            foreach (var row in batch)
            {
                rows.Add(row.Id, row);
            }
        }
        return rows;
    }
}
