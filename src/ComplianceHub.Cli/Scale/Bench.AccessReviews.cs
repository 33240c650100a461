using System.Diagnostics;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// Access reviews at scale (issue 23, ADR 0040): a campaign over the two scale systems with the most grants (about 100,000 items
/// at full scale) is started, its items are listed and filtered, and the items of the smaller system (about 10,000) are revoked
/// in one bulk decision — each against the SQL that writes or reads the same rows by hand. Run last: the revocations change
/// the grants every earlier measure reads.
/// </summary>
public sealed partial class Bench
{
    private static readonly Guid BigSystem = ScaleGenerator.Id(0x5C0000);
    private static readonly Guid SmallSystem = ScaleGenerator.Id(0x5C0001);

    private async Task AccessReviewsAsync(CancellationToken ct)
    {
        Step("access review start");
        AccessReviewCampaignView? campaign = null;
        memory.Reset();
        var portal = await PortalAsync(async (sp, t) =>
        {
            var executor = sp.GetRequiredService<CommandExecutor>();
            var definition = await executor.SendAsync(co1, new SaveAccessReviewDefinition(null, $"Bench review {clock.GetUtcNow():yyyyMMddHHmmss}",
                new AccessReviewScope { SystemIds = [BigSystem, SmallSystem] }, RepresentativeStage: false, FallbackOfficerId: co2.UserId, DurationDays: 30,
                ReminderDays: [7, 1], DeadlineAction.Escalate, EscalationDays: 7, CommentRule.WhenSensitive, Recurrence.None, NextStartOn: null), t);
            if (!definition.IsOk)
            {
                throw new InvalidOperationException($"The definition was refused: {definition.Kind}: {definition.Message}");
            }
            var started = await executor.SendAsync(co1, new StartAccessReviewCampaign(definition.Value!.Id), t);
            campaign = started.IsOk ? started.Value : throw new InvalidOperationException($"The start was refused: {started.Kind}: {started.Message}");
        }, ct);
        var startPeak = memory.Peak;
        if (campaign is null)
        {
            Add("Access review start (two scale systems)", portal, new Timing(null, "not run"), "≤ 120 s, < 1 GiB", startPeak, "the campaign did not start");
            return;
        }
        var baseline = await TimedAsync(t => BaselineStartAsync(campaign.Id, t), ct);
        Add($"Access review start: {campaign.ItemCount:N0} items frozen", portal, baseline, "≤ 120 s, < 1 GiB", startPeak,
            "baseline: one INSERT … SELECT of the same grants as items (with their open-finding check) into a copy of the campaign, rolled back");

        await ItemsPageAsync(campaign.Id, ct);
        await BulkRevokeAsync(campaign.Id, ct);
    }

