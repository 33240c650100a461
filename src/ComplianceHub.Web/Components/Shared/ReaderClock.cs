using System.Globalization;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// The reader's time zone, for showing times as the reader lives them (UTC on hover and in exports). The browser reports
/// its zone in the <c>ch_tz</c> cookie (wwwroot/js/app.js); <c>App.razor</c> reads it while rendering the page and hands it
/// to the circuit through <c>Routes</c>. Without it (the very first page, an old browser) times are shown in UTC, labelled so.
/// </summary>
public sealed class ReaderClock
{
    /// <summary>The cookie the browser writes its IANA zone name into.</summary>
    public const string CookieName = "ch_tz";

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Takes the zone the browser reported; an unknown or malformed name keeps UTC.</summary>
    public void Use(string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId) || zoneId.Length > 64)
        {
            return;
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            Zone = zone;
        }
    }

    public bool IsUtc => Zone.BaseUtcOffset == TimeSpan.Zero && !Zone.SupportsDaylightSavingTime;

    /// <summary>The moment in the reader's zone.</summary>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"2026-12-06 12:49" in the reader's zone, with the zone's offset unless the reader is on UTC ("UTC−05:00").</summary>
    public string Format(DateTimeOffset at, bool seconds = false)
    {
        var local = Local(at);
        var text = local.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"{text} {Offset(local.Offset)}";
    }

    /// <summary>"2026-12-06 17:49:40 UTC": what the hover shows and what exports carry.</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The hover text: the moment in UTC and the zone it was converted to.</summary>
    public string Hover(DateTimeOffset at) => IsUtc ? Utc(at) : $"{Utc(at)} (shown in your time zone, {Zone.Id})";

    private static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var d = offset.Duration();
        var hours = d.Minutes == 0 ? d.Hours.ToString(CultureInfo.InvariantCulture) : $"{d.Hours}:{d.Minutes:00}";
        return "UTC" + (offset < TimeSpan.Zero ? "−" : "+") + hours;
    }
}
