using Bunit;
using ComplianceHub.Core.Domain;
using ComplianceHub.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>Times in the reader's zone with UTC on hover; enum values in words.</summary>
public sealed class WhenTests : MudComponentTest
{
    private static readonly DateTimeOffset Moment = new(2026, 12, 6, 17, 49, 40, TimeSpan.Zero);

    private readonly ReaderClock clock = new();

    public WhenTests() => Services.AddSingleton(clock);

    [Fact]
    public void InNewYork_ShowsLocalTimeWithOffset_AndUtcOnHover()
    {
        clock.Use("America/New_York");
        var time = Render<When>(p => p.Add(c => c.At, Moment)).Find("time");
        Assert.Equal("2026-12-06 12:49 UTC−5", time.TextContent);
        Assert.Equal("2026-12-06 17:49:40 UTC (shown in your time zone, America/New_York)", time.GetAttribute("title"));
        Assert.Equal("2026-12-06T17:49:40Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void InKolkata_ShowsHalfHourOffsets()
    {
        clock.Use("Asia/Kolkata");
        Assert.Equal("2026-12-06 23:19:40 UTC+5:30", Render<When>(p => p.Add(c => c.At, Moment).Add(c => c.Seconds, true)).Find("time").TextContent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    public void WithoutAKnownZone_ShowsUtc(string? zone)
    {
        clock.Use(zone);
        var time = Render<When>(p => p.Add(c => c.At, Moment)).Find("time");
        Assert.Equal("2026-12-06 17:49 UTC", time.TextContent);
        Assert.Equal("2026-12-06 17:49:40 UTC", time.GetAttribute("title"));
    }

    [Fact]
    public void WithoutAMoment_ShowsTheEmptyText() =>
        Assert.Equal("never", Render<When>(p => p.Add(c => c.At, null).Add(c => c.Empty, "never")).Markup.Trim().Replace("<span>", "").Replace("</span>", ""));

    [Fact]
    public void Say_WordsAnEnum() =>
        Assert.Equal("Non-privileged", Render<Say>(p => p.Add(c => c.Value, AccessType.NonPrivileged)).Markup.Trim());
}