    private async Task BaselineStartAsync(Guid portalCampaign, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var copy = Guid.CreateVersion7();
        var columns = await ListAsync<string>(c, "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' " +
            "AND table_name = 'access_review_campaigns' AND column_name <> 'id' ORDER BY ordinal_position", ct);
        await using (var cmd = new NpgsqlCommand($"INSERT INTO access_review_campaigns (id, {string.Join(", ", columns)}) " +
            $"SELECT @copy, {string.Join(", ", columns)} FROM access_review_campaigns WHERE id = @campaign", c, tx))
        {
            cmd.Parameters.AddWithValue("copy", copy);
            cmd.Parameters.AddWithValue("campaign", portalCampaign);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO access_review_items (id, campaign_id, grant_id, person_id, vendor_id, system_id, access_type, escorted, foreign_national,
                grant_requested_by, recommendation, recommendation_reason, stage, reviewer_ids, status, decided_at_deadline, stale, flagged_for_next)
            SELECT gen_random_uuid(), @copy, g.id, g.person_id, p.vendor_id, g.system_id, g.access_type, g.escorted,
                   NOT ('US' = ANY (p.citizenships) OR p.us_lawful_permanent_resident), g.requested_by,
                   CASE WHEN EXISTS (SELECT 1 FROM findings f WHERE f.subject_id = g.id AND f.status IN ('Open', 'Acknowledged')) THEN 'Revoke' ELSE 'Keep' END,
                   'baseline', 2, ARRAY[@fallback]::uuid[], 'Pending', false, false, false
            FROM access_grants g JOIN people p ON p.id = g.person_id
            WHERE g.system_id IN (@big, @small) AND g.status IN ('Active', 'Suspended')
            """, c, tx))
        {
            cmd.Parameters.AddWithValue("copy", copy);
            cmd.Parameters.AddWithValue("fallback", co2.UserId);
            cmd.Parameters.AddWithValue("big", BigSystem);
            cmd.Parameters.AddWithValue("small", SmallSystem);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.RollbackAsync(ct);
    }

    /// <summary>The campaign grid: three filter combinations, first page of 50, each with its count, p95 over the roster's runs.</summary>
    private async Task ItemsPageAsync(Guid campaignId, CancellationToken ct)
    {
        Step("access review items page");
        AccessReviewItemFilter[] filters =
        [
            new(),
            new() { SystemIds = [SmallSystem], Status = AccessReviewItemStatus.Pending },
            new() { Recommendation = AccessReviewRecommendation.Keep, Search = "an" },
        ];
        memory.Reset();
        var portalTimes = new List<double>();
        var portal = await PortalAsync(async (sp, t) =>
        {
            var query = sp.GetRequiredService<AccessReviewsQuery>();
            for (var run = 0; run < options.RosterRuns; run++)
            {
                foreach (var filter in filters)
                {
                    var watch = Stopwatch.StartNew();
                    await query.ItemsAsync(co2, campaignId, filter, new PageRequest(1, 50, "person"), t);
                    portalTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }, ct);
        var peak = memory.Peak;
        string[] where =
        [
            "i.campaign_id = @c",
            "i.campaign_id = @c AND i.system_id = @small AND i.status = 'Pending'",
            "i.campaign_id = @c AND i.recommendation = 'Keep' AND (p.full_name ILIKE '%an%' OR p.email ILIKE '%an%' OR s.name ILIKE '%an%')",
        ];
        var baselineTimes = new List<double>();
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            for (var run = 0; run < options.RosterRuns; run++)
            {
                foreach (var w in where)
                {
                    var watch = Stopwatch.StartNew();
                    const string From = " FROM access_review_items i JOIN people p ON p.id = i.person_id JOIN cloud_systems s ON s.id = i.system_id JOIN vendors v ON v.id = i.vendor_id WHERE ";
                    await using (var count = new NpgsqlCommand("SELECT count(*)" + From + w, c))
                    {
                        count.Parameters.AddWithValue("c", campaignId);
                        count.Parameters.AddWithValue("small", SmallSystem);
                        await count.ExecuteScalarAsync(t);
                    }
                    await using (var page = new NpgsqlCommand("SELECT i.*, p.full_name, p.email, s.name, s.impact_level, v.name" + From + w +
                        " ORDER BY p.full_name, i.id LIMIT 50", c))
                    {
                        page.Parameters.AddWithValue("c", campaignId);
                        page.Parameters.AddWithValue("small", SmallSystem);
                        await using var reader = await page.ExecuteReaderAsync(t);
                        while (await reader.ReadAsync(t))
                        {
                        }
                    }
                    baselineTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }, ct);
        Add($"Access review items page p95 ({filters.Length} filters × {options.RosterRuns})", P(portal, portalTimes, 95), P(baseline, baselineTimes, 95), "≤ 1 s", peak,
            "filters: none; the smaller system's pending items; recommended keep with \"an\" in a name");
    }

    /// <summary>Every item of the smaller system revoked in one bulk decision (a filter), against two UPDATEs of the same rows.</summary>
    private async Task BulkRevokeAsync(Guid campaignId, CancellationToken ct)
    {
        Step("access review bulk revoke");
        // The stage-two reviewer with the most of those items decides them (the routing chose the contracts' officers or the fallback).
        await using var c0 = await OpenAsync(ct);
        Guid reviewer;
        long selected;
        await using (var cmd = new NpgsqlCommand("SELECT r, count(*) FROM access_review_items, unnest(reviewer_ids) r WHERE campaign_id = @c AND system_id = @small " +
            "AND status = 'Pending' GROUP BY r ORDER BY count(*) DESC LIMIT 1", c0))
        {
            cmd.Parameters.AddWithValue("c", campaignId);
            cmd.Parameters.AddWithValue("small", SmallSystem);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                rows.Add(new BenchRow("Access review bulk revoke", "not run", "-", "n/a (no answer)", "≤ 120 s", "-", "no pending item of the smaller system"));
                return;
            }
            (reviewer, selected) = (reader.GetGuid(0), reader.GetInt64(1));
        }
        var actor = reviewer == co1.UserId ? co1 : reviewer == co2.UserId ? co2
            : new Actor(reviewer, "bench reviewer", Roles.ContractingOfficer, null, null) { AuthenticationMethod = "cli" };
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            await using var tx = await c.BeginTransactionAsync(t);
            await using (var cmd = new NpgsqlCommand("UPDATE access_grants SET status = 'Revoked', status_reason = 'bench baseline' WHERE id IN " +
                "(SELECT grant_id FROM access_review_items WHERE campaign_id = @c AND system_id = @small AND status = 'Pending' AND @r = ANY (reviewer_ids))", c, tx))
            {
                cmd.Parameters.AddWithValue("c", campaignId);
                cmd.Parameters.AddWithValue("small", SmallSystem);
                cmd.Parameters.AddWithValue("r", reviewer);
                await cmd.ExecuteNonQueryAsync(t);
            }
            await using (var cmd = new NpgsqlCommand("UPDATE access_review_items SET status = 'Revoked', decision = 'Revoke', decided_by = @r, decided_at = now(), " +
                "comment = 'bench baseline' WHERE campaign_id = @c AND system_id = @small AND status = 'Pending' AND @r = ANY (reviewer_ids)", c, tx))
            {
                cmd.Parameters.AddWithValue("c", campaignId);
                cmd.Parameters.AddWithValue("small", SmallSystem);
                cmd.Parameters.AddWithValue("r", reviewer);
                await cmd.ExecuteNonQueryAsync(t);
            }
            await tx.RollbackAsync(t);
        }, ct);
        memory.Reset();
        string? result = null;
        var portal = await PortalAsync(async (sp, t) =>
        {
            var outcome = await sp.GetRequiredService<CommandExecutor>().SendAsync(actor, new DecideAccessReviewItems(campaignId, null,
                new AccessReviewItemFilter { SystemIds = [SmallSystem], Mine = true }, AccessReviewDecision.Revoke, "Bench: no longer needed",
                ExpectedCount: (int)selected), t);
            result = outcome.IsOk
                ? $"{outcome.Value!.Decided:N0} items decided, {outcome.Value.GrantsRevoked:N0} grants revoked"
                : throw new InvalidOperationException($"{outcome.Kind}: {outcome.Message}");
        }, ct);
        Add($"Access review bulk revoke: {selected:N0} items in one decision", portal, baseline, "≤ 120 s, < 1 GiB", memory.Peak,
            $"{result ?? "no result"}; baseline: two UPDATEs (grants, items) of the same rows, rolled back (their deferred receipt checks never run)");
    }
}
