using ComplianceHub.Core.Gate;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace ComplianceHub.Cli.Scale;

/// <summary>The bench's knobs: sizes of its writes, the time limit per measure, the number of repeated runs.</summary>
public sealed record BenchOptions(TimeSpan Limit, int ImportSmall, int ImportLarge, int DryRunRows, int GrantRequests, int RosterRuns)
{
    /// <summary>The largest file the portal accepts (100,000 rows), imported at full scale only: issue 16 asks for it under 1 GB.</summary>
    public int ImportHuge { get; init; }

    /// <summary>
    /// This many grant requests of each side run before the measured ones (fewer when the scale has fewer candidates): the JIT
    /// optimises a method only after it has run a while (tiered compilation), and a server runs for days. 10 at the test's small
    /// fraction, where the smoke test checks only that the measure runs.
    /// </summary>
    public int GrantWarmUp { get; init; } = 10;

    /// <summary>
    /// <c>--only</c>: the measures to run, by words of their names (comma-separated, any case: "grant,roster page"); all
    /// when empty. For a developer iterating on one measure; the figures in docs/performance.md are of full runs.
    /// </summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>
    /// The portal's <c>ComplianceHub.Web.dll</c> (<c>--web</c>), which the circuit measure starts as a child process; without it
    /// that measure is not run and the bench says so (the in-process smoke test has no web build to start).
    /// </summary>
    public string? WebApp { get; init; }

    /// <summary>Circuits opened per page by the circuit measure (500 at full scale, the issue's figure).</summary>
    public int Circuits { get; init; } = 500;

    /// <summary>How long the opened roster circuits interact, each once every ten seconds.</summary>
    public TimeSpan CircuitInteraction { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Lines of the generated access log the access-log import measure imports (1,000,000 at --quick and full scale: issue 25).</summary>
    public int AccessLogLines { get; init; } = 2_000;

    public bool Runs(string measure) =>
        Only.Count == 0 || Only.Any(o => measure.Contains(o, StringComparison.OrdinalIgnoreCase));

    /// <summary>Full scale (1), --quick (0.1) or the test's small fraction.</summary>
    public static BenchOptions ForScale(double scale, TimeSpan limit) => scale switch
    {
        >= 1 => new(limit, 10_000, 50_000, 50_000, 200, 5) { ImportHuge = 100_000, GrantWarmUp = 4_000, AccessLogLines = 1_000_000 },
        >= 0.1 => new(limit, 10_000, 5_000, 5_000, 200, 5)
        {
            GrantWarmUp = 4_000, Circuits = 100, CircuitInteraction = TimeSpan.FromSeconds(30), AccessLogLines = 1_000_000,
        },
        _ => new(limit, Math.Max(100, (int)(100_000 * scale)), Math.Max(100, (int)(50_000 * scale)), Math.Max(100, (int)(50_000 * scale)), 20, 2)
        {
            Circuits = 20, CircuitInteraction = TimeSpan.FromSeconds(20),
        },
    };
}

/// <summary>
/// The measuring instrument of issue 16: each measure runs the real portal code in-process (commands through the
/// <see cref="CommandExecutor"/> with an actor of the right role, reads through the real query classes, the DI the CLI builds)
/// and a hand-written SQL baseline answering the same question on the same database and indexes, and prints one table.
/// Reads first, writes last (imports, then policy activation), so a write cannot change what a later read measures.
/// Every measure has a time limit; past it the work is cancelled (the database command with it) and the row says so.
/// </summary>
public sealed partial class Bench(IServiceProvider services, string appConnectionString, string? ownerConnectionString, TimeProvider clock, TextWriter output)
{
    private readonly List<BenchRow> rows = [];
    private readonly MemorySampler memory = new();
    private Actor co1 = null!, co2 = null!, auditor = null!;
    private BenchOptions options = null!;

