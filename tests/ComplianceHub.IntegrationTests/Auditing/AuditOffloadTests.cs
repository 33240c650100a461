using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Contracts;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// The audit off-load (AU-4(1), ADR 0039) end to end: portals with the off-load on send the trail of a real database, written by
/// real commands, to a real TCP (and TLS) syslog listener that parses every frame strictly; the tests stop a sender in the middle
/// of a burst, take the collector down, and check that every sequence arrives, with duplicates only where the at-least-once
/// contract allows them, and with the fields of the stored event.
/// </summary>
public sealed class AuditOffloadTests : IAsyncLifetime
{
    private const string Destination = "siem";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);

    private TestDatabase _database = null!;
    private PortalFactory _writer = null!;
    private int _offices;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("offload");
        // Writes the changes; its own off-load is off (the default), so only the senders below send.
        _writer = new PortalFactory(_database);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task EverySequence_Arrives_AndAStopInTheMiddleOfABurst_RepeatsOnlyWhatTheCursorHadNotPassed()
    {
        await _writer.SeedDemoAsync();
        await using var listener = SyslogListener.Start();

        // Two instances behind a load balancer: one sends at a time, so with no failure every event arrives exactly once.
        await using var first = Sender(listener.Port, "portal-a");
        await using (var second = Sender(listener.Port, "portal-b"))
        {
            Start(first);
            Start(second);
            var seeded = await HeadAsync();
            Assert.True(seeded > 50, $"the demo seed made {seeded} events");
            await ArrivedAsync(listener, seeded);
            Assert.Equal(seeded, listener.Messages.Count);
            await AssertMatchTheTrailAsync(listener, seeded);
        }

        // A burst of changes; the sender is stopped (its host disposed) while it is sending them.
        var before = await HeadAsync();
        var burst = WriteAsync(200);
        await UntilAsync(() => Task.FromResult(listener.Messages.Any(m => m.Seq > before + 20)), "the sender is sending the burst");
        await first.DisposeAsync();
        var cursorAtStop = await CursorAsync();
        await burst;
        var head = await HeadAsync();
        Assert.True(cursorAtStop < head, $"the sender stopped with the burst still to send (cursor {cursorAtStop}, head {head})");

        // A new instance on the same database carries on from the cursor.
        await using var third = Sender(listener.Port, "portal-c");
        Start(third);
        await ArrivedAsync(listener, head);
        await UntilAsync(async () => await CursorAsync() == head, "the cursor reaches the head");

        var counts = listener.Messages.GroupBy(m => m.Seq).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), counts.Keys.Order());
        var repeated = counts.Where(c => c.Value > 1).Select(c => c.Key).ToList();
        Assert.All(repeated, seq => Assert.True(seq > cursorAtStop, $"sequence {seq} arrived twice, though the cursor had passed it ({cursorAtStop}) at the stop"));
        await AssertMatchTheTrailAsync(listener, head);
    }

    [Fact]
    public async Task WithTheCollectorDown_TheCursorWaits_AndNothingIsLostWhenItReturns()
    {
        await WriteAsync(5);
        await using var listener = SyslogListener.Start();
        await using var sender = Sender(listener.Port, "portal-a");
        Start(sender);
        var sent = await HeadAsync();
        await ArrivedAsync(listener, sent);

        await listener.StopAsync();
        await WriteAsync(10);
        var head = await HeadAsync();
        var status = sender.Services.GetRequiredService<AuditOffloadStatus>();
        await UntilAsync(() => Task.FromResult(status.Failing is not null), "the sender finds the collector down");
        Assert.Equal(sent, await CursorAsync());
        using (var client = sender.CreateClient())
        {
            var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
            var offload = health.GetProperty("checks").GetProperty("audit-offload");
            Assert.Equal("Degraded", offload.GetProperty("status").GetString());
            Assert.Contains($"{head - sent} events behind (sent through {sent} of {head}", offload.GetProperty("description").GetString());
        }

        listener.Restart();
        await ArrivedAsync(listener, head);
        await UntilAsync(async () => await CursorAsync() == head, "the cursor reaches the head");
        // Each arrived; the ones sent before the collector went down may arrive again (written on the connection it closed, within
        // the resend window), the ones written while it was down exactly once.
        var counts = listener.Messages.GroupBy(m => m.Seq).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Enumerable.Range(1, (int)head), seq => Assert.True(counts.ContainsKey(seq), $"sequence {seq} arrived"));
        Assert.All(Enumerable.Range((int)sent + 1, (int)(head - sent)), seq => Assert.Equal(1, counts[seq]));
        await AssertMatchTheTrailAsync(listener, head);
        await UntilAsync(() => Task.FromResult(status.Failing is null), "a batch is sent after the failure");
    }

    [Fact]
    public async Task ACollectorThatCrashesLosingWhatItHadNotSaved_GetsTheLastEventsOfTheConnectionAgain()
    {
        await WriteAsync(5);
        await using var listener = SyslogListener.Start();
        // A window longer than the test can take on a busy machine: every event of the connection counts as unconfirmed.
        await using var sender = Sender(listener.Port, "portal-a", ("ResendWindow", "00:10:00"));
        Start(sender);
        var saved = await HeadAsync();
        await ArrivedAsync(listener, saved);
        var kept = listener.Messages.Count;

        // More events arrive and the cursor passes them (the flush succeeded); then the collector crashes without saving them.
        await WriteAsync(10);
        var head = await HeadAsync();
        await ArrivedAsync(listener, head);
        await UntilAsync(async () => await CursorAsync() == head, "the cursor passes the events the collector will lose");
        await listener.CrashLosingAsync(kept);
        Assert.DoesNotContain(listener.Messages, m => m.Seq > saved);

        // With no new event, the sender finds the connection reset and sends the last ones again: nothing is missing.
        await ArrivedAsync(listener, head);
        await AssertMatchTheTrailAsync(listener, head);
        Assert.Equal(head, await CursorAsync());
    }

    [Fact]
    public async Task OverTls_TheCollectorsCertificateMustChainToTheCaFileAndNameTheServer()
    {
        await WriteAsync(5);
        using var certificate = SelfSigned("syslog.test");
        var caFile = Path.Combine(Path.GetTempPath(), "compliancehub-tests", $"{_database.Name}-ca.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(caFile)!);
        await File.WriteAllTextAsync(caFile, certificate.ExportCertificatePem());
        try
        {
            await using var listener = SyslogListener.Start(certificate);
            var head = await HeadAsync();

            // The certificate does not name the server the sender expects: refused at the handshake, nothing sent.
            await using (var wrongName = Sender(listener.Port, "portal-a", ("Tls", "true"), ("CaFile", caFile), ("ServerName", "other.test")))
            {
                Start(wrongName);
                var status = wrongName.Services.GetRequiredService<AuditOffloadStatus>();
                await UntilAsync(() => Task.FromResult(status.Failing is { What: var what } && what.Contains("TLS", StringComparison.Ordinal)),
                    "the handshake is refused");
                Assert.Empty(listener.Messages);
                Assert.Equal(0, await CursorAsync());
            }

            await using var sender = Sender(listener.Port, "portal-a", ("Tls", "true"), ("CaFile", caFile), ("ServerName", "syslog.test"));
            Start(sender);
            await ArrivedAsync(listener, head);
            await AssertMatchTheTrailAsync(listener, head);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public async Task AnEnabledOffload_WithBadSettings_StopsTheStart_AndSaysWhy()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:ComplianceHub"] = _database.AppConnectionString;
        builder.Configuration["Keys:Folder"] = PortalFactory.TestKeys.Folder;
        builder.Configuration["Scheduler:Enabled"] = "false";
        builder.Configuration[$"{AuditOffloadOptions.Section}:Enabled"] = "true";
        builder.Configuration[$"{AuditOffloadOptions.Section}:ServerName"] = "syslog.test";
        builder.Configuration[$"{AuditOffloadOptions.Section}:MaxMessageBytes"] = "100";
        builder.AddComplianceHubPortal();
        await using var app = builder.Build();
        // The host checks the settings before it starts anything (listener or background service).
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("AuditOffload:Syslog:Host is required when AuditOffload:Syslog:Enabled is true", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuditOffload:Syslog:MaxMessageBytes 100 must be 2048 to 1048576", error.Message, StringComparison.Ordinal);
        Assert.Contains("AuditOffload:Syslog:CaFile and ServerName apply to TLS only", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A portal that off-loads to the listener on <paramref name="port"/>, in small batches, polling often.</summary>
    private OffloadPortal Sender(int port, string hostName, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Enabled"] = "true",
            ["Host"] = "127.0.0.1",
            ["Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Destination"] = Destination,
            ["HostName"] = hostName,
            ["BatchSize"] = "5",
            ["PollInterval"] = "00:00:00.050",
            ["MaxRetryDelay"] = "00:00:01",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return new OffloadPortal(_database, settings);
    }

    /// <summary>Builds and starts the host (and so its background services).</summary>
    private static void Start(PortalFactory portal) => Assert.NotNull(portal.Services);

    private sealed class OffloadPortal(TestDatabase database, IReadOnlyDictionary<string, string?> settings) : PortalFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting($"{AuditOffloadOptions.Section}:{key}", value);
            }
        }
    }

    /// <summary>Real changes: <paramref name="count"/> contracting offices, each by its own command through the executor.</summary>
    private async Task WriteAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _offices);
            await using var scope = _writer.Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
                .SendAsync(Admin, new CreateContractingOffice($"ZZ{n:D4}", $"Offload test office {n}"));
            Assert.True(outcome.IsOk, outcome.Message);
        }
    }

    private async Task<long> HeadAsync()
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }

    private async Task<long> CursorAsync()
    {
        await using var db = await ContextAsync();
        return (await db.AuditOffloadCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Destination == Destination))?.LastSequence ?? 0;
    }

    private Task<ComplianceDbContext> ContextAsync() =>
        _writer.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();

    /// <summary>Waits until every sequence from 1 to <paramref name="head"/> has arrived, and nothing arrived out of form.</summary>
    private static async Task ArrivedAsync(SyslogListener listener, long head)
    {
        await UntilAsync(() => Task.FromResult(listener.Errors.Count > 0 || listener.Messages.Select(m => m.Seq).Where(s => s <= head).Distinct().Count() == head),
            $"sequences 1 to {head} arrive");
        Assert.Empty(listener.Errors);
    }

    /// <summary>Each message against the stored event of its sequence: seq, hash, type, timestamp, and the body's fields.</summary>
    private async Task AssertMatchTheTrailAsync(SyslogListener listener, long head)
    {
        Assert.Empty(listener.Errors);
        await using var db = await ContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence <= head).ToDictionaryAsync(e => e.Sequence);
        var truncated = 0;
        foreach (var message in listener.Messages.Where(m => m.Seq <= head))
        {
            var stored = events[message.Seq];
            Assert.Equal(SyslogFormat.Priority, message.Priority);
            Assert.Equal(stored.Hash, message.Hash);
            Assert.Equal(stored.EventType, message.Type);
            Assert.Equal(stored.EventType.ToString(System.Globalization.CultureInfo.InvariantCulture), message.MsgId);
            Assert.Equal(stored.Operation, message.Data["op"]);
            Assert.Equal(stored.OccurredAt.UtcDateTime, message.Timestamp.UtcDateTime);
            Assert.Equal("compliancehub", message.AppName);
            Assert.StartsWith("portal-", message.HostName, StringComparison.Ordinal);
            Assert.True(message.Bytes <= 8192, $"message {message.Seq} has {message.Bytes} bytes");
            if (message.Truncated)
            {
                truncated++;
                continue;
            }
            using var body = JsonDocument.Parse(message.Body);
            Assert.Equal(stored.Hash, body.RootElement.GetProperty("hash").GetString());
            Assert.Equal(stored.PreviousHash, body.RootElement.GetProperty("previousHash").GetString());
            Assert.Equal(stored.ActorName, body.RootElement.GetProperty("actorName").GetString());
            Assert.Equal(stored.SubjectId, body.RootElement.GetProperty("subjectId").GetString());
            // The body is the event as the chain hashes it: its hash recomputed from the body's fields is the stored hash.
            Assert.Equal(stored.Hash, AuditChain.ComputeHash(FromBody(body.RootElement)));
        }
        Assert.True(truncated < listener.Messages.Count, "some messages are whole");
    }

    /// <summary>The event a message's body describes.</summary>
    private static AuditEvent FromBody(JsonElement b)
    {
        static string? Text(JsonElement b, string name) => b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static Guid? Id(JsonElement b, string name) => Text(b, name) is { } s ? Guid.Parse(s) : null;
        return new AuditEvent
        {
            Sequence = b.GetProperty("sequence").GetInt64(),
            OccurredAt = DateTimeOffset.Parse(Text(b, "occurredAt")!, System.Globalization.CultureInfo.InvariantCulture),
            ActorUserId = Id(b, "actorUserId"),
            ActorName = Text(b, "actorName")!,
            ActorRole = Text(b, "actorRole")!,
            ActorVendorId = Id(b, "actorVendorId"),
            AuthenticationMethod = Text(b, "authenticationMethod")!,
            EventType = b.GetProperty("eventType").GetInt32(),
            Operation = Text(b, "operation")!,
            SubjectType = Text(b, "subjectType")!,
            SubjectId = Text(b, "subjectId")!,
            Changes = b.GetProperty("changes").GetRawText(),
            RuleOutcomes = b.GetProperty("ruleOutcomes").GetRawText(),
            CorrelationId = Text(b, "correlationId")!,
            SessionId = Id(b, "sessionId"),
            ApiTokenId = Id(b, "apiTokenId"),
            ClientAddress = Text(b, "clientAddress"),
            UserAgent = Text(b, "userAgent"),
            PreviousHash = Text(b, "previousHash")!,
        };
    }

    /// <summary>A self-signed server certificate for <paramref name="name"/>, which is also the CA file's only root.</summary>
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(1));
        // Through PKCS#12, so the private key is one the TLS stack can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Deadline, $"Not within {Deadline}: {what}");
            await Task.Delay(50);
        }
    }
}
