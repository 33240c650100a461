using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ComplianceHub.Core.Common;

/// <summary>
/// The portal's own traces and metrics (ADR 0043; docs/operations/observability.md): one <see cref="ActivitySource"/> and one
/// <see cref="Meter"/>, both named <see cref="Name"/>. Nothing listens unless the host configures an exporter, and then a span
/// that nobody samples is never made and an instrument nobody collects costs a branch.
/// Attributes are operational only — command names, outcomes, gate steps, rule ids, counts — never personal data (names,
/// e-mails, citizenships, free text): that belongs in the audit trail, behind its access control.
/// </summary>
public static class Telemetry
{
    /// <summary>The name of the portal's activity source and meter ("ComplianceHub").</summary>
    public const string Name = "ComplianceHub";

    /// <summary>The command, as the audit trail names its operation (<c>request-grant</c>).</summary>
    public const string CommandAttribute = "compliancehub.command";

    /// <summary>How the command ended: <c>ok</c>, <c>invalid</c>, <c>refused</c>, <c>not_found</c>, <c>forbidden</c>, <c>conflict</c> or <c>error</c>.</summary>
    public const string OutcomeAttribute = "compliancehub.outcome";

    /// <summary>The gate step (its type's name, <c>GrantDecisionStep</c>).</summary>
    public const string StepAttribute = "compliancehub.gate.step";

    /// <summary>The rule ids that refused the change (span only: <c>["CIT-COVERED"]</c>).</summary>
    public const string RuleIdsAttribute = "compliancehub.rule_ids";

    /// <summary>Whether the command was a dry run (span only).</summary>
    public const string DryRunAttribute = "compliancehub.dry_run";

    /// <summary>The scheduled job (<c>reevaluation</c>, <c>attestation-digest</c>…).</summary>
    public const string JobAttribute = "compliancehub.job";

    /// <summary>What was imported or exported (<c>roster</c>; an export's kind, <c>findings</c>).</summary>
    public const string KindAttribute = "compliancehub.kind";

    /// <summary>An export's file format (<c>csv</c>, <c>xlsx</c>, <c>json</c>, <c>pdf</c>).</summary>
    public const string FormatAttribute = "compliancehub.format";

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Spans: one per command through the executor, a child per gate step that runs.</summary>
    public static readonly ActivitySource Source = new(Name, Version);

    /// <summary>The portal's instruments.</summary>
    public static readonly Meter Meter = new(Name, Version);