    // The baselines' connections have the portal's pool settings (DataServiceCollectionExtensions.ForThePortal): statements
    // prepared alike, no reset when a connection goes back to the pool.
    private string Conn => new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.ForThePortal(appConnectionString)) { CommandTimeout = 0 }.ConnectionString;

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchOptions benchOptions, string scaleName, CancellationToken ct = default)
    {
        options = benchOptions;
        var watch = Stopwatch.StartNew();
        output.WriteLine("ComplianceHub bench");
        output.WriteLine($"  machine   {Machine.Describe()}");
        output.WriteLine($"  commit    {Machine.Commit()}");
        await using (var c = await OpenAsync(ct))
        {
            var (people, grants, events) = (await ScalarAsync<long>(c, "SELECT count(*) FROM people", ct), await ScalarAsync<long>(c, "SELECT count(*) FROM access_grants", ct),
                await ScalarAsync<long>(c, "SELECT count(*) FROM audit_events", ct));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  scale     {scaleName}: {people:N0} people, {grants:N0} grants, {events:N0} audit events in the database"));
            output.WriteLine($"  postgres  {await ScalarAsync<string>(c, "SELECT version()", ct)}; fsync={await ScalarAsync<string>(c, "SHOW fsync", ct)}, synchronous_commit={await ScalarAsync<string>(c, "SHOW synchronous_commit", ct)}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  limit     {options.Limit.TotalSeconds:F0} s per measure (past it: \"no answer\", the work is cancelled)"));
        if (ownerConnectionString is not null)
        {
            // The seed wrote millions of rows moments ago; autovacuum would analyse them soon, the bench does it now (as the table owner).
            await using var owner = new NpgsqlConnection(ownerConnectionString);
            await owner.OpenAsync(ct);
            await using var analyse = new NpgsqlCommand("ANALYZE", owner) { CommandTimeout = 1800 };
            await analyse.ExecuteNonQueryAsync(ct);
            output.WriteLine("  ANALYZE   run as the owner before measuring (planner statistics for the seeded rows)");
        }
        await LoadActorsAsync(ct);
        output.WriteLine();

        if (options.Runs("access on a day"))
        {
            await AccessOnDayAsync("Access on a day, system with ~10,000 grants", ScaleGenerator.Id(0x5C0001), "≤ 5 s", ct);
            await AccessOnDayAsync("Access on a day, system with ~90,000 grants", ScaleGenerator.Id(0x5C0000), "≤ 30 s", ct);
        }
        var (preview, activation) = (options.Runs("policy preview"), options.Runs("policy activation"));
        var draft = preview || activation ? await DraftAsync(ct) : default;
        if (preview) { await PolicyPreviewAsync(draft, ct); }
        if (options.Runs("export")) { await ExportRosterAsync(ct); }
        if (options.Runs("chain")) { await ChainAsync(ct); }
        if (options.Runs("state verification")) { await StateAsync(ct); }
        if (options.Runs("roster page")) { await RosterPageAsync(ct); }
        if (options.Runs("circuit")) { await CircuitsAsync(ct); }
        if (options.Runs("grant request")) { await GrantRequestAsync(ct); }
        if (options.Runs("dry run")) { await DryRunAsync(ct); }
        if (options.Runs("import apply"))
        {
            await ImportAsync(options.ImportSmall, "≤ 60 s", ct);
            await ImportAsync(options.ImportLarge, options.ImportLarge >= 50_000 ? "≤ 300 s" : "≤ 60 s", ct);
            if (options.ImportHuge > 0)
            {
                await ImportAsync(options.ImportHuge, "≤ 600 s, < 1 GiB", ct);
            }
        }
        if (options.Runs("access-log import")) { await AccessLogImportAsync(ct); }
        if (activation) { await ActivationAsync(draft, ct); }
        if (options.Runs("access review")) { await AccessReviewsAsync(ct); }

        Print();
        output.WriteLine();
        output.WriteLine($"peak working set of the bench process: {MemorySampler.MiB(memory.OverallPeak)} (managed heap peak {MemorySampler.MiB(memory.HeapPeak)})");
        var answered = rows.Count(r => !r.Portal.StartsWith("no answer", StringComparison.Ordinal) && !r.Portal.StartsWith("failed", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench done in {watch.Elapsed.TotalSeconds:F0} s: {rows.Count} measures, {answered} answered by the portal, {rows.Count - answered} without an answer"));
        memory.Dispose();
        return rows;
    }

    private void Print()
    {
        string[] header = ["measure", "portal", "baseline (SQL)", "ratio", "goal", "peak memory"];
        var table = rows.Select(r => new[] { r.Measure, r.Portal, r.Baseline, r.Ratio, r.Goal, r.PeakMemory }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, table.Count == 0 ? 0 : table.Max(t => t[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        output.WriteLine(Line(header));
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var t in table)
        {
            output.WriteLine(Line(t));
        }
        foreach (var r in rows.Where(r => r.Note is not null))
        {
            output.WriteLine($"  {r.Measure}: {r.Note}");
        }
    }

    /// <summary>A progress line before a measure runs (the table comes at the end).</summary>
    private void Step(string measure) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  measuring: {measure}"));

    private void Add(string measure, Timing portal, Timing baseline, string goal, long peak, string? note = null) =>
        rows.Add(new BenchRow(measure, portal.Text, baseline.Text, Timing.Ratio(portal, baseline), goal, MemorySampler.MiB(peak), note));

    /// <summary>Runs <paramref name="work"/> under the time limit: its time, or "no answer in N s" (cancelled), or the failure.</summary>
    private async Task<Timing> TimedAsync(Func<CancellationToken, Task> work, CancellationToken outer)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(outer);
        limit.CancelAfter(options.Limit);
        var watch = Stopwatch.StartNew();
        try
        {
            await work(limit.Token);
            return new Timing(watch.Elapsed, null);
        }
        catch (Exception) when (limit.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            return new Timing(null, string.Create(CultureInfo.InvariantCulture, $"no answer in {options.Limit.TotalSeconds:F0} s"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Timing(null, $"failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }
    }

    private async Task<Timing> PortalAsync(Func<IServiceProvider, CancellationToken, Task> work, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        return await TimedAsync(t => work(scope.ServiceProvider, t), ct);
    }

    private async Task LoadActorsAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        async Task<Actor> Of(string email, string role)
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant(), ct)
                ?? throw new InvalidOperationException($"The bench acts as the demo account {email}: run 'seed' first.");
            return new Actor(user.Id, user.DisplayName, role, null, null) { AuthenticationMethod = "cli" };
        }
        co1 = await Of("co1@demo.local", Roles.ContractingOfficer);
        co2 = await Of("co2@demo.local", Roles.ContractingOfficer);
        auditor = await Of("auditor@demo.local", Roles.Auditor);
    }

    // ---------------------------------------------------------------- reads

    private async Task AccessOnDayAsync(string measure, Guid systemId, string goal, CancellationToken ct)
    {
        Step(measure);
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        memory.Reset();
        var holders = 0;
        var portal = await PortalAsync(async (sp, t) =>
            holders = (await sp.GetRequiredService<SystemAccessQuery>().OnDayAsync(auditor, systemId, day, t))?.Holders.Count ?? 0, ct);
        var peak = memory.Peak;
        var rowsRead = 0;
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            await using var cmd = new NpgsqlCommand(BaselineSql.AccessOnDay, c);
            cmd.Parameters.AddWithValue("system", systemId);
            cmd.Parameters.AddWithValue("day", day);
            cmd.Parameters.AddWithValue("from", AccessWindow.StartOf(day));
            cmd.Parameters.AddWithValue("to", AccessWindow.StartOf(day.AddDays(1)));
            await using var reader = await cmd.ExecuteReaderAsync(t);
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync(t))
            {
                reader.GetValues(values);
                rowsRead++;
            }
        }, ct);
        Add(measure, portal, baseline, goal, peak, $"{holders:N0} holders (portal: intervals of the day with every policy version, impact level, escort and waiver, verdicts); {rowsRead:N0} rows (baseline: the same holders and facts in SQL)");
    }

    private async Task<Guid?> DraftAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var active = await ActivePolicy.ReadAsync(db, ct);
        var parameters = PolicyJson.Deserialize(active.Parameters);
        var sets = parameters.CountrySets.ToDictionary(s => s.Key, s => s.Value);
        sets[PolicyParameters.Covered] = new HashSet<string>(sets[PolicyParameters.Covered]) { "IN" };
        var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
            .SendAsync(co1, new DraftPolicyVersion($"Bench: COVERED adds IN ({clock.GetUtcNow():yyyy-MM-dd HH:mm})", parameters with { CountrySets = sets }), ct);
        if (!outcome.IsOk)
        {
            output.WriteLine($"  (the policy draft was not saved: {outcome.Message}; preview and activation will fail)");
        }
        return outcome.Value?.Id;
    }

    private async Task PolicyPreviewAsync(Guid? draft, CancellationToken ct)
    {
        Step("policy preview");
        memory.Reset();
        var newly = 0;
        var portal = await PortalAsync(async (sp, t) =>
            newly = (await sp.GetRequiredService<PolicyImpactQuery>().PreviewAsync(co1, draft ?? Guid.Empty, t)
                     ?? throw new InvalidOperationException("no draft to preview")).NewlyViolating.Count, ct);
        var peak = memory.Peak;
        long counted = 0;
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            counted = await ScalarAsync<long>(c, BaselineSql.PolicyPreview, t);
        }, ct);
        Add("Policy preview: COVERED adds IN, over all grants", portal, baseline, "< 10 s", peak,
            $"{newly:N0} grants newly violating (portal: every current grant evaluated under both versions); {counted:N0} grants of people with IN (baseline)");
    }

    private async Task ExportRosterAsync(CancellationToken ct)
    {
        Step("roster CSV export");
        memory.Reset();
        long bytes = 0, exported = 0;
        var portal = await PortalAsync(async (sp, t) =>
        {
            var sink = new CountingStream();
            var result = await sp.GetRequiredService<ExportService>().ExportAsync(auditor, new ExportRequest(ExportKind.Roster, ExportFormat.Csv), sink, t);
            (bytes, exported) = (sink.Written, result.Rows);
        }, ct);
        var peak = memory.Peak;
        long chars = 0;
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            using var reader = await c.BeginTextExportAsync(BaselineSql.RosterExport, t);
            var buffer = new char[65_536];
            int n;
            while ((n = await reader.ReadAsync(buffer, t)) > 0)
            {
                chars += n;
            }
        }, ct);
        Add("Roster CSV export, all people", portal, baseline, "≤ 120 s", peak,
            string.Create(CultureInfo.InvariantCulture, $"portal {exported:N0} rows, {bytes / 1024.0 / 1024.0:F1} MiB; baseline COPY TO STDOUT (CSV) {chars / 1024.0 / 1024.0:F1} MiB"));
    }

    private async Task ChainAsync(CancellationToken ct)
    {
        Step("audit chain verification");
        memory.Reset();
        ChainVerification? verified = null;
        var portal = await PortalAsync(async (sp, t) => verified = await sp.GetRequiredService<AuditChainVerifier>().VerifyAsync(auditor, t), ct);
        var peak = memory.Peak;
        long read = 0;
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            await using var cmd = new NpgsqlCommand(BaselineSql.ChainRead, c);
            await using var reader = await cmd.ExecuteReaderAsync(t);
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync(t))
            {
                reader.GetValues(values);
                read++;
            }
        }, ct);
        var note = verified is null ? $"baseline read {read:N0} events"
            : $"{verified.Events:N0} events, {verified.Checkpoints.Checked:N0} of {verified.Checkpoints.Total:N0} signed checkpoints " +
              $"(file: {verified.Checkpoints.File.State}), valid: {verified.Valid}{(verified.Valid ? "" : " — " + verified.Problem)}; baseline read {read:N0}";
        Add("Audit chain verification, whole trail", portal, baseline, "≤ 300 s", peak, note);
    }

    /// <summary>
    /// State verification (ADR 0031): the trail replayed and every audited table compared with it, against the hand-written check of
    /// two facts. Run with the same work memory the verifier sets for its own statement, so the two are compared alike.
    /// </summary>
    private async Task StateAsync(CancellationToken ct)
    {
        Step("state verification");
        memory.Reset();
        StateVerification? verified = null;
        var portal = await PortalAsync(async (sp, t) => verified = await sp.GetRequiredService<StateVerifier>().VerifyAsync(auditor, t), ct);
        var peak = memory.Peak;
        long unexplained = -1;
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            await using var transaction = await c.BeginTransactionAsync(t);
            await using (var set = new NpgsqlCommand("SET LOCAL work_mem = '256MB'; SET LOCAL jit = off", c, transaction))
            {
                await set.ExecuteNonQueryAsync(t);
            }
            await using var cmd = new NpgsqlCommand(BaselineSql.StateCheck, c, transaction);
            unexplained = (long)(await cmd.ExecuteScalarAsync(t))!;
        }, ct);
        var note = (verified is null ? "" : string.Create(CultureInfo.InvariantCulture,
                       $"{verified.Rows:N0} rows of {verified.Tables.Count} tables against {verified.TrailHead:N0} events, {verified.Discrepancies:N0} unexplained; ")) +
                   string.Create(CultureInfo.InvariantCulture, $"baseline: grants' status and people's work country only, {unexplained:N0} unexplained");
        Add("State verification, every audited table", portal, baseline, "≤ 300 s", peak, note);
    }

    private async Task RosterPageAsync(CancellationToken ct)
    {
        Step("roster page");
        var combos = BaselineSql.RosterCombos(await CoveredAsync(ct));
        memory.Reset();
        var portalTimes = new List<double>();
        var portal = await PortalAsync(async (sp, t) =>
        {
            var query = sp.GetRequiredService<RosterQuery>();
            for (var run = 0; run < options.RosterRuns; run++)
            {
                foreach (var combo in combos)
                {
                    var watch = Stopwatch.StartNew();
                    await query.ListAsync(co1, combo.Filter, combo.Page, t);
                    portalTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }, ct);
        var peak = memory.Peak;
        var baselineTimes = new List<double>();
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            for (var run = 0; run < options.RosterRuns; run++)
            {
                foreach (var combo in combos)
                {
                    var watch = Stopwatch.StartNew();
                    await ScalarAsync<long>(c, combo.CountSql, t);
                    await using (var cmd = new NpgsqlCommand(combo.PageSql, c))
                    await using (var reader = await cmd.ExecuteReaderAsync(t))
                    {
                        while (await reader.ReadAsync(t))
                        {
                        }
                    }
                    baselineTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }, ct);
        Add($"Roster page p95 ({combos.Count} filter/sort combos × {options.RosterRuns})", P(portal, portalTimes, 95), P(baseline, baselineTimes, 95), "≤ 1 s", peak,
            "combos: " + string.Join("; ", combos.Select(c => c.Name)));
    }

    /// <summary>
    /// Memory per circuit on the roster page against a trivial page (the not-found page: the layout and a sentence), each in a
    /// portal process of its own, then the round trip of a click on the roster's pager while every circuit clicks once every 10 s.
    /// </summary>
    private async Task CircuitsAsync(CancellationToken ct)
    {
        if (options.WebApp is null)
        {
            output.WriteLine("  circuits: not measured (no --web <ComplianceHub.Web.dll> to start; scripts/bench.sh passes it)");
            return;
        }
        var n = options.Circuits;
        var circuits = new CircuitBench(options.WebApp, appConnectionString);
        Step($"circuits: {n} on a trivial page");
        CircuitBench.PageFigures trivial, roster;
        try
        {
            trivial = await circuits.MeasureAsync("/not-found", n, [], TimeSpan.Zero, ct);
            Step($"circuits: {n} on the roster page, then one click each every 10 s for {options.CircuitInteraction.TotalSeconds:F0} s");
            roster = await circuits.MeasureAsync("/roster", n, ["Next page", "Previous page"], options.CircuitInteraction, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var failed = $"failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
            rows.Add(new BenchRow($"Memory per circuit, roster page ({n} circuits)", failed, "-", "n/a (no answer)", "≤ 4× and ≤ 1 MB", "-"));
            rows.Add(new BenchRow($"{n} circuits, one interaction every 10 s, round-trip p95", failed, "-", "n/a (no answer)", "< 200 ms", "-"));
            return;
        }
        var (r, t) = (roster.BytesPerCircuit, trivial.BytesPerCircuit);
        var ratio = r > 0 && t > 0 ? (r / t).ToString(r / t >= 10 ? "F0" : "F1", CultureInfo.InvariantCulture) + "×" : "n/a (no answer)";
        string Opened(CircuitBench.PageFigures f) => f.Failed == 0 ? $"{f.Circuits} opened" : $"{f.Circuits - f.Failed} of {f.Circuits} opened ({f.Problem})";
        rows.Add(new BenchRow($"Memory per circuit, roster page ({n} circuits)", CircuitBench.Size(r), CircuitBench.Size(t), ratio, "≤ 4× and ≤ 1 MB",
            MemorySampler.MiB(roster.WorkingSet),
            $"managed heap after a forced full GC, (with − without the circuits) / circuits; roster {Opened(roster)}, heap {MemorySampler.MiB(roster.HeapBefore)} → {MemorySampler.MiB(roster.HeapAfter)}; " +
            $"baseline: the trivial page /not-found, {Opened(trivial)}, heap {MemorySampler.MiB(trivial.HeapBefore)} → {MemorySampler.MiB(trivial.HeapAfter)}; peak memory: the portal's working set with the roster circuits open"));
        var loaded = roster.Problem is null || roster.Loaded.Count > 0 ? Timing.Of(roster.Loaded, 95) : new Timing(null, "failed: " + roster.Problem);
        var alone = Timing.Of(roster.Alone, 95);
        rows.Add(new BenchRow($"{n} circuits, one interaction every 10 s, round-trip p95", loaded.Text, alone.Text, Timing.Ratio(loaded, alone), "< 200 ms", "-",
            $"a click on the roster pager (next page, then previous: 25 rows read), {roster.Loaded.Count:N0} clicks in {options.CircuitInteraction.TotalSeconds:F0} s, {roster.ClickFailures} failed or unanswered in 10 s; " +
            $"p50 {Timing.Of(roster.Loaded, 50).Text}; CPU meanwhile: portal {roster.Cpu.Portal.TotalSeconds:F1} s, bench {roster.Cpu.Bench.TotalSeconds:F1} s " +
            $"({(roster.Loaded.Count > 0 ? roster.Cpu.Portal.TotalMilliseconds / roster.Loaded.Count : 0):F1} ms of portal CPU per click; PostgreSQL's not counted); " +
            $"baseline: the same clicks on one circuit before the others opened (p95 of {roster.Alone.Count})" + (n < 500 ? $"; {n} circuits at this scale, 500 at full scale" : "")));
    }

    private static Timing P(Timing whole, List<double> samples, double percentile) =>
        whole.Time is null || samples.Count == 0 ? whole : new Timing(TimeSpan.FromMilliseconds(Machine.Percentile(samples, percentile)), null);

    private async Task<List<string>> CoveredAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var json = await ScalarAsync<string>(c, "SELECT parameters::text FROM policy_versions WHERE status = 'Active'", ct);
        return PolicyJson.Deserialize(json).Set(PolicyParameters.Covered).Order(StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- writes

    private async Task GrantRequestAsync(CancellationToken ct)
    {
        Step("one grant request");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (maxWarmUp, measured) = (options.GrantWarmUp, options.GrantRequests);
        List<Guid> people;
        await using (var c = await OpenAsync(ct))
        {
            people = await ListAsync<Guid>(c, BaselineSql.GrantCandidates((maxWarmUp + measured) * 2, today), ct);
        }
        var system = ScaleGenerator.Id(0x5C0002); // an IL2 system: a request is decided at once (no second officer)
        memory.Reset();
        var portalTimes = new List<double>();
        var baselineTimes = new List<double>();
        var (refused, warmedUp, compiledWhileMeasuring) = (0, 0, 0L);
        // Both sides are measured on code the JIT has finished optimising, as a server runs after its first minutes. Tiered
        // compilation first runs a method unoptimised and recompiles it only once it has been called often enough: the
        // portal's path (EF, the gate, Npgsql) is some 15,000 methods, and until they are recompiled a request takes twice as
        // long. So both sides warm up, in the same pairs as measured, for the whole warm-up (a few seconds). Stopping early once
        // a hundred pairs left the JIT fewer than 50 methods to compile misled on a busy machine: the JIT's background
        // recompilation lags there, a quiet window said "settled" after 200 pairs while thousands of methods were still to be
        // optimised, and the request measured 1.6 ms instead of 0.9 ms (docs/performance.md, "The write path after issue 24").
        // The methods the JIT compiles while measuring are counted and printed, so a lagging JIT shows. Then portal and
        // baseline alternate in blocks of ten (which goes first alternates too): a busy spell of the machine weighs on both
        // alike, and within a block each side runs back to back on its connection.
        const int Block = 10;
        var both = await PortalAsync(async (sp, t) =>
        {
            var executor = sp.GetRequiredService<CommandExecutor>();
            await using var c = await OpenAsync(t);
            long? compiledAtStart = null;
            for (var start = 0; portalTimes.Count < measured && 2 * start + 1 < people.Count; start += Block)
            {
                var block = Enumerable.Range(start, Math.Min(Block, (people.Count - 2 * start) / 2)).ToList();
                // Measuring starts after the warm-up, at the latest when only the people for the measured requests are left.
                var measuring = warmedUp >= maxWarmUp || people.Count - 2 * start <= 2 * measured;
                if (measuring)
                {
                    compiledAtStart ??= JitInfo.GetCompiledMethodCount();
                }
                async Task PortalRequests()
                {
                    foreach (var i in block)
                    {
                        var watch = Stopwatch.StartNew();
                        var outcome = await executor.SendAsync(co1, new RequestGrant(people[2 * i], system, AccessType.NonPrivileged, false, today,
                            today.AddDays(180), "Bench: one grant request"), t);
                        if (measuring)
                        {
                            portalTimes.Add(watch.Elapsed.TotalMilliseconds);
                            refused += outcome.IsOk ? 0 : 1;
                        }
                    }
                }
                async Task BaselineRequests()
                {
                    foreach (var i in block)
                    {
                        var watch = Stopwatch.StartNew();
                        await BaselineGrantAsync(c, people[2 * i + 1], system, today, t);
                        if (measuring)
                        {
                            baselineTimes.Add(watch.Elapsed.TotalMilliseconds);
                        }
                    }
                }
                if (start / Block % 2 == 0)
                {
                    await PortalRequests();
                    await BaselineRequests();
                }
                else
                {
                    await BaselineRequests();
                    await PortalRequests();
                }
                if (!measuring)
                {
                    warmedUp += block.Count;
                }
            }
            compiledWhileMeasuring = JitInfo.GetCompiledMethodCount() - (compiledAtStart ?? JitInfo.GetCompiledMethodCount());
        }, ct);
        var warmth = string.Create(CultureInfo.InvariantCulture,
            $"{warmedUp:N0} warm-up pairs; the JIT compiled {compiledWhileMeasuring:N0} methods while measuring")
            + (compiledWhileMeasuring > 500 ? " (still optimising: the figure is partly of unoptimised code)" : "");
        Add($"One grant request p50 ({measured} after warm-up)", P(both, portalTimes, 50), P(both, baselineTimes, 50), "≤ 0.5 s", memory.Peak,
            $"{refused} refused or failed; {warmth}; baseline: INSERT grant + receipt + one chained audit event, one transaction; the two alternate in blocks of ten");
    }

    /// <summary>The hand-written grant request: the grant, its receipt and one audit event chained from the head under the lock.</summary>
    private async Task BaselineGrantAsync(NpgsqlConnection c, Guid person, Guid system, DateOnly today, CancellationToken ct)
    {
        var now = AuditChain.ToStoredPrecision(clock.GetUtcNow());
        var id = Guid.CreateVersion7(now);
        await using var tx = await c.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(BaselineSql.GrantInsert, c, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("person", person);
            cmd.Parameters.AddWithValue("system", system);
            cmd.Parameters.AddWithValue("starts", today);
            cmd.Parameters.AddWithValue("ends", today.AddDays(180));
            cmd.Parameters.AddWithValue("by", co1.UserId);
            cmd.Parameters.AddWithValue("at", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ScaleSeeder.ChainLockKey})", c, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        long sequence;
        string previous;
        await using (var cmd = new NpgsqlCommand("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", c, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (sequence, previous) = (reader.GetInt64(0), reader.GetString(1));
        }
        var e = new AuditEvent
        {
            Sequence = sequence + 1, OccurredAt = now, ActorUserId = co1.UserId, ActorName = co1.DisplayName, ActorRole = co1.Role,
            AuthenticationMethod = "cli", EventType = 4000, Operation = "bench-baseline-grant", SubjectType = "grant", SubjectId = id.ToString(),
            Changes = AuditJson.Created([("id", id), ("personId", person), ("systemId", system), ("status", "Active")]), RuleOutcomes = "[]",
            CorrelationId = Guid.CreateVersion7(now).ToString(), PreviousHash = previous,
        };
        await using (var cmd = new NpgsqlCommand(BaselineSql.AuditInsert, c, tx))
        {
            cmd.Parameters.AddWithValue("seq", e.Sequence);
            cmd.Parameters.AddWithValue("at", e.OccurredAt);
            cmd.Parameters.AddWithValue("user", co1.UserId);
            cmd.Parameters.AddWithValue("name", e.ActorName);
            cmd.Parameters.AddWithValue("role", e.ActorRole);
            cmd.Parameters.AddWithValue("subject", e.SubjectId);
            cmd.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Jsonb) { Value = e.Changes });
            cmd.Parameters.AddWithValue("correlation", e.CorrelationId);
            cmd.Parameters.AddWithValue("previous", previous);
            cmd.Parameters.AddWithValue("hash", AuditChain.ComputeHash(e));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private async Task DryRunAsync(CancellationToken ct)
    {
        Step("roster import dry run");
        var file = RosterCsv("BD", options.DryRunRows);
        memory.Reset();
        RosterImportReport? report = null;
        var portal = await PortalAsync(async (sp, t) =>
            report = (await sp.GetRequiredService<CommandExecutor>().SendAsync(co1, new ImportRoster(ImportVendor, "bench-dry.csv", file.Csv, DryRun: true), t)).Value, ct);
        var peak = memory.Peak;
        var baseline = await TimedAsync(t => CopyRosterAsync(file, t), ct);
        Add($"Roster import dry run, {options.DryRunRows:N0} new people (time to the report)", portal, baseline, "≤ 300 s", peak,
            $"report: {report?.Added ?? 0:N0} would be added; baseline: COPY of the rows into people + receipts, constraints checked, rolled back");
    }

    private static Guid ImportVendor => ScaleSeeder.VendorId(3);

    private async Task ImportAsync(int count, string goal, CancellationToken ct)
    {
        Step($"roster import apply, {count:N0}");
        var prefix = count == options.ImportSmall ? "BS" : count == options.ImportHuge ? "BH" : "BL";
        var file = RosterCsv(prefix, count);
        long seqBefore, receiptsBefore;
        await using (var c = await OpenAsync(ct))
        {
            seqBefore = await ScalarAsync<long>(c, "SELECT coalesce(max(sequence), 0) FROM audit_events", ct);
            receiptsBefore = await ScalarAsync<long>(c, "SELECT coalesce(max(id), 0) FROM evaluation_receipts", ct);
        }
        memory.Reset();
        RosterImportReport? report = null;
        var portal = await PortalAsync(async (sp, t) =>
            report = (await sp.GetRequiredService<CommandExecutor>().SendAsync(co1, new ImportRoster(ImportVendor, $"bench-{count}.csv", file.Csv, DryRun: false), t)).Value, ct);
        var peak = memory.Peak;
        var baseline = await TimedAsync(t => CopyRosterAsync(file, t), ct);
        var measure = $"Roster import apply, {count:N0} new people";
        Add(measure, portal, baseline, goal, peak,
            $"added {report?.Added ?? 0:N0}; baseline 1: COPY of the roster rows into people + receipts, constraints checked, rolled back");
        if (portal.Time is null || report is not { Applied: true })
        {
            rows.Add(new BenchRow(measure + " — baseline 2", "(see above)", "not run", "n/a (no answer)", goal, "-", "the import did not apply, so there is nothing to copy"));
            return;
        }
        var written = new WrittenRows(file.Prefix, seqBefore, receiptsBefore);
        var baseline2 = await TimedAsync(t => CopyBackAsync(written, t), ct);
        rows.Add(new BenchRow($"  same import vs COPY of all rows it wrote", portal.Text, baseline2.Text, Timing.Ratio(portal, baseline2), goal, "-",
            $"baseline 2: {written.Describe()}, re-keyed, COPY in one transaction, constraints checked, rolled back"));
    }

    private async Task ActivationAsync(Guid? draft, CancellationToken ct)
    {
        Step("policy activation");
        // The hand UPDATE first, rolled back, so the portal activates over the same state.
        var baseline = await TimedAsync(async t =>
        {
            await using var c = await OpenAsync(t);
            await using var tx = await c.BeginTransactionAsync(t);
            await using var cmd = new NpgsqlCommand(BaselineSql.ActivationUpdate, c, tx);
            await cmd.ExecuteNonQueryAsync(t);
            await tx.RollbackAsync(t);
        }, ct);
        memory.Reset();
        string? result = null;
        TimeSpan? activated = null;
        var portal = await PortalAsync(async (sp, t) =>
        {
            // The activation (one transaction), then every batch of its re-evaluation run until it finishes (ADR 0029).
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var outcome = await sp.GetRequiredService<CommandExecutor>().SendAsync(co2, new ActivatePolicyVersion(draft ?? Guid.Empty), t);
            activated = watch.Elapsed;
            if (!outcome.IsOk || outcome.Value!.Run is not { } run)
            {
                throw new InvalidOperationException(outcome.IsOk ? "The activation started no re-evaluation run." : $"{outcome.Kind}: {outcome.Message}");
            }
            var done = await sp.GetRequiredService<ReevaluationRunner>().DriveAsync(run.Id, ct: t)
                       ?? throw new InvalidOperationException("The re-evaluation run disappeared.");
            result = $"{done.Run.Suspended:N0} grants suspended, {done.Run.FindingsOpened:N0} findings opened over {done.Run.Processed:N0} grants in " +
                     $"{done.Run.Batches:N0} batches (the activation itself {Timing.Format(activated.Value)})";
        }, ct);
        Add("Policy activation (COVERED adds IN) at all grants", portal, baseline, "≤ 60 s", memory.Peak,
            $"{result ?? "no result"}; baseline: one UPDATE of the affected grants, rolled back (its deferred receipt checks never run)");
    }

    // ---------------------------------------------------------------- roster files and COPY baselines

    private sealed record RosterFileRows(string Prefix, byte[] Csv, List<string[]> Rows);

    /// <summary>A roster CSV of new people in <see cref="RosterFile.Columns"/> order (as the import scale test writes one).</summary>
    private RosterFileRows RosterCsv(string prefix, int count)
    {
        var stamp = clock.GetUtcNow().ToString("HHmmss", CultureInfo.InvariantCulture);
        var text = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        var list = new List<string[]>(count);
        string[] cities = ["Reston", "Herndon", "Arlington", "Huntsville", "San Diego"];
        for (var i = 0; i < count; i++)
        {
            var citizenships = i % 50 == 0 ? "US;IN" : i % 20 == 0 ? "US;GB" : "US";
            string[] row = [$"{prefix}{stamp}-{i:D6}", $"Bench Person {prefix}{i}", $"bench.{prefix.ToLowerInvariant()}{stamp}.{i}@scale-vendor04.example", "VendorEmployee",
                citizenships, "US", "false", "US", cities[i % cities.Length], i % 3 == 0 ? "T5" : "T3", "2025-02-01", "true", "None", "2025-03-01", "None", "", "Active"];
            list.Add(row);
            text.AppendJoin(',', row).Append('\n');
        }
        // The employee ids' own prefix (with the time), so the rows of this import are told apart from an earlier run's on the same database.
        return new RosterFileRows($"{prefix}{stamp}-", Encoding.UTF8.GetBytes(text.ToString()), list);
    }

    /// <summary>Baseline 1: the roster rows COPYed into people with their receipts and one audit event; the deferred checks run (SET CONSTRAINTS ALL IMMEDIATE), then rolled back.</summary>
    private async Task CopyRosterAsync(RosterFileRows file, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var ids = new List<Guid>(file.Rows.Count);
        await using (var copy = await c.BeginBinaryImportAsync("COPY people (id, vendor_id, employee_id, full_name, email, employer_type, citizenships, country_of_birth, " +
                         "us_lawful_permanent_resident, work_country, work_city, investigation_tier, adjudicated_on, continuous_vetting, clearance, nda_signed_on, " +
                         "escort_qualification, employment_status, location_attested_on) FROM STDIN (FORMAT BINARY)", ct))
        {
            copy.Timeout = options.Limit;
            foreach (var r in file.Rows)
            {
                var id = Guid.CreateVersion7();
                ids.Add(id);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(ImportVendor, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r[0] + "~", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[1], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[2], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[3], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[4].Split(';'), NpgsqlDbType.Array | NpgsqlDbType.Char, ct);
                await copy.WriteAsync(r[5], NpgsqlDbType.Char, ct);
                await copy.WriteAsync(bool.Parse(r[6]), NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(r[7], NpgsqlDbType.Char, ct);
                await copy.WriteAsync(r[8], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[9], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(DateOnly.Parse(r[10], CultureInfo.InvariantCulture), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(bool.Parse(r[11]), NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(r[12], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(DateOnly.Parse(r[13], CultureInfo.InvariantCulture), NpgsqlDbType.Date, ct);
                await copy.WriteAsync(r[14], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r[16], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(today, NpgsqlDbType.Date, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await c.BeginBinaryImportAsync("COPY evaluation_receipts (subject_table, subject_id, evaluated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            copy.Timeout = options.Limit;
            var now = clock.GetUtcNow();
            foreach (var id in ids)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync("people", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        // Receipts need an audit event of their transaction (Data/Sql/0012): the one event a chunk of the import writes.
        await using (var audit = new NpgsqlCommand($$"""
            SELECT pg_advisory_xact_lock({{ScaleSeeder.ChainLockKey}});
            INSERT INTO audit_events (sequence, occurred_at, actor_name, actor_role, authentication_method, event_type, operation, subject_type,
                                      subject_id, changes, rule_outcomes, correlation_id, previous_hash, hash)
            SELECT sequence + 1, now(), 'bench', 'ContractingOfficer', 'cli', 1100, 'bench-baseline-dry-run', 'people', 'bench', '{}', '[]',
                   'bench', hash, encode(sha256(convert_to(hash || '~', 'UTF8')), 'hex')
            FROM audit_events ORDER BY sequence DESC LIMIT 1
            """, c, tx))
        {
            await audit.ExecuteNonQueryAsync(ct);
        }
        await using (var check = new NpgsqlCommand("SET CONSTRAINTS ALL IMMEDIATE", c, tx))
        {
            await check.ExecuteNonQueryAsync(ct);
        }
        await tx.RollbackAsync(ct);
    }

    /// <summary>The rows one import wrote: its people (by employee id prefix), their fact history, the audit events and receipts it appended.</summary>
    private sealed class WrittenRows(string prefix, long sequenceBefore, long receiptBefore)
    {
        public string Prefix { get; } = prefix;
        public long SequenceBefore { get; } = sequenceBefore;
        public long ReceiptBefore { get; } = receiptBefore;
        public Dictionary<string, long> Counts { get; } = [];

        public string Describe() => string.Join(", ", Counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value:N0} {c.Key}")));
    }

    /// <summary>
    /// Baseline 2: exactly the rows the import wrote, read back (untimed) with new keys — people, fact history, audit events (sequence
    /// and hashes moved past the head), receipts — then COPYed into the same tables in one transaction (timed), the deferred checks run,
    /// rolled back. The difference to the import's time is the portal's own work (parsing, validating, the gate, hashing).
    /// </summary>
    private async Task CopyBackAsync(WrittenRows written, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var sequenceAfter = await ScalarAsync<long>(c, "SELECT coalesce(max(sequence), 0) FROM audit_events", ct);
        var receiptAfter = await ScalarAsync<long>(c, "SELECT coalesce(max(id), 0) FROM evaluation_receipts", ct);
        var people = $"SELECT id FROM people WHERE vendor_id = '{ImportVendor}' AND employee_id LIKE '{written.Prefix}%'";
        var shift = sequenceAfter - written.SequenceBefore;
        var history = FactHistoryTable();
        var plan = new List<(string Table, string Where, Dictionary<string, string> Rekey)>
        {
            ("people", $"id IN ({people})", new() { ["id"] = Rekey("id"), ["employee_id"] = "employee_id || '~'" }),
            (history.Table, $"{history.PersonColumn} IN ({people})", new() { ["id"] = Rekey("id"), [history.PersonColumn] = Rekey(history.PersonColumn) }),
            ("audit_events", $"sequence > {written.SequenceBefore} AND sequence <= {sequenceAfter}", new()
            {
                ["sequence"] = $"sequence + {shift}", ["hash"] = "encode(sha256(convert_to(hash || '~', 'UTF8')), 'hex')",
                ["previous_hash"] = "encode(sha256(convert_to(previous_hash || '~', 'UTF8')), 'hex')",
            }),
            ("evaluation_receipts", $"id > {written.ReceiptBefore} AND id <= {receiptAfter}", new()
            {
                ["subject_id"] = $"CASE WHEN subject_table = 'people' THEN {Rekey("subject_id")} ELSE subject_id END",
            }),
        };
        var data = new List<(string Table, string Columns, byte[] Bytes)>();
        foreach (var (table, where, rekey) in plan)
        {
            var columns = await ListAsync<string>(c, "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '" + table +
                "' AND is_identity = 'NO' AND column_default IS NULL ORDER BY ordinal_position", ct);
            var select = string.Join(", ", columns.Select(col => rekey.TryGetValue(col, out var expr) ? $"{expr} AS {col}" : col));
            using var buffer = new MemoryStream();
            await using (var raw = await c.BeginRawBinaryCopyAsync($"COPY (SELECT {select} FROM {table} WHERE {where}) TO STDOUT (FORMAT BINARY)", ct))
            {
                await raw.CopyToAsync(buffer, ct);
            }
            written.Counts[table] = await ScalarAsync<long>(c, $"SELECT count(*) FROM {table} WHERE {where}", ct);
            data.Add((table, string.Join(", ", columns), buffer.ToArray()));
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (table, columns, bytes) in data)
        {
            await using var raw = await c.BeginRawBinaryCopyAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
            await raw.WriteAsync(bytes, ct);
        }
        await using (var check = new NpgsqlCommand("SET CONSTRAINTS ALL IMMEDIATE", c, tx))
        {
            await check.ExecuteNonQueryAsync(ct);
        }
        await tx.RollbackAsync(ct);

        static string Rekey(string column) => $"md5({column}::text || '~')::uuid";
    }

    /// <summary>Where the fact history lives (the table the gate's history writer uses), from the EF model.</summary>
    private (string Table, string PersonColumn) FactHistoryTable()
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ComplianceDbContext>();
        var entity = db.Model.FindEntityType(typeof(PersonFactRecord))!;
        var table = entity.GetTableName()!;
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, entity.GetSchema());
        return (table, entity.FindProperty(nameof(PersonFactRecord.PersonId))!.GetColumnName(store)!);
    }

    // ---------------------------------------------------------------- plumbing

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var c = new NpgsqlConnection(Conn);
        await c.OpenAsync(ct);
        return c;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(reader.GetFieldValue<T>(0));
        }
        return list;
    }
}
