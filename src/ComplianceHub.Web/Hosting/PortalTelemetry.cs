using System.Diagnostics;
using System.Diagnostics.Metrics;
using ComplianceHub.Core.Common;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics (ADR 0043, docs/operations/observability.md), exported over OTLP only when an endpoint is
/// configured (<c>Telemetry:Otlp:Endpoint</c>, or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without one the SDK is not
/// registered at all: nothing listens to the portal's source and meter, so a span is never made and a measurement costs a branch.
/// With one, export runs on the SDK's own threads in batches: a collector that is down or slow never holds a request.
/// </summary>
public static class PortalTelemetry
{
    public const string Section = "Telemetry";

    /// <summary>The settings (docs/operations/observability.md has them all in one table).</summary>
    public sealed record Settings(Uri? Endpoint, bool FromStandardVariable, OtlpExportProtocol? Protocol, string? Headers, double SampleRatio,
        string ServiceName, string InstanceId, int MetricIntervalMs)
    {
        public static Settings Read(IConfiguration configuration)
        {
            var own = configuration[$"{Section}:Otlp:Endpoint"];
            var standard = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
            var endpoint = !string.IsNullOrWhiteSpace(own) ? own : standard;
            Uri? uri = null;
            if (!string.IsNullOrWhiteSpace(endpoint) && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            {
                throw new InvalidOperationException($"{Section}:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an http:// or https:// address, " +
                    "for example http://collector:4317. Leave it empty to export nothing.");
            }
            var protocol = (configuration[$"{Section}:Otlp:Protocol"] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"])?.Trim() switch
            {
                null or "" => (OtlpExportProtocol?)null,
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException($"{Section}:Otlp:Protocol is \"{other}\": use grpc (port 4317) or http/protobuf (port 4318)."),
            };
            var ratio = configuration.GetValue($"{Section}:Sampling:Ratio", 1.0);
            if (ratio is < 0 or > 1 || double.IsNaN(ratio))
            {
                throw new InvalidOperationException($"{Section}:Sampling:Ratio is {ratio}: give a share of traces between 0 and 1 (1 keeps every trace).");
            }
            var interval = configuration.GetValue($"{Section}:Metrics:IntervalSeconds", 60.0);
            if (interval is < 1 or > 3600)
            {
                throw new InvalidOperationException($"{Section}:Metrics:IntervalSeconds is {interval}: give between 1 and 3600 seconds (60 by default).");
            }
            return new Settings(uri, string.IsNullOrWhiteSpace(own) && uri is not null, protocol,
                configuration[$"{Section}:Otlp:Headers"],
                ratio,
                configuration[$"{Section}:ServiceName"] is { Length: > 0 } name ? name : configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } std ? std : "compliancehub",
                configuration[$"{Section}:InstanceId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}",
                (int)(interval * 1000));
        }
    }

    public static WebApplicationBuilder AddComplianceHubTelemetry(this WebApplicationBuilder builder)
    {
        // Counted always (a circuit opening or closing costs a branch when nobody collects).
        builder.Services.AddScoped<CircuitHandler, CircuitCountHandler>();
        var settings = Settings.Read(builder.Configuration);
        if (settings.Endpoint is null)
        {
            return builder;
        }
        var version = typeof(PortalTelemetry).Assembly.GetName().Version?.ToString() ?? "unknown";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(settings.ServiceName, serviceVersion: version, serviceInstanceId: settings.InstanceId, autoGenerateServiceInstanceId: false)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)]))
            .WithTracing(t => Traces(t, settings.SampleRatio).AddOtlpExporter(o => Exporter(o, settings, "v1/traces")))
            .WithMetrics(m => Metrics(m).AddOtlpExporter((o, reader) =>
            {
                Exporter(o, settings, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricIntervalMs;
            }));
        return builder;
    }

    /// <summary>What is traced: the portal's commands and gate steps, HTTP requests (without health probes, assets and the circuits' connections), SQL.</summary>
    public static TracerProviderBuilder Traces(TracerProviderBuilder tracing, double sampleRatio = 1.0) => tracing
        .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampleRatio)))
        .AddSource(Telemetry.Name)
        .AddAspNetCoreInstrumentation(o =>
        {
            o.Filter = http => Traced(http.Request.Path);
            // The path only: a query string can carry what a person typed into a search (the instrumentation redacts its
            // values; it is dropped altogether, as the request log does).
            o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
        })
        .AddNpgsql();

    /// <summary>What is measured: the portal's meter, ASP.NET Core and Kestrel, the .NET runtime, Npgsql's connection pools.</summary>
    public static MeterProviderBuilder Metrics(MeterProviderBuilder metrics) => metrics
        .AddMeter(Telemetry.Name)
        .AddAspNetCoreInstrumentation()
        .AddRuntimeInstrumentation()
        .AddNpgsqlInstrumentation();

    /// <summary>
    /// Whether a request gets a span of its own: not health probes (every few seconds from each balancer), static assets, or a
    /// circuit's connection (<c>/_blazor</c>: one request for the circuit's whole life, hours; each command a circuit sends
    /// starts a trace of its own instead — <see cref="UseComplianceHubTelemetry"/>).
    /// </summary>
    internal static bool Traced(PathString path) =>
        !(path.StartsWithSegments("/healthz") || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework")
          || path.StartsWithSegments("/_content") || Path.HasExtension(path.Value));

    /// <summary>
    /// A circuit's connection is not traced (<see cref="Traced"/>), and its commands must not be children of that untraced,
    /// hours-long request (the sampler would drop them with it): the circuit runs without a current activity, so each command
    /// starts a trace of its own, and the logs written within it carry that trace's id.
    /// </summary>
    public static WebApplication UseComplianceHubTelemetry(this WebApplication app)
    {
        if (Settings.Read(app.Configuration).Endpoint is null)
        {
            return app;
        }
        // The last batches are flushed once everything has stopped, traces and metrics at once, for at most two seconds: a collector
        // that hangs must not hold a stop for the export timeout (the providers' own disposal waits that long).
        app.Lifetime.ApplicationStopped.Register(() => Task.WaitAll(
            Task.Run(() => app.Services.GetService<TracerProvider>()?.Shutdown(FlushOnStopMs)),
            Task.Run(() => app.Services.GetService<MeterProvider>()?.Shutdown(FlushOnStopMs))));
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/_blazor"))
            {
                await next(http);
                return;
            }
            var request = Activity.Current;
            Activity.Current = null;
            try
            {
                await next(http);
            }
            finally
            {
                Activity.Current = request;
            }
        });
        return app;
    }

    private const int FlushOnStopMs = 2000;

    private static void Exporter(OtlpExporterOptions o, Settings settings, string signalPath)
    {
        if (settings.Protocol is { } protocol)
        {
            o.Protocol = protocol;
        }
        // The standard variable's endpoint is the collector's base address, and the exporter adds each signal's path for
        // http/protobuf itself; an endpoint set here gets it added the same way, so both settings mean the same thing.
        if (!settings.FromStandardVariable && settings.Endpoint is { } endpoint)
        {
            o.Endpoint = o.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath is "/" or ""
                ? new Uri(endpoint, signalPath)
                : endpoint;
        }
        if (!string.IsNullOrWhiteSpace(settings.Headers))
        {
            o.Headers = settings.Headers;
        }
    }
}

/// <summary>Counts the circuits open on this instance (<c>compliancehub.circuits.open</c>).</summary>
public sealed class CircuitCountHandler : CircuitHandler
{
    private static readonly UpDownCounter<long> Open = Telemetry.Meter.CreateUpDownCounter<long>("compliancehub.circuits.open", "{circuit}",
        "Blazor Server circuits open on this instance (each holds its user's page state in memory).");

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Open.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Open.Add(-1);
        return Task.CompletedTask;
    }
}