    // Seconds, from a millisecond to a minute: a single change takes a few ms, a 100,000-row import chunk seconds.
    private static readonly double[] CommandBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30, 60];
    // A wait for the chain lock is a fraction of a millisecond when nobody holds it.
    private static readonly double[] LockBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    internal static readonly Histogram<double> GateDuration = Meter.CreateHistogram("compliancehub.gate.duration", "s",
        "Time a command takes through the pipeline: authorize, validate, handle, gate, audit, commit (per command and outcome).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandBuckets });

    internal static readonly Histogram<double> GateStepDuration = Meter.CreateHistogram("compliancehub.gate.step.duration", "s",
        "Time one gate step takes within a save (per step).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandBuckets });

    internal static readonly Histogram<double> ChainLockWait = Meter.CreateHistogram("compliancehub.chain_lock.wait", "s",
        "Time from asking for the audit chain lock to holding it, with the chain head read in the same round trip (per operation).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LockBuckets });

    internal static readonly Counter<long> CommandsCommitted = Meter.CreateCounter<long>("compliancehub.commands.committed", "{command}",
        "Commands committed (dry runs excluded).");

    internal static readonly Counter<long> CommandsRefused = Meter.CreateCounter<long>("compliancehub.commands.refused", "{command}",
        "Commands refused by the policy (dry runs excluded).");

    internal static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("compliancehub.import.rows", "{row}",
        "Import rows saved through the gate (dry runs included; a later failure rolls them back with the import).");

    internal static readonly Counter<long> ImportChunks = Meter.CreateCounter<long>("compliancehub.import.chunks", "{chunk}",
        "Import chunks saved through the gate.");

    internal static readonly Histogram<double> ImportChunkDuration = Meter.CreateHistogram("compliancehub.import.chunk.duration", "s",
        "Time to build, evaluate, audit and save one import chunk.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandBuckets });

    internal static readonly Counter<long> ExportRows = Meter.CreateCounter<long>("compliancehub.export.rows", "{row}",
        "Rows written to export files that left in full.");

    /// <summary>Scheduled job runs (per job and outcome).</summary>
    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram("compliancehub.job.duration", "s",
        "Time one run of a scheduled job takes (per job and outcome); its count is the number of runs.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommandBuckets });

    // The off-load's lag per destination, as last read (AuditOffloader.PositionAsync: the off-load's idle poll and each /healthz probe).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> OffloadBehind = new(StringComparer.Ordinal);

    internal static readonly ObservableGauge<long> OffloadLag = Meter.CreateObservableGauge("compliancehub.audit_offload.lag",
        () => OffloadBehind.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("compliancehub.destination", d.Key))),
        "{event}", "Audit events not yet sent to the off-load destination, as last read by the off-load or a health probe.");

    /// <summary>The off-load of <paramref name="destination"/> is <paramref name="behind"/> events behind the trail's head.</summary>
    internal static void OffloadPosition(string destination, long behind) => OffloadBehind[destination] = behind;

    private static readonly string[] Outcomes = ["ok", "invalid", "refused", "not_found", "forbidden", "conflict"];

    /// <summary>The outcome's attribute value (<c>not_found</c>).</summary>
    public static string Describe(OutcomeKind kind) => (int)kind < Outcomes.Length ? Outcomes[(int)kind] : "error";

    /// <summary>The distinct rule ids of refusing outcomes, in order: the only part of a refusal a span carries (never its message).</summary>
    internal static string[] RuleIds(IEnumerable<Rules.RuleOutcome> outcomes) =>
        outcomes.Select(o => o.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Elapsed seconds since a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    internal static double Since(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    /// <summary>The chain lock was taken for <paramref name="operation"/> after waiting since <paramref name="asked"/>.</summary>
    internal static void ChainLockTaken(string operation, long asked)
    {
        if (ChainLockWait.Enabled)
        {
            ChainLockWait.Record(Since(asked), new KeyValuePair<string, object?>(CommandAttribute, operation));
        }
    }

    /// <summary>One import chunk of <paramref name="rows"/> rows saved since <paramref name="started"/>.</summary>
    internal static void ImportChunkSaved(string kind, int rows, long started)
    {
        var tag = new KeyValuePair<string, object?>(KindAttribute, kind);
        ImportRows.Add(rows, tag);
        ImportChunks.Add(1, tag);
        if (ImportChunkDuration.Enabled)
        {
            ImportChunkDuration.Record(Since(started), tag);
        }
    }

    /// <summary>An export file of <paramref name="rows"/> rows left in full.</summary>
    internal static void Exported(string kind, string format, long rows) =>
        ExportRows.Add(rows, new KeyValuePair<string, object?>(KindAttribute, kind), new KeyValuePair<string, object?>(FormatAttribute, format));

    /// <summary>
    /// Times one run of a scheduled job: <c>using var run = Telemetry.JobRun("reevaluation");</c>, <c>run.Outcome = "skipped"</c>
    /// where it did not run; a run left without an outcome when disposed by an exception is recorded as <c>error</c>.
    /// </summary>
    public static JobRunTimer JobRun(string job) => new(job, Stopwatch.GetTimestamp());

    /// <summary>A scheduled job's run being timed (<see cref="JobRun"/>).</summary>
    public sealed class JobRunTimer(string job, long started) : IDisposable
    {
        /// <summary><c>ok</c> (set by <see cref="Done"/>), <c>skipped</c>, <c>failed</c>; <c>error</c> when never set.</summary>
        public string Outcome { get; set; } = "error";

        /// <summary>Marks the run as completed.</summary>
        public void Done() => Outcome = "ok";

        /// <summary>Records the run.</summary>
        public void Dispose() => JobDuration.Record(Since(started),
            new KeyValuePair<string, object?>(JobAttribute, job), new KeyValuePair<string, object?>(OutcomeAttribute, Outcome));
    }
}
