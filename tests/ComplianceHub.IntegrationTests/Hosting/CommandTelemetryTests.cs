using System.Diagnostics;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Web.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ComplianceHub.IntegrationTests.Hosting;

/// <summary>
/// The portal's traces and metrics (ADR 0043) for real commands through the production executor on PostgreSQL, exported to memory
/// with the portal's own choice of sources and meters (<see cref="PortalTelemetry.Traces"/>, <see cref="PortalTelemetry.Metrics"/>):
/// a span per command with a child per gate step, the gate and chain-lock histograms, the counters — and no personal data anywhere.
/// </summary>
public sealed class CommandTelemetryTests() : CommandPortalTest("otel")
{
    // What must never leave in telemetry: the person's name, e-mail and employee id (citizenships are checked by the rule ids only).
    private const string Name = "Zebulon Quartermaine-Otelby";
    private const string Email = "zebulon.quartermaine@otel.example";
    private const string RefusedName = "Ximena Ravensworth-Otelby";
    private const string RefusedEmail = "ximena.ravensworth@otel.example";

    private static readonly ActivitySource TestSource = new("ComplianceHub.Tests.Telemetry");

    private Guid person;
    private Guid dualNational;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US", name: Name, email: Email);
        dualNational = await AddPersonAsync("US,CN", birth: "CN", name: RefusedName, email: RefusedEmail);
    }

    private RequestGrant Request(Guid who) =>
        new(who, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), $"Operations support for {Name}");

    [Fact]
    public async Task ACommand_IsASpanWithAChildPerGateStep_AndItsDurationAndChainLockWaitAreRecorded_WithoutPersonalData()
    {
        var spans = new LockedList<Activity>();
        var metrics = new List<MetricSnapshot>();
        using (var tracing = PortalTelemetry.Traces(Sdk.CreateTracerProviderBuilder()).AddSource(TestSource.Name).AddInMemoryExporter(spans).Build())
        using (var meters = PortalTelemetry.Metrics(Sdk.CreateMeterProviderBuilder()).AddInMemoryExporter(metrics).Build())
        {
            ActivityTraceId trace;
            using (var root = TestSource.StartActivity("test"))
            {
                trace = root!.TraceId;
                var granted = await SendAsync(Co1, Request(person));
                Assert.True(granted.IsOk, granted.Message);
                var refused = await SendAsync(Co1, Request(dualNational));
                Assert.Equal(OutcomeKind.Refused, refused.Kind);
                var imported = await SendAsync(AcmeRep, new ImportRoster(Core.Data.Seeding.DemoSeeder.AcmeId, "otel.csv", RosterFileOf(3), DryRun: false));
                Assert.True(imported.IsOk, imported.Message);
            }
            tracing.ForceFlush();
            metrics.Clear();
            meters.ForceFlush();

            // Spans of other test classes running meanwhile are in the list too: this test's are those of its trace.
            var mine = spans.Snapshot().Where(s => s.TraceId == trace).ToList();
            var commands = mine.Where(s => s.Source.Name == Telemetry.Name && s.DisplayName == "command request-grant").ToList();
            Assert.Equal(2, commands.Count);
            var ok = Assert.Single(commands, c => Tag(c, Telemetry.OutcomeAttribute) == "ok");
            Assert.Equal("request-grant", Tag(ok, Telemetry.CommandAttribute));
            var no = Assert.Single(commands, c => Tag(c, Telemetry.OutcomeAttribute) == "refused");
            Assert.Contains("CIT-COVERED", (string[])no.GetTagItem(Telemetry.RuleIdsAttribute)!);

            // A child per gate step that ran, each named by its step; the refusing step says so.
            var steps = mine.Where(s => s.ParentSpanId == ok.SpanId && s.DisplayName.StartsWith("gate ", StringComparison.Ordinal)).ToList();
            Assert.Contains(steps, s => Tag(s, Telemetry.StepAttribute) == "GrantDecisionStep");
            Assert.Contains(steps, s => Tag(s, Telemetry.StepAttribute) == "ReceiptStep");
            Assert.All(steps, s => Assert.Equal("gate " + Tag(s, Telemetry.StepAttribute), s.DisplayName));
            Assert.Equal(steps.Count, steps.Select(s => Tag(s, Telemetry.StepAttribute)).Distinct().Count()); // one span per step
            var refusingStep = Assert.Single(mine, s => s.ParentSpanId == no.SpanId && Tag(s, Telemetry.StepAttribute) == "GrantDecisionStep");
            Assert.Equal("refused", Tag(refusingStep, Telemetry.OutcomeAttribute));
            // The SQL of the change is traced within the command (Npgsql).
            Assert.Contains(mine, s => s.Source.Name == "Npgsql");

            var duration = Points(metrics, "compliancehub.gate.duration");
            Assert.Contains(duration, p => Has(p, "request-grant", "ok") && p.GetHistogramCount() >= 1 && p.GetHistogramSum() > 0);
            Assert.Contains(duration, p => Has(p, "request-grant", "refused") && p.GetHistogramCount() >= 1);
            Assert.Contains(Points(metrics, "compliancehub.gate.step.duration"),
                p => Tags(p).Contains(new(Telemetry.StepAttribute, "GrantDecisionStep")) && p.GetHistogramCount() >= 2);
            // The grant's append and the refusal's append (recorded under the command's operation) each asked for the chain lock.
            Assert.Contains(Points(metrics, "compliancehub.chain_lock.wait"),
                p => Tags(p).Contains(new(Telemetry.CommandAttribute, "request-grant")) && p.GetHistogramCount() >= 2 && p.GetHistogramSum() > 0);
            Assert.Contains(Points(metrics, "compliancehub.commands.committed"),
                p => Tags(p).Contains(new(Telemetry.CommandAttribute, "request-grant")) && p.GetSumLong() >= 1);
            Assert.Contains(Points(metrics, "compliancehub.commands.refused"),
                p => Tags(p).Contains(new(Telemetry.CommandAttribute, "request-grant")) && p.GetSumLong() >= 1);

            // The import's rows and its chunk (three rows: one chunk) are counted.
            Assert.Contains(Points(metrics, "compliancehub.import.rows"), p => Tags(p).Contains(new(Telemetry.KindAttribute, "roster")) && p.GetSumLong() >= 3);
            Assert.Contains(Points(metrics, "compliancehub.import.chunks"), p => Tags(p).Contains(new(Telemetry.KindAttribute, "roster")) && p.GetSumLong() >= 1);
            Assert.Contains(mine, s => s.DisplayName == "command import-roster" && Tag(s, Telemetry.OutcomeAttribute) == "ok");

            // Nothing exported carries the people's names or e-mails: no span name, attribute or event, no metric attribute.
            var exported = mine.SelectMany(s => new[] { s.DisplayName }
                    .Concat(s.TagObjects.Select(t => $"{t.Key}={Text(t.Value)}"))
                    .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={Text(t.Value)}"))))
                .Concat(metrics.SelectMany(m => m.MetricPoints.SelectMany(p => Tags(p).Select(t => $"{m.Name} {t.Key}={Text(t.Value)}"))))
                .ToList();
            Assert.NotEmpty(exported);
            foreach (var secret in new[] { Name, Email, RefusedName, RefusedEmail, "Zebulon", "Ximena", "Ophelia", "otel.example", "Importwright" })
            {
                Assert.DoesNotContain(exported, e => e.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    /// <summary>A roster file of <paramref name="count"/> new people, named and e-mailed so that a leak would be found.</summary>
    private static byte[] RosterFileOf(int count)
    {
        var text = new System.Text.StringBuilder(string.Join(',', Core.Features.Personnel.RosterFile.Columns)).Append('\n');
        for (var i = 1; i <= count; i++)
        {
            text.Append($"OTEL{i:D4},Ophelia Importwright-Otelby {i},ophelia{i}@otel.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key) as string;

    private static string Text(object? value) => value is System.Collections.IEnumerable list and not string
        ? string.Join(",", list.Cast<object?>())
        : value?.ToString() ?? "";

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name)
    {
        var points = metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();
        Assert.True(points.Count > 0, $"{name} was not recorded");
        return points;
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }
        return tags;
    }

    private static bool Has(MetricPoint point, string command, string outcome) =>
        Tags(point) is var tags && tags.Contains(new(Telemetry.CommandAttribute, command)) && tags.Contains(new(Telemetry.OutcomeAttribute, outcome));
}

/// <summary>
/// A list the exporter adds to from whichever thread ends a span (other test classes' spans too, while they run): added to and
/// read under a lock.
/// </summary>
internal sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> items = [];

    public List<T> Snapshot()
    {
        lock (items)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
        }
    }

    public void Clear()
    {
        lock (items)
        {
            items.Clear();
        }
    }

    public int Count => Snapshot().Count;
    public bool IsReadOnly => false;
    public bool Contains(T item) => Snapshot().Contains(item);
    public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);
    public bool Remove(T item)
    {
        lock (items)
        {
            return items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
