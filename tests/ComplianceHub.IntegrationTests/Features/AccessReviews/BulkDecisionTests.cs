using System.Diagnostics;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// Bulk decisions: by filter or by ids, in chunks of one transaction with progress, all or nothing — a refused item (found
/// by the plan, or by the gate) leaves every grant, item and audit event as it was, and every refused item is listed.
/// </summary>
public sealed class BulkDecisionTests(ITestOutputHelper output) : AccessReviewArrange("arbulk")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static AccessReviewItemFilter Mine => new() { Mine = true };

    private sealed class Recorder : IProgress<AccessReviewProgress>
    {
        public List<AccessReviewProgress> Reports { get; } = [];
        public void Report(AccessReviewProgress value) => Reports.Add(value);
    }

    /// <summary>The grants' statuses and the audit trail's length (a refusal's own events aside: they record the refusal).</summary>
    private async Task<(int Active, int Revoked, long Events)> StateAsync(IReadOnlyCollection<Guid> grants)
    {
        await using var db = await ContextAsync();
        var ids = grants.ToList();
        var statuses = await db.Grants.AsNoTracking().Where(g => ids.Contains(g.Id)).GroupBy(g => g.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return (statuses.Where(s => s.Key == GrantStatus.Active).Sum(s => s.Count), statuses.Where(s => s.Key == GrantStatus.Revoked).Sum(s => s.Count),
            await db.AuditEvents.LongCountAsync(e => e.EventType != Core.Auditing.AuditEventTypes.AccessDecisionRefused));
    }

    [Fact]
    public async Task ABulkRevokeByFilter_CrossesChunks_InOneTransaction_WithProgress_AndOneChangeOfTheCampaign()
    {
        var grants = await ManyGrantsAsync(120, Casey);
        var campaign = await CampaignAsync(grants, representativeStage: false);
        var before = await AuditCountAsync();
        var progress = new Recorder();
        AccessReviewDecisionResult result;
        using (DecideAccessReviewItemsHandler.UseChunkSize(50))
        using (AccessReviewProgressScope.Begin(progress))
        {
            result = Ok(await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, Mine, AccessReviewDecision.Revoke, "Contract ended", ExpectedCount: 120)));
        }
        Assert.Equal((120, 120, 0, true), (result.Decided, result.GrantsRevoked, result.GrantsRequested, result.CampaignClosed));
        Assert.Equal([0, 50, 100, 120], progress.Reports.Select(r => r.Done));
        Assert.All(progress.Reports, r => Assert.Equal(120, r.Total));
        var (active, revoked, _) = await StateAsync(grants);
        Assert.Equal((0, 120), (active, revoked));
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal((AccessReviewItemStatus.Revoked, Morgan.UserId), (i.Status, i.DecidedBy)));
        var row = await CampaignRowAsync(campaign);
        Assert.Equal((CampaignStatus.Closed, 0), (row.Status, row.PendingCount));
        await using (var db = await ContextAsync())
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > before).Select(e => new { e.EventType, e.SubjectType, e.CorrelationId }).ToListAsync();
            Assert.Single(events.Select(e => e.CorrelationId).Distinct()); // one command
            Assert.Equal(120, events.Count(e => e.EventType == 4601));
            Assert.Equal(120, events.Count(e => e.SubjectType == "grant"));
            Assert.Single(events, e => e.EventType == 4501);
        }
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ARefusedItemInAFilteredSelection_RefusesTheWholeSelection_AndWritesNothing()
    {
        var grants = await ManyGrantsAsync(60, Casey);
        var (_, foreign) = await EscortedForeignGrantAsync(Casey, Il2);
        var campaign = await CampaignAsync([.. grants, foreign], representativeStage: false);
        var foreignItem = (await ItemsAsync(campaign))[foreign];
        var before = await StateAsync([.. grants, foreign]);

        using (DecideAccessReviewItemsHandler.UseChunkSize(25))
        {
            var refused = await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, Mine, AccessReviewDecision.Keep, null));
            Assert.Equal(OutcomeKind.Refused, refused.Kind);
            var item = Assert.Single(refused.RefusedItems);
            Assert.Equal((foreignItem.Id, "Fiona Foreign on milCloud Public Portal"), (item.Id, item.Label));
            Assert.Contains("1 of the selected items cannot be decided, so nothing was applied", refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await StateAsync([.. grants, foreign]));
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal(AccessReviewItemStatus.Pending, i.Status));
        Assert.Equal(61, (await CampaignRowAsync(campaign)).PendingCount);

        // Narrowed by the filter to what needs no comment, the rest is kept.
        var kept = Ok(await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, new AccessReviewItemFilter { Mine = true, ForeignNational = false },
            AccessReviewDecision.Keep, null, ExpectedCount: 60)));
        Assert.Equal(60, kept.Decided);
        Assert.Equal(1, (await CampaignRowAsync(campaign)).PendingCount);
    }

    [Fact]
    public async Task ARefusedItemAmongIds_RefusesThemAll_AndListsEveryRefusal()
    {
        var grants = await ManyGrantsAsync(10, Casey);
        var byMorgan = await ManyGrantsAsync(2, Morgan, people: 2);
        var campaign = await CampaignAsync([.. grants, .. byMorgan], representativeStage: false);
        var items = await ItemsAsync(campaign);
        var before = await StateAsync([.. grants, .. byMorgan]);
        var ids = items.Values.Select(i => i.Id).ToArray();

        var refused = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Revoke, "Contract ended", ids));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Equal(byMorgan.Select(g => items[g].Id).Order(), refused.RefusedItems.Select(r => r.Id).Order());
        Assert.All(refused.RefusedItems, r => Assert.Contains("You requested this grant", r.Reason, StringComparison.Ordinal));
        Assert.Equal(before, await StateAsync([.. grants, .. byMorgan]));

        // An id that is not in the campaign is not found (404), listed too.
        var missing = await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Revoke, "Contract ended", [.. grants.Select(g => items[g].Id), Guid.NewGuid()]));
        Assert.Equal(OutcomeKind.NotFound, missing.Kind);
        Assert.Single(missing.RefusedItems);
        Assert.Equal(before, await StateAsync([.. grants, .. byMorgan]));
    }

    [Fact]
    public async Task ASelectionThatChanged_SinceTheConfirmationCounted_IsAConflict()
    {
        var grants = await ManyGrantsAsync(30, Casey);
        var campaign = await CampaignAsync(grants, representativeStage: false);
        var items = await ItemsAsync(campaign);
        Ok(await SendAsync(Morgan, Decide(campaign, AccessReviewDecision.Keep, null, items[grants[0]].Id)));
        var stale = await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, Mine, AccessReviewDecision.Revoke, "Contract ended", ExpectedCount: 30));
        Assert.Equal(OutcomeKind.Conflict, stale.Kind);
        Assert.Equal("The selection now holds 29 items, not 30: someone decided some meanwhile. Review it and confirm again.", stale.Message);
        Assert.Equal(29, (await CampaignRowAsync(campaign)).PendingCount);
    }

    [Fact]
    public async Task ARefusalAtTheGate_InALaterChunk_RollsBackEveryChunk()
    {
        var grants = await ManyGrantsAsync(90, Casey, AccessType.Privileged, people: 90); // one each: the last person's only item is in the last chunk
        var campaign = await CampaignAsync(grants, representativeStage: false);
        // One person moves to a covered nation: the gate suspends their grants; a reduced request for them is refused.
        string? last;
        await using (var db = await ContextAsync())
        {
            var items = await db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaign).OrderBy(i => i.Id).ToListAsync();
            var person = items[^1].PersonId;
            last = await db.People.Where(p => p.Id == person).Select(p => p.FullName).SingleAsync();
            Clock.Advance(TimeSpan.FromMinutes(1));
            Ok(await SendAsync(Riley, new ChangePersonFacts(person, "CN", "Shenzhen")));
        }
        var before = await StateAsync(grants);
        using (DecideAccessReviewItemsHandler.UseChunkSize(40))
        {
            var refused = await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, Mine, AccessReviewDecision.Reduce, "Read-only from now on"));
            Assert.Equal(OutcomeKind.Refused, refused.Kind);
            Assert.Contains(refused.Violations!, v => v.RuleId == "LOC-COVERED");
        }
        Assert.Equal(before, await StateAsync(grants));
        Assert.All((await ItemsAsync(campaign)).Values, i => Assert.Equal(AccessReviewItemStatus.Pending, i.Status));
        Assert.Equal(90, (await CampaignRowAsync(campaign)).PendingCount);
        Assert.NotNull(last);
    }

    [Fact]
    public async Task TenThousandItems_AreRevokedInOneCommand()
    {
        var stopwatch = Stopwatch.StartNew();
        var grants = await ManyGrantsAsync(10_000, Casey, people: 200);
        var campaign = await CampaignAsync(grants, representativeStage: false);
        output.WriteLine($"Arranged 10,000 grants and items in {stopwatch.Elapsed.TotalSeconds:F1} s");
        stopwatch.Restart();
        var progress = new Recorder();
        AccessReviewDecisionResult result;
        using (AccessReviewProgressScope.Begin(progress))
        {
            result = Ok(await SendAsync(Morgan, new DecideAccessReviewItems(campaign, null, Mine, AccessReviewDecision.Revoke, "Contract ended", ExpectedCount: 10_000)));
        }
        output.WriteLine($"Revoked 10,000 in {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal((10_000, 10_000, true), (result.Decided, result.GrantsRevoked, result.CampaignClosed));
        Assert.Equal([0, 2_000, 4_000, 6_000, 8_000, 10_000], progress.Reports.Select(r => r.Done));
        Assert.Equal((0, 10_000), ((await StateAsync(grants)).Active, (await StateAsync(grants)).Revoked));
    }
}
