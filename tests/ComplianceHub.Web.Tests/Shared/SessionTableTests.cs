using Bunit;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>The sessions list: words for how and why, the viewer's own session marked and never offered for ending.</summary>
public sealed class SessionTableTests : MudComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 30, 0, TimeSpan.Zero);

    private static SessionView Session(string method, bool open, string? reason = null) => new(Guid.NewGuid(), method, At,
        At.AddHours(12), "10.0.0.7", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        open ? null : At.AddHours(1), reason, open);

    [Fact]
    public void OpenSessions_OfferEnd_ButNotTheCurrentOne_AndEndedOnesSayWhy()
    {
        var current = Session("password", open: true);
        var other = Session("bearer", open: true);
        var ended = Session("password", open: false, SessionEndReasons.EndedByAdministrator);
        SessionView? endRequested = null;

        var cut = Render<SessionTable>(p => p
            .Add(x => x.Sessions, [current, other, ended])
            .Add(x => x.CurrentSessionId, current.Id)
            .Add(x => x.OnEnd, s => endRequested = s));

        var rows = cut.FindAll("[data-testid=session-row]");
        Assert.Equal(3, rows.Count);
        Assert.Contains("This session", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Sign-in form", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Empty(rows[0].QuerySelectorAll("button"));
        Assert.Contains("API bearer token", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-12-05 21:30 UTC at the latest", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Ended by an administrator", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Empty(rows[2].QuerySelectorAll("button"));
        Assert.DoesNotContain("bearer", cut.Markup.Replace("API bearer token", "", StringComparison.Ordinal), StringComparison.Ordinal);

        rows[1].QuerySelector("button")!.Click();
        Assert.Equal(other.Id, endRequested?.Id);
    }

    [Fact]
    public void WithoutAnEndHandler_ThereIsNoActionColumn()
    {
        var cut = Render<SessionTable>(p => p.Add(x => x.Sessions, [Session("password", open: true)]));

        Assert.Empty(cut.FindAll("button"));
        Assert.Equal(4, cut.FindAll("th").Count);
        Assert.Contains("10.0.0.7", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("…", cut.Find("[data-testid=session-row] .mud-typography-caption").TextContent, StringComparison.Ordinal);
    }
}
