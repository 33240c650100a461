using System.Globalization;
using System.Text.Json.Nodes;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>
/// The scheduled jobs run on every instance and claim their runs in the database (an advisory lock and the
/// <c>scheduled_runs</c> row, ADR 0009): with two instances ticking, each interval's run happens once, not twice.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class SchedulerTests(ScaleOutFixture portal, ITestOutputHelper output)
{
    private static readonly TimeSpan Every = ScaleOutFixture.ReevaluateEvery;

    [Fact]
    public async Task The_reevaluation_runs_once_per_interval_across_both_instances()
    {
        var figures = new Figures(output, "scheduler, two instances");
        // Ten intervals with both instances up (the other tests of the collection may have taken them already).
        var since = portal.BothRunningSince;
        await WaitUntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow - since >= Every * 10), TimeSpan.FromMinutes(2));
        var now = DateTimeOffset.UtcNow;

        var runs = await portal.Db.QueryAsync(
            $"SELECT started_at FROM reevaluation_runs WHERE started_at >= '{since.UtcDateTime:O}' AND started_at <= '{now.UtcDateTime:O}' ORDER BY started_at",
            async r =>
            {
                var list = new List<DateTimeOffset>();
                while (await r.ReadAsync())
                {
                    list.Add(r.GetFieldValue<DateTimeOffset>(0));
                }
                return list;
            });
        var intervals = (now - since) / Every;
        var started = new[] { portal.A, portal.B }.Select(p => Count(p, "Re-evaluation {Run} started")).ToArray();
        var skipped = new[] { portal.A, portal.B }.Select(p => Count(p, "Re-evaluation skipped")).ToArray();
        figures.Record("interval", Every.TotalSeconds, "s");
        figures.Record("intervals with both instances up", Math.Floor(intervals));
        figures.Record("re-evaluation runs in them", runs.Count);
        figures.Record("runs started by A / B (whole life)", $"{started[0]} / {started[1]}");
        figures.Record("ticks that found the run taken or not due, A / B", $"{skipped[0]} / {skipped[1]}");
        var gaps = runs.Zip(runs.Skip(1), (x, y) => y - x).ToList();
        if (gaps.Count > 0)
        {
            figures.Record("shortest time between two runs", gaps.Min().TotalSeconds, "s");
        }

        // Both instances tick every interval; between them, one run an interval: never more runs than intervals (plus the
        // one the window may cut), never two within nine tenths of an interval, however many instances tick.
        Assert.True(runs.Count >= 2, $"only {runs.Count} runs in {intervals:F1} intervals");
        Assert.True(runs.Count <= Math.Floor(intervals) + 1, $"{runs.Count} runs in {intervals:F1} intervals: some interval ran twice");
        Assert.All(gaps, g => Assert.True(g >= Every - Every / 10 - TimeSpan.FromMilliseconds(250), $"two runs {g.TotalSeconds:F2} s apart"));
        Assert.True(skipped[0] + skipped[1] >= 2, "the instances never found a run taken: is only one of them ticking?");
    }

    [Fact]
    public async Task The_daily_digest_is_claimed_once_across_both_instances()
    {
        var figures = new Figures(output, "scheduler, two instances");
        var since = portal.BothRunningSince;
        // The digest checks every 3 s on each instance: after 20 s both have tried several times.
        await WaitUntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow - since >= TimeSpan.FromSeconds(20)), TimeSpan.FromMinutes(1));
        // A claimed day ends in "Daily digest: …" or, with no SMTP server listening, in the scheduler's logged failure.
        var sent = new[] { portal.A, portal.B }.Select(p => Count(p, "Daily digest: {Sent}") + Count(p, "Attestation digest failed")).ToArray();
        var skipped = new[] { portal.A, portal.B }.Select(p => Count(p, "Attestation digest skipped")).ToArray();
        figures.Record("digest runs A / B", $"{sent[0]} / {sent[1]}");
        figures.Record("digest checks that found today's taken, A / B", $"{skipped[0]} / {skipped[1]}");
        Assert.Equal(1, sent.Sum());
        Assert.True(skipped.Sum() >= 4, $"{skipped.Sum()} skipped checks: are both instances checking?");
        var claimed = await portal.Db.ScalarAsync<string>("SELECT last_completed_at::date::text FROM scheduled_runs WHERE name = 'attestation-digest'");
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), claimed);
    }

    [Fact]
    public async Task The_chain_is_signed_by_one_instance_at_a_time()
    {
        var figures = new Figures(output, "scheduler, two instances");
        // Both instances look for a due checkpoint every 5 s (Audit:CheckpointEvery 200 events): write 400 events through
        // nginx, then wait for the signing to catch up with them.
        var lb = portal.Nginx.BaseAddress;
        var token = await PortalClient.TokenAsync(lb, "co2@demo.local");
        using var reader = PortalClient.ApiWithToken(lb, token);
        var vendor = (await reader.ListAsync("/api/v1/vendors"))[0];
        var people = (await reader.ListAsync($"/api/v1/vendors/{vendor["id"]}/personnel")).Take(8).Select(p => p["id"]!.GetValue<string>()).ToList();
        var signedBefore = await portal.Db.ScalarAsync<long>("SELECT count(*) FROM chain_checkpoints");
        await Task.WhenAll(people.Select(async (id, i) =>
        {
            using var api = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = lb };
            api.DefaultRequestHeaders.Authorization = new("Bearer", token);
            for (var n = 0; n < 50; n++)
            {
                var body = ApiCalls.UpdateBody(await api.GetJsonAsync($"/api/v1/personnel/{id}"));
                body["fullName"] = $"Checkpoint Writer {i} {n}";
                var (status, saved) = await api.SendJsonAsync(HttpMethod.Put, $"/api/v1/personnel/{id}", body);
                Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status} {saved?.ToJsonString()}");
            }
        }));
        var head = await portal.Db.ScalarAsync<long>("SELECT max(sequence) FROM audit_events");
        await WaitUntilAsync(async () => await portal.Db.ScalarAsync<long>("SELECT coalesce(max(sequence), 0) FROM chain_checkpoints") >= head - 200,
            TimeSpan.FromMinutes(1));

        var (checkpoints, distinct, latest) = await portal.Db.QueryAsync(
            "SELECT count(*), count(DISTINCT sequence), coalesce(max(sequence), 0) FROM chain_checkpoints", async r =>
            {
                await r.ReadAsync();
                return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
            });
        figures.Record("checkpoints signed during 400 writes", checkpoints - signedBefore);
        // A checkpoint signs the head, however far it moved: one or more during the writes, never the same head twice.
        Assert.True(checkpoints - signedBefore >= 1, "no checkpoint signed during 400 events");
        Assert.True(latest >= head - 200, $"the last checkpoint is at {latest}, the head at {head}");
        Assert.Equal(checkpoints, distinct);
    }

    /// <summary>How many events of the instance's file log have a message template starting with <paramref name="template"/>.</summary>
    private static int Count(PortalProcess portal, string template) =>
        portal.LogLines().Count(l => JsonNode.Parse(l)?["@mt"]?.GetValue<string>() is { } mt && mt.StartsWith(template, StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
