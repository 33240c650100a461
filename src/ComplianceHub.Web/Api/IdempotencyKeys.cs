using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common.Idempotency;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The <c>Idempotency-Key</c> request header on API writes (IETF draft "The Idempotency-Key HTTP Header Field", ADR 0041).
/// A key is the caller's own (its account's) and names one request: method, path with query, and the body's SHA-256.
/// <list type="number">
/// <item>The key is claimed before the request runs (<see cref="IdempotencyStore.ClaimAsync"/>); while another request with it runs: 409 with Retry-After.</item>
/// <item>The command that changes data marks the key applied in its own transaction (<see cref="Core.Common.CommandExecutor"/> reads
/// <see cref="IdempotencyScope"/>), with the change's audit sequence: the change and the mark commit together.</item>
/// <item>The response is stored when it is produced (status, content type, Location, body — never cookies or other headers)
/// and replayed to a retry with <c>Idempotency-Replayed: true</c>. A key whose change committed but whose response was not kept
/// is answered with 409 naming the change, and is never run again.</item>
/// <item>A request that changed nothing and failed in a way a retry may fix (5xx, 503 while the database is down, 408, 409, 429)
/// gives its key up, so the retry runs. Other 4xx answers (invalid input, refusals, not found) are stored and replayed, as the draft allows.</item>
/// </list>
/// </summary>
internal static partial class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";
    public const int MaxLength = 255;

    public const string ConflictDescription =
        "a request with this Idempotency-Key is still running (retry after Retry-After seconds), or it was applied and its response is not kept (not applied again)";

    public const string MismatchDescription = "this Idempotency-Key was used for a different request (method, path or body); nothing was done";

    /// <summary>Seconds a client is told to wait while the first request with its key runs.</summary>
    private const int InFlightRetryAfterSeconds = 2;

    public static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api/v1") || !IsWrite(request.Method) || !request.Headers.TryGetValue(Header, out var values)
            || Actor.FromPrincipal(http.User) is not { } actor || actor.UserId == Guid.Empty)
        {
            // No key, or no caller to keep it for (a sign-in; an unauthenticated request is answered 401 further on).
            await next(http);
            return;
        }
        if (Parse(values) is not { } key)
        {
            await Problem(http, StatusCodes.Status400BadRequest, "Idempotency-Key not valid",
                $"Send one Idempotency-Key header of 1 to {MaxLength} characters (for example a new UUID per request); this one is " +
                (values.Count > 1 ? "sent more than once." : "empty or too long."));
            return;
        }
        await new Run(http, next, actor, key).ExecuteAsync();
    });

    /// <summary>The key of the header (an sf-string per the draft, its quotes optional), or null when empty, too long or repeated.</summary>
    private static string? Parse(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1)
        {
            return null;
        }
        var raw = values[0]!.Trim();
        if (raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"')
        {
            raw = raw[1..^1];
        }
        return raw.Length is 0 or > MaxLength ? null : raw;
    }

    private static Task Problem(HttpContext http, int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail, statusCode: status, title: title, extensions: extensions).ExecuteAsync(http);

    /// <summary>One request with a key: claim, run (the claim renewed meanwhile), then store, replay or release.</summary>
    private sealed class Run(HttpContext http, RequestDelegate next, Actor actor, string key)
    {
        private readonly IdempotencyStore store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        private readonly IdempotencyOptions options = http.RequestServices.GetRequiredService<IOptions<IdempotencyOptions>>().Value;
        private readonly ILogger logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdempotencyKeys));

        public async Task ExecuteAsync()
        {
            string fingerprint;
            try
            {
                fingerprint = await FingerprintAsync();
            }
            catch (BadHttpRequestException bad)
            {
                await Problem(http, bad.StatusCode, "The request body could not be read", bad.Message);
                return;
            }
            var path = http.Request.Path + http.Request.QueryString;
            var claim = await store.ClaimAsync(actor.UserId, key, fingerprint, http.Request.Method, Truncate(path, 2048), http.RequestAborted);
            switch (claim)
            {
                case ClaimResult.Claimed claimed:
                    await RunClaimedAsync(new IdempotencyScope(actor.UserId, key, claimed.Token));
                    return;
                case ClaimResult.Stored stored:
                    await ReplayAsync(stored);
                    return;
                case ClaimResult.InFlight:
                    http.Response.Headers.RetryAfter = InFlightRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await Problem(http, StatusCodes.Status409Conflict, "This request is still being processed",
                        "A request with this Idempotency-Key is being processed now. Wait a moment and send it again with the same key: " +
                        "you will get its response, and it will not be applied twice.", new Dictionary<string, object?> { ["inProgress"] = true });
                    return;
                case ClaimResult.Mismatch mismatch:
                    await Problem(http, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key used for a different request",
                        $"This Idempotency-Key was used for a different request ({mismatch.Method} {mismatch.Path}, or the same path with another body); " +
                        $"nothing was done. Use a new key for a new request: a key is kept for {Hours(options.Lifetime)} after its first use.");
                    return;
                case ClaimResult.AppliedWithoutResponse applied:
                    await AppliedAsync(applied);
                    return;
            }
        }

        /// <summary>SHA-256 of method, path with query and the body's SHA-256; the body is buffered (to disk past 64 KB) and rewound for the endpoint.</summary>
        private async Task<string> FingerprintAsync()
        {
            var request = http.Request;
            request.EnableBuffering(bufferThreshold: 64 * 1024);
            using var body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81_920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                body.AppendData(buffer, 0, read);
            }
            request.Body.Position = 0;
            var text = $"{request.Method.ToUpperInvariant()}\n{request.Path}{request.QueryString}\n{Convert.ToHexStringLower(body.GetCurrentHash())}";
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        private async Task RunClaimedAsync(IdempotencyScope scope)
        {
            var original = http.Response.Body;
            var capture = new CapturingStream(original, options.MaxStoredResponseBytes);
            http.Response.Body = capture;
            using var renewing = new CancellationTokenSource();
            var renewal = RenewAsync(scope, renewing.Token);
            try
            {
                using (IdempotencyScope.Begin(scope))
                {
                    await next(http);
                }
            }
            catch
            {
                await StopAsync(renewing, renewal);
                if (!scope.Committed)
                {
                    await ReleaseQuietlyAsync(scope);
                }
                throw;
            }
            finally
            {
                http.Response.Body = original;
            }
            await StopAsync(renewing, renewal);
            var status = http.Response.StatusCode;
            if (!scope.Committed && (status >= 500 || status is StatusCodes.Status408RequestTimeout or StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests))
            {
                // Nothing was applied and a retry may succeed: give the key up. (A commit whose acknowledgement was lost left the key
                // marked applied, and the release, which only deletes an unapplied key, leaves it so.)
                await ReleaseQuietlyAsync(scope);
                return;
            }
            if (scope.Committed && status >= 500)
            {
                return; // the change exists; a retry is told so rather than shown this failure
            }
            if (!scope.Committed && capture.Captured is null)
            {
                // Too large to keep, and nothing was applied (a dry run's report, a refused file's): the retry may simply run again.
                await ReleaseQuietlyAsync(scope);
                return;
            }
            try
            {
                await store.StoreResponseAsync(scope, status, http.Response.ContentType, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                    capture.Captured, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The change (if any) is marked applied; a retry is told so. Without a change the claim lapses after its lease.
                logger.LogWarning(e, "The response to a request with an Idempotency-Key was not stored");
            }
        }

        private async Task RenewAsync(IdempotencyScope scope, CancellationToken ct)
        {
            var every = options.ClaimLease / 3;
            try
            {
                while (true)
                {
                    await Task.Delay(every, ct);
                    try
                    {
                        await store.RenewAsync(scope, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogDebug(e, "An idempotency claim was not renewed");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the request ended
            }
        }

        private static async Task StopAsync(CancellationTokenSource renewing, Task renewal)
        {
            if (!renewing.IsCancellationRequested)
            {
                await renewing.CancelAsync();
                await renewal;
            }
        }

        private async Task ReleaseQuietlyAsync(IdempotencyScope scope)
        {
            try
            {
                await store.ReleaseAsync(scope, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "An Idempotency-Key was not released; a retry may run once its claim lapses");
            }
        }

        private async Task ReplayAsync(ClaimResult.Stored stored)
        {
            var response = http.Response;
            response.StatusCode = stored.Status;
            response.Headers[ReplayedHeader] = "true";
            if (stored.Location is not null)
            {
                response.Headers.Location = stored.Location;
            }
            if (stored.ContentType is not null)
            {
                response.ContentType = stored.ContentType;
            }
            if (stored.Body.Length > 0)
            {
                response.ContentLength = stored.Body.Length;
                await response.Body.WriteAsync(stored.Body, http.RequestAborted);
            }
        }

        private Task AppliedAsync(ClaimResult.AppliedWithoutResponse applied)
        {
            var when = applied.AppliedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            var detail = new StringBuilder($"The request with this Idempotency-Key was applied on {when}");
            detail.Append(applied.AuditSequence is { } sequence ? $" (audit event {sequence.ToString(CultureInfo.InvariantCulture)})" : "");
            detail.Append(applied.Status is { } status && status >= 500
                ? ", but it failed after its change was saved, so its response is not kept."
                : applied.Status is not null ? ", and its response was too large to keep." : ", but its response was not kept (the portal stopped before storing it).");
            detail.Append(" It was not applied again. ");
            detail.Append(applied.Location is { } location ? $"Read {location} to see the result." : "Read the resource to see its current state.");
            if (applied.Location is not null)
            {
                http.Response.Headers.Location = applied.Location;
            }
            return Problem(http, StatusCodes.Status409Conflict, "This request was already applied", detail.ToString(), new Dictionary<string, object?>
            {
                ["applied"] = true, ["appliedAt"] = applied.AppliedAt, ["auditSequence"] = applied.AuditSequence, ["location"] = applied.Location,
            });
        }

        private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

        private static string Hours(TimeSpan span) =>
            span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours" : $"{span.TotalMinutes:0} minutes";
    }

    /// <summary>Writes through to the response and keeps a copy of the first bytes, up to a maximum (beyond it, nothing is kept).</summary>
    private sealed class CapturingStream(Stream inner, int max) : Stream
    {
        private MemoryStream? copy = new();

        /// <summary>The whole body, or null when it was larger than the maximum.</summary>
        public byte[]? Captured => copy?.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (copy is null)
            {
                return;
            }
            if (copy.Length + buffer.Length > max)
            {
                copy = null;
                return;
            }
            copy.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
