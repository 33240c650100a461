using System.Net.Sockets;
using Bunit;
using ComplianceHub.Core.Data;
using ComplianceHub.Web.Components.Layout;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ComplianceHub.Web.Tests.Layout;

/// <summary>
/// What a page says when the database is away (<see cref="PageProblem"/>, in the layout's error boundary) and what every open
/// circuit is told when the server stops (<see cref="ServerRestartingBanner"/>, <see cref="ShutdownNotice"/>): ADR 0042.
/// </summary>
public sealed class DatabaseFaultNoticeTests : MudComponentTest
{
    private readonly Lifetime lifetime = new();
    private readonly ShutdownNotice notice;

    public DatabaseFaultNoticeTests()
    {
        notice = new ShutdownNotice(lifetime, NullLogger<ShutdownNotice>.Instance);
        Services.AddSingleton(notice);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "admin-shutdown", PageProblem.DatabaseRestarting },
        { "socket", PageProblem.DatabaseRestarting },
        { "nothing-changed", PageProblem.DatabaseRestarting },
        { "unknown", "The connection to the database was lost while your change was being saved, so it may or may not have been saved. Check the record before you try again." },
        { "other", "Something went wrong and this page could not finish. Try again; if it keeps happening, tell your administrator." },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void APageThatFailed_SaysWhatHappenedInWords_NeverTheException(string failure, string words)
    {
        Exception error = failure switch
        {
            "admin-shutdown" => new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown),
            "socket" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
            "nothing-changed" => new DatabaseUnavailableException(outcomeUnknown: false),
            "unknown" => new DatabaseUnavailableException(outcomeUnknown: true),
            _ => new InvalidOperationException("Sequence contains no elements at SomeQuery.cs:42"),
        };
        var retried = false;

        var cut = Render<PageProblem>(p => p.Add(x => x.Error, error).Add(x => x.OnRetry, () => retried = true));

        Assert.Equal(words, cut.Find("[data-testid=page-problem] p").TextContent.Trim());
        Assert.DoesNotContain(error.Message, cut.Markup, StringComparison.Ordinal);
        cut.Find("button").Click();
        Assert.True(retried);
    }

    [Fact]
    public async Task EveryOpenCircuit_IsToldWhenTheServerStops_AndAClosedOneIsForgotten()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var first = Render<ServerRestartingBanner>();
        var second = Render<ServerRestartingBanner>();
        Assert.Empty(first.FindAll("[data-testid=server-restarting]"));
        Assert.Equal(2, notice.Circuits);

        lifetime.StopApplication();

        foreach (var circuit in new[] { first, second })
        {
            circuit.WaitForAssertion(() => Assert.Equal(ShutdownNotice.Message, circuit.Find("[data-testid=server-restarting]").TextContent.Trim()));
        }
        Assert.True(notice.Stopping);
        await DisposeComponentsAsync();
        Assert.Equal(0, notice.Circuits);
    }

    [Fact]
    public void APagePrerenderedWhileTheServerStops_ShowsTheBanner_AndAStaticRenderRegistersNothing()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Assert.Empty(Render<ServerRestartingBanner>().FindAll("[data-testid=server-restarting]"));
        Assert.Equal(0, notice.Circuits);

        notice.TellAll();

        Assert.Single(Render<ServerRestartingBanner>().FindAll("[data-testid=server-restarting]"));
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopping.Cancel();
    }
}
