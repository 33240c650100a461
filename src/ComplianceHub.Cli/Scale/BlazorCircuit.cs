using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// One Blazor Server circuit opened the way blazor.web.js (.NET 10) opens one, without a browser: the page is fetched (its
/// prerendered HTML carries the server component markers and the persisted state), the <c>/_blazor</c> hub is connected with
/// the "blazorpack" MessagePack protocol, <c>StartCircuit</c> then <c>UpdateRootComponents</c> add the page's root components,
/// every render batch is acknowledged (<c>OnRenderCompleted</c>) and every JS call answered with success and no value. Render
/// batches are read only for what a click needs: the event handler id of a button, found by its <c>aria-label</c>.
/// </summary>
internal sealed partial class BlazorCircuit : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly RenderedTree tree = new();
    private readonly Dictionary<long, TaskCompletionSource<bool>> pendingCalls = [];
    private readonly Lock gate = new();
    private long rendererInterop = -1;
    private long nextCallId;
    private long batches;
    private long lastBatchTicks;
    private TaskCompletionSource batchArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BlazorCircuit(HubConnection connection) => this.connection = connection;

    /// <summary>The last error the server reported to this circuit (<c>JS.Error</c>), if any.</summary>
    public string? Error { get; private set; }

    public long RenderBatches => Interlocked.Read(ref batches);

    /// <summary>
    /// Looks for <paramref name="text"/> in every render batch from now on (a batch carries its strings as UTF-8):
    /// <see cref="SawWatchedText"/> says whether one has.
    /// </summary>
    public void Watch(string text) => watched = System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Whether a render batch since <see cref="Watch"/> carried the watched text.</summary>
    public bool SawWatchedText { get; private set; }

    private byte[]? watched;

    /// <summary>Whether the circuit's connection is still open (it closes when the portal instance holding it dies).</summary>
    public bool IsConnected => connection.State == HubConnectionState.Connected;

    /// <summary>Opens a circuit on <paramref name="path"/> and waits until its renders have stopped for <paramref name="quiet"/>.</summary>
    public static async Task<BlazorCircuit> OpenAsync(HttpClient http, CookieContainer cookies, string path, TimeSpan quiet, CancellationToken ct)
    {
        var page = new Uri(http.BaseAddress!, path);
        var html = await http.GetStringAsync(page, ct);
        var markers = ServerMarkers(html);
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server components (not signed in?)");
        }
        var state = StatePattern().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(http.BaseAddress!, "_blazor"), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
            });
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        var circuit = new BlazorCircuit(builder.Build());
        circuit.Listen();
        try
        {
            await circuit.connection.StartAsync(ct);
            _ = await circuit.connection.InvokeAsync<string?>("StartCircuit", http.BaseAddress!.ToString(), page.ToString(), "[]", state, ct)
                ?? throw new InvalidOperationException($"the portal refused to start a circuit on {path}: {circuit.Error}");
            var operations = new JsonObject
            {
                ["batchId"] = 1,
                ["operations"] = new JsonArray(markers.Select((marker, i) =>
                {
                    marker["uniqueId"] = i;
                    return (JsonNode)new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker };
                }).ToArray()),
            };
            await circuit.connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, ct);
            await circuit.QuietAsync(quiet, ct);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync(); // a circuit that failed to open does not stay open on the server
            throw;
        }
    }

    /// <summary>Waits until a render batch has arrived and none has for <paramref name="quiet"/>.</summary>
    public async Task QuietAsync(TimeSpan quiet, CancellationToken ct)
    {
        while (RenderBatches == 0 || Stopwatch.GetElapsedTime(Interlocked.Read(ref lastBatchTicks)) < quiet)
        {
            if (Error is { } error)
            {
                throw new InvalidOperationException("the circuit failed: " + error);
            }
            await Task.Delay(quiet / 5, ct);
        }
    }

    /// <summary>Whether a button with this accessible name (<c>aria-label</c>) and a click handler has been rendered.</summary>
    public bool HasButton(string label)
    {
        lock (gate)
        {
            return tree.ClickHandler(label) is not null;
        }
    }

    /// <summary>
    /// Clicks the button named <paramref name="label"/> as the browser does (<c>DispatchEventAsync</c> on the renderer's interop
    /// object) and returns the round trip: until the handler's completion has come back and a render batch sent after the click has arrived.
    /// </summary>
    public async Task<TimeSpan> ClickAsync(string label, CancellationToken ct)
    {
        ulong handler;
        TaskCompletionSource<bool> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        long callId;
        Task rendered;
        lock (gate)
        {
            if (tree.ClickHandler(label) is not { } found || rendererInterop < 0)
            {
                throw new InvalidOperationException($"no button '{label}' rendered on this circuit");
            }
            handler = found;
            callId = ++nextCallId;
            pendingCalls[callId] = done;
            rendered = (batchArrived = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        var args = string.Create(CultureInfo.InvariantCulture,
            $"[{{\"eventHandlerId\":{handler},\"eventName\":\"click\",\"eventFieldInfo\":null}},{{\"type\":\"click\",\"detail\":1,\"button\":0,\"buttons\":0,\"clientX\":10,\"clientY\":10,\"screenX\":10,\"screenY\":10,\"offsetX\":1,\"offsetY\":1,\"pageX\":10,\"pageY\":10,\"movementX\":0,\"movementY\":0,\"ctrlKey\":false,\"shiftKey\":false,\"altKey\":false,\"metaKey\":false}}]");
        var watch = Stopwatch.StartNew();
        await connection.SendAsync("BeginInvokeDotNetFromJS", callId.ToString(CultureInfo.InvariantCulture), null, "DispatchEventAsync", rendererInterop, args, ct);
        if (!await done.Task.WaitAsync(ct))
        {
            throw new InvalidOperationException($"the click on '{label}' failed on the server: {Error}");
        }
        await rendered.WaitAsync(ct);
        return watch.Elapsed;
    }

    private void Listen()
    {
        connection.On<long, byte[]>("JS.RenderBatch", (batchId, data) =>
        {
            lock (gate)
            {
                tree.Apply(data);
            }
            if (watched is { } text && data.AsSpan().IndexOf(text) >= 0)
            {
                SawWatchedText = true;
            }
            Interlocked.Exchange(ref lastBatchTicks, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref batches);
            lock (gate)
            {
                batchArrived.TrySetResult();
            }
            return connection.SendAsync("OnRenderCompleted", batchId, null);
        });
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", (handle, identifier, argsJson, _, _, _) =>
        {
            if (identifier == "Blazor._internal.attachWebRendererInterop" && JsonNode.Parse(argsJson) is JsonArray { Count: > 1 } a
                && a[1]?["__dotNetObject"]?.GetValue<long>() is { } interop)
            {
                Interlocked.Exchange(ref rendererInterop, interop);
            }
            // Every JS call succeeds with no value: there is no DOM here, and the measure is the server's.
            return handle == 0 ? Task.CompletedTask
                : connection.SendAsync("EndInvokeJSFromDotNet", handle, true, string.Create(CultureInfo.InvariantCulture, $"[{handle},true,null]"));
        });
        connection.On<string, bool, string>("JS.EndInvokeDotNet", (callId, success, result) =>
        {
            TaskCompletionSource<bool>? pending;
            lock (gate)
            {
                pendingCalls.Remove(long.Parse(callId, CultureInfo.InvariantCulture), out pending);
            }
            if (!success)
            {
                Error = result;
            }
            pending?.TrySetResult(success);
        });
        connection.On<string>("JS.Error", error => Error = error);
        connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        connection.On<int, string>("JS.AttachComponent", (_, _) => { });
    }

    /// <summary>The server component markers of the page (<c>&lt;!--Blazor:{"type":"server",...}--&gt;</c>), in document order.</summary>
    private static List<JsonObject> ServerMarkers(string html) =>
        MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value) as JsonObject)
            .Where(o => o?["type"]?.GetValue<string>() == "server")
            .Select(o => o!)
            .ToList();

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex StatePattern();

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    /// <summary>MessagePack under the name blazor.web.js gives it: the portal's hub accepts "blazorpack", not "messagepack".</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol inner = new();
        public string Name => "blazorpack";
        public int Version => inner.Version;
        public TransferFormat TransferFormat => TransferFormat.Binary;
        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);
        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);
        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    }
}
