using Microsoft.EntityFrameworkCore;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Grants;
using Microsoft.Extensions.DependencyInjection;
using static ComplianceHub.IntegrationTests.Features.AccessReviews.AccessReviewTestData;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// The read side of access reviews on real PostgreSQL: who sees which campaigns and items (a representative their own vendor's
/// stage-one and answered items; an officer of NAVWAR none of Acme's), paging, filters and sorts in the database, the
/// summary's counts grouped in SQL, the queue, the keyset stream and an item's review panel.
/// </summary>
public sealed class AccessReviewsQueryTests() : CommandPortalTest("arquery")
{
    private Guid campaign;
    private Guid globexOnly;
    private List<Guid> items = [];
    private Actor casey = null!;
    private Actor morgan = null!;
    private Guid acmePerson;

    private static readonly Actor NavwarOfficer = new(Guid.NewGuid(), "Navy Officer", Roles.ContractingOfficer, null, null)
    {
        OfficeId = DemoSeeder.NavwarId, OfficeVendorIds = [DemoSeeder.GlobexId],
    };

    protected override async Task ArrangePeopleAsync()
    {
        (casey, morgan) = await DemoOfficersAsync();
        acmePerson = await AddPersonAsync("US", name: "Alice Acme", email: "alice@acme.example");
        var acme2 = await AddPersonAsync("GB", name: "Bob Acme", email: "bob@acme.example", lpr: true);
        var acme3 = await AddPersonAsync("US", name: "Carol Acme", email: "carol@acme.example");
        var globex1 = await AddPersonAsync("US", name: "Dan Globex", email: "dan@globex.example", vendorId: DemoSeeder.GlobexId);
        var globex2 = await AddPersonAsync("US", name: "Eve Globex", email: "eve@globex.example", vendorId: DemoSeeder.GlobexId);
        async Task<Guid> Grant(Guid person, Guid system)
        {
            var outcome = await SendAsync(Co1, new RequestGrant(person, system, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
            Assert.True(outcome.IsOk, outcome.Message);
            return outcome.Value!.Id;
        }
        var g = new[] { await Grant(acmePerson, Il2), await Grant(acme2, Il5), await Grant(acme3, Il2), await Grant(globex1, Il2), await Grant(globex2, Il2) };
        await using var db = await ContextAsync();
        var definition = await DefinitionAsync(db, "Quarterly review", casey.UserId, Clock.GetUtcNow());
        (campaign, items) = await CampaignAsync(db, definition, Clock.GetUtcNow(),
        [
            new(acmePerson, g[0], DemoSeeder.AcmeId, Il2, 1, [AcmeRep.UserId]),
            new(acme2, g[1], DemoSeeder.AcmeId, Il5, 2, [casey.UserId], ForeignNational: true, StageOneBy: AcmeRep.UserId),
            new(acme3, g[2], DemoSeeder.AcmeId, Il2, 2, [casey.UserId], Recommendation: AccessReviewRecommendation.Revoke),
            new(globex1, g[3], DemoSeeder.GlobexId, Il2, 1, [GlobexRep.UserId]),
            new(globex2, g[4], DemoSeeder.GlobexId, Il2, 2, [morgan.UserId], Decision: AccessReviewDecision.Keep, DecidedBy: morgan.UserId),
        ]);
        (globexOnly, _) = await CampaignAsync(db, definition, Clock.GetUtcNow().AddDays(1), [new(globex1, g[3], DemoSeeder.GlobexId, Il2, 1, [GlobexRep.UserId])]);
    }

    private Task<T> Ask<T>(Func<AccessReviewsQuery, Task<T>> ask) => AskAsync(ask);

    [Fact]
    public async Task TheFallbackChoice_ListsActiveOfficersWhoCanSeeTheReadersVendors()
    {
        await using var db = await ContextAsync();
        var emails = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email!);
        var everywhere = await Ask(q => q.FallbackOfficersAsync(casey));
        // Installation-wide officers only for an installation-wide reader: co3 acts for NAVWAR and could not see every vendor.
        Assert.Equal(["co1@demo.local", "co2@demo.local"], everywhere.Select(o => emails[o.AccountId]).Order());
        Assert.All(everywhere, o => Assert.Equal(Roles.ContractingOfficer, o.Role));
        // A NAVWAR officer may also name NAVWAR's own officers.
        Assert.Equal(["co1@demo.local", "co2@demo.local", "co3@demo.local"], (await Ask(q => q.FallbackOfficersAsync(NavwarOfficer))).Select(o => emails[o.AccountId]).Order());
        // Representatives choose no fallback.
        Assert.Empty(await Ask(q => q.FallbackOfficersAsync(new Actor(Guid.NewGuid(), "Riley Acme", Roles.VendorRepresentative, DemoSeeder.AcmeId, "Acme"))));
    }

    [Fact]
    public async Task Campaigns_AreScopedToTheReader_WithTheirCounts()
    {
        var all = await Ask(q => q.CampaignsAsync(casey, new CampaignListFilter(), new PageRequest()));
        Assert.Equal(2, all.Total);
        var full = all.Items.Single(c => c.Id == campaign);
        Assert.Equal((5, 4), (full.ItemCount, full.PendingCount));

        var acme = await Ask(q => q.CampaignsAsync(AcmeRep, new CampaignListFilter(), new PageRequest()));
        var only = Assert.Single(acme.Items);
        Assert.Equal(campaign, only.Id);
        Assert.Equal((2, 2), (only.ItemCount, only.PendingCount)); // the stage-one item and the one Acme answered

        var navy = await Ask(q => q.CampaignsAsync(NavwarOfficer, new CampaignListFilter(), new PageRequest()));
        Assert.Equal(2, navy.Total);
        Assert.Equal((2, 1), (navy.Items.Single(c => c.Id == campaign).ItemCount, navy.Items.Single(c => c.Id == campaign).PendingCount));

        Assert.Null(await Ask(q => q.CampaignAsync(AcmeRep, globexOnly)));
        Assert.NotNull(await Ask(q => q.CampaignAsync(Auditor, globexOnly)));
        var open = await Ask(q => q.CampaignsAsync(Auditor, new CampaignListFilter(CampaignStatus.Open, Search: "quarterly"), new PageRequest(1, 1)));
        Assert.Equal(2, open.Total);
        Assert.Single(open.Items);
        Assert.Equal(0, (await Ask(q => q.CampaignsAsync(Auditor, new CampaignListFilter(Search: "nothing like it"), new PageRequest()))).Total);

        // By vendor (the dashboard's vendor view): the campaigns holding items of that vendor the reader sees.
        Assert.Equal([campaign], (await Ask(q => q.CampaignsAsync(casey, new CampaignListFilter(VendorId: DemoSeeder.AcmeId), new PageRequest()))).Items.Select(c => c.Id));
        Assert.Equal(2, (await Ask(q => q.CampaignsAsync(casey, new CampaignListFilter(VendorId: DemoSeeder.GlobexId), new PageRequest()))).Total);
        Assert.Equal(0, (await Ask(q => q.CampaignsAsync(AcmeRep, new CampaignListFilter(VendorId: DemoSeeder.GlobexId), new PageRequest()))).Total);
        Assert.Equal(0, (await Ask(q => q.CampaignsAsync(NavwarOfficer, new CampaignListFilter(VendorId: DemoSeeder.AcmeId), new PageRequest()))).Total);
    }

    [Fact]
    public async Task Items_RepresentativeSeesOwnStageOneAndAnswered_OfficeSeesItsVendors()
    {
        var rep = await Ask(q => q.ItemsAsync(AcmeRep, campaign, new AccessReviewItemFilter(), new PageRequest()));
        Assert.Equal(["Alice Acme", "Bob Acme"], rep.Items.Select(i => i.PersonName));
        Assert.True(rep.Items[0].CanDecide);
        Assert.False(rep.Items[1].CanDecide); // answered: now in stage two with the officers

        var navy = await Ask(q => q.ItemsAsync(NavwarOfficer, campaign, new AccessReviewItemFilter(), new PageRequest()));
        Assert.All(navy.Items, i => Assert.Equal(DemoSeeder.GlobexId, i.VendorId));
        Assert.Equal(2, navy.Total);

        Assert.Null(await Ask(q => q.ItemAsync(NavwarOfficer, items[0])));
        Assert.Null(await Ask(q => q.ItemAsync(GlobexRep, items[0])));
        Assert.Null(await Ask(q => q.ItemAsync(AcmeRep, items[2]))); // stage two, never answered by the representative
        Assert.NotNull(await Ask(q => q.ItemAsync(AcmeRep, items[0])));
    }

    [Fact]
    public async Task Items_PageFilterAndSortInTheDatabase()
    {
        var page = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter(), new PageRequest(2, 2, "person", true)));
        Assert.Equal(5, page.Total);
        Assert.Equal(["Carol Acme", "Bob Acme"], page.Items.Select(i => i.PersonName));

