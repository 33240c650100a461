using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>
/// Concurrent writers (issue 24): 32 API clients change the same 100 people and their grants through nginx, each request to
/// whichever instance nginx picks, retrying a stale version (409) by reading again. Afterwards the audit trail, read back in
/// sequence order, replays to exactly the rows in the database; it holds one event per committed change; and the chain
/// verifies, unforked, across both instances' writes.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class ConcurrentWritersTests(ScaleOutFixture portal, ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int People = 100;

    /// <summary>Operations per client (RELIABILITY_OPERATIONS overrides: more for a longer soak).</summary>
    private static readonly int OperationsPerClient =
        int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_OPERATIONS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 250;

    private sealed record Commit(string Kind, string SubjectId, string Value);

    [Fact]
    public async Task Thirty_two_writers_on_both_instances_lose_no_update_and_the_audit_trail_replays_to_the_rows()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = limit.Token;
        var figures = new Figures(output, "concurrent writers");
        var run = Guid.NewGuid().ToString("N")[..6];
        var lb = portal.Nginx.BaseAddress;
        var tokens = new[] { await PortalClient.TokenAsync(lb, "co1@demo.local", ct), await PortalClient.TokenAsync(lb, "co2@demo.local", ct) };
        using var setup = PortalClient.ApiWithToken(lb, tokens[0]);
        using var approver = PortalClient.ApiWithToken(lb, tokens[1]);

        var (people, grants) = await ArrangeAsync(setup, approver, run, ct);
        var baseline = await portal.Db.ScalarAsync<long>("SELECT coalesce(max(sequence), 0) FROM audit_events", ct);
        var accessBefore = portal.Nginx.AccessLines().Count;

        var commits = new ConcurrentBag<Commit>();
        var conflicts = 0;
        var refusals = 0;
        var failures = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            // No cookies: nginx hashes each request on a new key, so a client's reads and writes land on either instance.
            using var api = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = lb, Timeout = TimeSpan.FromSeconds(100) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", tokens[client % 2]);
            var random = new Random(client);
            for (var op = 0; op < OperationsPerClient; op++)
            {
                var marker = $"cw{run} c{client} o{op}";
                var onGrant = grants.Count > 0 && random.Next(3) == 0;
                for (var attempt = 0; ; attempt++)
                {
                    if (attempt == 100)
                    {
                        failures.Add($"{marker}: still conflicting after 100 attempts");
                        break;
                    }
                    var (status, body, commit) = onGrant
                        ? await ToggleGrantAsync(api, grants[random.Next(grants.Count)], marker, ct)
                        : await RenameAsync(api, people[random.Next(people.Count)], marker, ct);
                    if (status is HttpStatusCode.OK)
                    {
                        commits.Add(commit!);
                        break;
                    }
                    if (status is HttpStatusCode.Conflict)
                    {
                        Interlocked.Increment(ref conflicts);
                        continue;
                    }
                    if (status is HttpStatusCode.UnprocessableEntity && onGrant)
                    {
                        Interlocked.Increment(ref refusals); // a reactivation the rules refused: nothing committed
                        break;
                    }
                    failures.Add($"{marker}: {(int)status} {body?.ToJsonString()}");
                    break;
                }
            }
        }, ct)));
        watch.Stop();

        var operations = Clients * OperationsPerClient;
        figures.Record("clients", Clients);
        figures.Record("operations", operations);
        figures.Record("commits", commits.Count);
        figures.Record("conflicts retried (409)", conflicts);
        figures.Record("reactivations refused by the rules (422)", refusals);
        figures.Record("duration", watch.Elapsed.TotalSeconds, "s");
        figures.Record("commits per second", commits.Count / watch.Elapsed.TotalSeconds);
        Assert.True(failures.IsEmpty, $"{failures.Count} operations failed, e.g. {string.Join("; ", failures.Take(5))}");
        Assert.Equal(operations, commits.Count + refusals);

        // Both instances took writes: nginx's access log names the instance of every request.
        var served = portal.Nginx.AccessLines().Skip(accessBefore).Where(l => l.Contains("\"PUT /api/v1/personnel/", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("upstream=", StringComparison.Ordinal) + 9)..].Split(' ')[0].TrimEnd(',')).GroupBy(u => u)
            .ToDictionary(g => g.Key, g => g.Count());
        figures.Record("person updates per instance", string.Join(", ", served.Select(s => $"{s.Key}: {s.Value}")));
        Assert.Contains($"127.0.0.1:{portal.A.Port}", served.Keys);
        Assert.Contains($"127.0.0.1:{portal.B.Port}", served.Keys);

        // (b) One audit event per committed change: every committed value once, nothing else carrying the run's marker.
        var audited = await AuditedChangesAsync(baseline, run, ct);
        var committed = commits.Select(c => (c.Kind, c.SubjectId, c.Value)).Order().ToList();
        var trail = audited.Select(e => (e.Kind, e.SubjectId, e.Value)).Order().ToList();
        var missing = committed.Except(trail).ToList();
        var duplicated = trail.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unexplained = trail.Except(committed).ToList();
        figures.Record("audit events for the committed changes", trail.Count);
        figures.Record("missing / duplicated / unexplained events", $"{missing.Count} / {duplicated.Count} / {unexplained.Count}");
        Assert.Empty(missing);
        Assert.Empty(duplicated);
        Assert.Empty(unexplained);
        Assert.Equal(commits.Count, trail.Count);

        // (a) No lost update: the last committed value of each row, replayed from the trail in sequence order, is the row.
        var replayed = audited.OrderBy(e => e.Sequence).GroupBy(e => (e.Kind, e.SubjectId)).ToDictionary(g => g.Key, g => g.Last().State);
        var rows = await RowsAsync(setup, people, grants, ct);
        var lost = replayed.Where(r => rows[r.Key] != r.Value).Select(r => $"{r.Key}: trail {r.Value}, row {rows[r.Key]}").ToList();
        // ...and no change was made on a stale read: each change starts from the state the one before it left.
        lost.AddRange(audited.OrderBy(e => e.Sequence).GroupBy(e => (e.Kind, e.SubjectId)).SelectMany(g => g.Zip(g.Skip(1)))
            .Where(p => p.Second.Before != p.First.State)
            .Select(p => $"{p.Second.Kind} {p.Second.SubjectId}: event {p.Second.Sequence} changed '{p.Second.Before}', but event {p.First.Sequence} had left '{p.First.State}'"));
        figures.Record("rows replayed from the trail", replayed.Count);
        figures.Record("lost updates", lost.Count);
        Assert.Empty(lost);

        // (c) The chain verifies, and its sequence is unique, without gaps, each event linked to the one before.
        await AssertChainIntactAsync(portal, figures, ct);
    }

    /// <summary>The chain as the auditor's API verifies it, and the links read straight from the table.</summary>
    internal static async Task AssertChainIntactAsync(ScaleOutFixture portal, Figures figures, CancellationToken ct)
    {
        using var auditor = await PortalClient.ApiAsync(portal.Nginx.BaseAddress, "auditor@demo.local", ct);
        var verify = await auditor.GetJsonAsync("/api/v1/audit/verify", ct);
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        var (events, first, last, distinct, broken) = await portal.Db.QueryAsync(
            """
            SELECT count(*), min(sequence), max(sequence), count(DISTINCT sequence),
                   (SELECT count(*) FROM audit_events e JOIN audit_events p ON p.sequence = e.sequence - 1 WHERE e.previous_hash <> p.hash)
            FROM audit_events
            """,
            async r =>
            {
                await r.ReadAsync(ct);
                return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
            }, ct);
        figures.Record("audit events in the chain", events);
        Assert.Equal(events, distinct);
        Assert.Equal(events, last - first + 1);
        Assert.Equal(0, broken);
        Assert.Equal(events, verify["events"]!.GetValue<long>());
    }

    /// <summary>
    /// 100 people (the demo's 60 and 40 more) and an Active grant on an IL2 system for every one the rules allow (approved by a
    /// second officer, <paramref name="approver"/>, where the rules ask for two).
    /// </summary>
    private async Task<(List<string> People, List<string> Grants)> ArrangeAsync(HttpClient api, HttpClient approver, string run, CancellationToken ct)
    {
        var vendors = await api.ListAsync("/api/v1/vendors", ct);
        var people = new List<JsonNode>();
        foreach (var vendor in vendors)
        {
            people.AddRange(await api.ListAsync($"/api/v1/vendors/{vendor["id"]}/personnel", ct));
        }
        people = people.Where(p => p["employmentStatus"]?.GetValue<string>() != "Terminated").Take(People).ToList();
        var template = people[0];
        for (var i = people.Count; i < People; i++)
        {
            var (status, body) = await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/vendors/{template["vendorId"]}/personnel",
                ApiCalls.NewPersonBody(template, $"CW{run}{i:D3}", $"Writer Target {run} {i}", $"cw{run}.{i}@acme.example"), ct);
            Assert.True(status == HttpStatusCode.Created, $"adding a person: {(int)status} {body?.ToJsonString()}");
            people.Add(body!);
        }
        // The representatives attest their people's location and citizenships (the rules refuse access to the never-attested).
        var representatives = new Dictionary<string, string> { ["Acme"] = "rep@acme.demo.local", ["Globex"] = "rep@globex.demo.local" };
        foreach (var vendor in vendors)
        {
            var name = vendor["name"]!.GetValue<string>();
            if (representatives.FirstOrDefault(r => name.Contains(r.Key, StringComparison.OrdinalIgnoreCase)).Value is not { } rep)
            {
                continue;
            }
            var theirs = people.Where(p => p["vendorId"]!.GetValue<string>() == vendor["id"]!.GetValue<string>()).ToList();
            using var repApi = await PortalClient.ApiAsync(api.BaseAddress!, rep, ct);
            var (status, body) = await repApi.SendJsonAsync(HttpMethod.Post, $"/api/v1/vendors/{vendor["id"]}/attestations", new JsonObject
            {
                ["items"] = new JsonArray(theirs.Select(p => (JsonNode)new JsonObject
                {
                    ["personId"] = p["id"]!.GetValue<string>(),
                    ["workLocation"] = p["workLocation"]!.DeepClone(),
                    ["citizenships"] = p["citizenships"]!.DeepClone(),
                }).ToArray()),
                ["statement"] = "I attest that these people work where stated and hold the citizenships listed.",
            }, ct);
            Assert.True(status == HttpStatusCode.Created, $"attesting {name}'s people: {(int)status} {body?.ToJsonString()}");
        }
        var system = (await api.ListAsync("/api/v1/systems", ct)).FirstOrDefault(s => s["impactLevel"]?.GetValue<string>() == "IL2");
        var grants = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<string>();
        if (system is not null)
        {
            await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (person, token) =>
            {
                var (status, grant) = await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/personnel/{person["id"]}/grants", new JsonObject
                {
                    ["systemId"] = system["id"]!.GetValue<string>(),
                    ["accessType"] = "NonPrivileged",
                    ["escorted"] = false,
                    ["startsOn"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["endsOn"] = DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["justification"] = "Concurrent writers test",
                }, token);
                if (status == HttpStatusCode.Created && grant!["status"]!.GetValue<string>() == "PendingApproval")
                {
                    (status, grant) = await approver.SendJsonAsync(HttpMethod.Post, $"/api/v1/grants/{grant["id"]}/approve", new JsonObject(), token);
                    status = status == HttpStatusCode.OK ? HttpStatusCode.Created : status;
                }
                if (status == HttpStatusCode.Created && grant!["status"]!.GetValue<string>() == "Active")
                {
                    grants.Add(grant["id"]!.GetValue<string>());
                }
                else
                {
                    refused.Add($"{(int)status} {grant?.ToJsonString()}");
                }
            });
        }
        output.WriteLine($"{people.Count} people, {grants.Count} active grants on {system?["name"]}; not granted: {refused.Count}, e.g. {refused.FirstOrDefault()}");
        return (people.Select(p => p["id"]!.GetValue<string>()).ToList(), grants.ToList());
    }

    /// <summary>Reads the person and writes them back under a new name (the marker), with the version read.</summary>
    private static async Task<(HttpStatusCode, JsonNode?, Commit?)> RenameAsync(HttpClient api, string personId, string marker, CancellationToken ct)
    {
        var person = await api.GetJsonAsync($"/api/v1/personnel/{personId}", ct);
        var body = ApiCalls.UpdateBody(person);
        body["fullName"] = marker;
        var (status, saved) = await api.SendJsonAsync(HttpMethod.Put, $"/api/v1/personnel/{personId}", body, ct);
        return (status, saved, new Commit("person", personId, marker));
    }

    /// <summary>Reads the grant and suspends it when active, reactivates it when suspended; the reason is the marker.</summary>
    private static async Task<(HttpStatusCode, JsonNode?, Commit?)> ToggleGrantAsync(HttpClient api, string grantId, string marker, CancellationToken ct)
    {
        var grant = await api.GetJsonAsync($"/api/v1/grants/{grantId}", ct);
        var current = grant["status"]!.GetValue<string>();
        var (action, next) = current == "Active" ? ("suspend", "Suspended") : ("reactivate", "Active");
        var (status, saved) = await api.SendJsonAsync(HttpMethod.Post, $"/api/v1/grants/{grantId}/{action}", new JsonObject { ["reason"] = marker }, ct);
        return (status, saved, new Commit("grant", grantId, $"{next}|{marker}"));
    }

    /// <summary>A change as the trail records it: the marker-carrying value, and the row's state before and after.</summary>
    private sealed record AuditedChange(long Sequence, string Kind, string SubjectId, string Value, string? Before, string State);

    /// <summary>
    /// The changes the run's writers made, from the audit trail after <paramref name="baseline"/>: a person's new name (the marker),
    /// a grant's new status with the reason given (the marker). The operation's marker ties each event to one committed request.
    /// </summary>
    private async Task<List<AuditedChange>> AuditedChangesAsync(long baseline, string run, CancellationToken ct)
    {
        var like = $"%cw{run} c%";
        var rows = await portal.Db.QueryAsync(
            $"SELECT sequence, subject_type, subject_id, changes::text FROM audit_events WHERE sequence > {baseline} AND changes::text LIKE '{like}' ORDER BY sequence",
            async r =>
            {
                var list = new List<(long, string, string, string)>();
                while (await r.ReadAsync(ct))
                {
                    list.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));
                }
                return list;
            }, ct);
        var changes = new List<AuditedChange>();
        foreach (var (sequence, subjectType, subjectId, json) in rows)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            if (node["fullName"]?["after"]?.GetValue<string>() is { } name && name.StartsWith($"cw{run} ", StringComparison.Ordinal))
            {
                changes.Add(new AuditedChange(sequence, "person", subjectId, name, node["fullName"]!["before"]?.GetValue<string>(), name));
            }
            else if (node["status"]?["after"]?.GetValue<string>() is { } status)
            {
                var reason = FindMarker(node, run) ?? throw new InvalidOperationException($"event {sequence} ({subjectType}) has no marker: {json}");
                changes.Add(new AuditedChange(sequence, "grant", subjectId, $"{status}|{reason}", node["status"]!["before"]?.GetValue<string>(), status));
            }
            else
            {
                throw new InvalidOperationException($"event {sequence} ({subjectType} {subjectId}) carries the run's marker but neither a name nor a status: {json}");
            }
        }
        return changes;
    }

    /// <summary>The marker in any string of the event's changes (a grant's status reason is "who: why").</summary>
    private static string? FindMarker(JsonNode node, string run) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().IndexOf($"cw{run} c", StringComparison.Ordinal) is >= 0 and var at
            => v.GetValue<string>()[at..],
        JsonObject o => o.Select(p => p.Value is null ? null : FindMarker(p.Value, run)).FirstOrDefault(m => m is not null),
        JsonArray a => a.Select(i => i is null ? null : FindMarker(i, run)).FirstOrDefault(m => m is not null),
        _ => null,
    };

    /// <summary>The rows now: each person's name from the database, each grant's status as the API reads it.</summary>
    private async Task<Dictionary<(string, string), string>> RowsAsync(HttpClient api, List<string> people, List<string> grants, CancellationToken ct)
    {
        var rows = new Dictionary<(string, string), string>();
        var ids = string.Join(',', people.Select(p => $"'{p}'"));
        await portal.Db.QueryAsync($"SELECT id::text, full_name FROM people WHERE id IN ({ids})", async r =>
        {
            while (await r.ReadAsync(ct))
            {
                rows[("person", r.GetString(0))] = r.GetString(1);
            }
            return 0;
        }, ct);
        foreach (var grant in grants)
        {
            rows[("grant", grant)] = (await api.GetJsonAsync($"/api/v1/grants/{grant}", ct))["status"]!.GetValue<string>();
        }
        return rows;
    }
}