        var mine = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter { Mine = true }, new PageRequest()));
        Assert.Equal(["Bob Acme", "Carol Acme"], mine.Items.Select(i => i.PersonName));
        Assert.All(mine.Items, i => Assert.True(i.CanDecide));
        Assert.True(mine.Items[0].KeepNeedsComment); // a foreign national
        Assert.False(mine.Items[1].KeepNeedsComment);
        Assert.Equal(["Casey Officer"], mine.Items[0].ReviewerNames);
        Assert.Equal("Unknown account", mine.Items[0].StageOneByName); // the test's representative has no account row

        var revoke = await Ask(q => q.ItemsAsync(Auditor, campaign, new AccessReviewItemFilter { Recommendation = AccessReviewRecommendation.Revoke }, new PageRequest()));
        Assert.Equal("Carol Acme", Assert.Single(revoke.Items).PersonName);
        Assert.False(revoke.Items[0].CanDecide); // an auditor decides nothing

        var search = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter { Search = "globex.example" }, new PageRequest(1, 10, "status")));
        Assert.Equal(["Eve Globex", "Dan Globex"], search.Items.Select(i => i.PersonName));
        var kept = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter { Status = AccessReviewItemStatus.Kept }, new PageRequest()));
        Assert.Equal("Morgan Officer", Assert.Single(kept.Items).DecidedByName);
        var vendor = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter { VendorIds = [DemoSeeder.GlobexId], Stage = 1 }, new PageRequest()));
        Assert.Equal("Dan Globex", Assert.Single(vendor.Items).PersonName);
        var bySystem = await Ask(q => q.ItemsAsync(casey, campaign, new AccessReviewItemFilter(), new PageRequest(1, 10, "system", true)));
        Assert.Equal(bySystem.Items.Select(i => i.SystemName).OrderDescending(StringComparer.Ordinal), bySystem.Items.Select(i => i.SystemName));
        Assert.Equal(2, bySystem.Items.Select(i => i.SystemId).Distinct().Count());

        var selection = await Ask(q => q.SelectAsync(casey, campaign, new AccessReviewItemFilter { Mine = true }));
        Assert.Equal(2, selection.Matching);
        Assert.Equal(items.Skip(1).Take(2).Order(), selection.Ids.Order());
    }

    [Fact]
    public async Task Summary_CountsPerVendorSystemAndReviewer()
    {
        var summary = (await Ask(q => q.SummaryAsync(casey, campaign)))!;
        var acme = summary.ByVendor.Single(v => v.Id == DemoSeeder.AcmeId);
        Assert.Equal(("Acme Cloud Services", 3, 3, 0), (acme.Name, acme.Items, acme.Pending, acme.Kept));
        var globex = summary.ByVendor.Single(v => v.Id == DemoSeeder.GlobexId);
        Assert.Equal((2, 1, 1), (globex.Items, globex.Pending, globex.Kept));
        Assert.Equal(4, summary.BySystem.Single(s => s.Id == Il2).Items);
        Assert.Equal(1, summary.BySystem.Single(s => s.Id == Il5).Items);
        var caseyRow = summary.ByReviewer.Single(r => r.AccountId == casey.UserId);
        Assert.Equal(("Casey Officer", 2, 0), (caseyRow.Name, caseyRow.Pending, caseyRow.Decided));
        Assert.Equal(1, summary.ByReviewer.Single(r => r.AccountId == morgan.UserId).Decided);
        Assert.Equal(1, summary.ByReviewer.Single(r => r.AccountId == AcmeRep.UserId).Decided);

        var navy = (await Ask(q => q.SummaryAsync(NavwarOfficer, campaign)))!;
        Assert.Equal(DemoSeeder.GlobexId, Assert.Single(navy.ByVendor).Id);
        Assert.Null(await Ask(q => q.SummaryAsync(AcmeRep, globexOnly)));
    }

    [Fact]
    public async Task Queue_StreamAndReviewPanel()
    {
        var queue = await Ask(q => q.QueueAsync(casey));
        var entry = Assert.Single(queue);
        Assert.Equal((campaign, 2, 0, 5, 4), (entry.CampaignId, entry.PendingForMe, entry.DecidedByMe, entry.CampaignItems, entry.CampaignPending));
        var globexQueue = await Ask(q => q.QueueAsync(GlobexRep));
        Assert.Equal(2, globexQueue.Count);
        Assert.All(globexQueue, e => Assert.Equal(1, e.PendingForMe));
        Assert.Empty(await Ask(q => q.QueueAsync(Auditor)));

        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<AccessReviewsQuery>();
        var streamed = new List<AccessReviewItemView>();
        await foreach (var item in query.StreamItemsAsync(casey, campaign, new AccessReviewItemFilter()))
        {
            streamed.Add(item);
        }
        Assert.Equal(items.Order(), streamed.Select(i => i.Id).Order());
        var repStream = new List<Guid>();
        await foreach (var item in query.StreamItemsAsync(GlobexRep, campaign, new AccessReviewItemFilter()))
        {
            repStream.Add(item.Id);
        }
        Assert.Equal([items[3]], repStream);

        var detail = (await query.ItemAsync(casey, items[0]))!;
        Assert.Equal("Alice Acme", detail.Item.PersonName);
        Assert.Contains(detail.Facts, f => f.Label == "Citizenships" && f.Value == "United States (US)");
        Assert.Contains(detail.Facts, f => f.RecordedAt is not null && f.Source.Length > 0);
        Assert.Equal(0, detail.Contributions.Total);
        Assert.Null(detail.LastEscortedSession);
        Assert.StartsWith("Quarterly review", detail.CampaignName);

        var options = await query.ReviewerOptionsAsync(casey, items[2]);
        Assert.DoesNotContain(options, o => o.AccountId == casey.UserId);
        Assert.Contains(options, o => o.AccountId == morgan.UserId);
        Assert.Empty(await query.ReviewerOptionsAsync(NavwarOfficer, items[2]));
    }
}
