using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Systems;
using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Components.Pages.Access;

public partial class AccessOnDayPage
{
    [SupplyParameterFromQuery(Name = "system")] public string? SystemParameter { get; set; }
    [SupplyParameterFromQuery(Name = "date")] public string? DateParameter { get; set; }
    [SupplyParameterFromQuery(Name = "time")] public string? TimeParameter { get; set; }

    private IReadOnlyList<SystemView> systems = [];
    private Guid? systemId;
    private DateOnly day;
    private TimeOnly? time;
    private string? timeError;
    private bool missing;
    private bool onlyFailing;
    private SystemAccessPage? summary;
    private MudTable<AccessHolder>? table;

    private DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private AccessWindow Window => time is { } t
        ? AccessWindow.AtInstant(new DateTimeOffset(day.ToDateTime(t), TimeSpan.Zero))
        : AccessWindow.OfDay(day);

    private string SpanLabel => summary is { } s ? SpanText(s.Header.Window) : "";

    private SystemView? SelectedSystem => systems.FirstOrDefault(s => s.Id == systemId);

    /// <summary>The first page read while prerendering, handed to the interactive render so a large system is not read twice.</summary>
    private sealed record FirstRead(string Key, SystemAccessPage? Result);

    private const string FirstReadKey = "access-first-page";
    private FirstRead? firstRead;
    private PersistingComponentStateSubscription persisting;

    protected override async Task OnInitializedAsync()
    {
        persisting = PageState.RegisterOnPersisting(() =>
        {
            if (firstRead is not null)
            {
                PageState.PersistAsJson(FirstReadKey, firstRead);
            }
            return Task.CompletedTask;
        });
        systems = await Vendors.SystemsAsync();
    }

    public void Dispose() => persisting.Dispose();

    protected override async Task OnParametersSetAsync()
    {
        var nextSystem = Guid.TryParse(SystemParameter, out var s) ? s : (Guid?)null;
        var nextDay = DateOnly.TryParseExact(DateParameter, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Today;
        var nextTime = TimeOnly.TryParseExact(TimeParameter, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : (TimeOnly?)null;
        if (nextSystem == systemId && nextDay == day && nextTime == time && (summary is not null || systemId is null || missing))
        {
            return;
        }
        // The table exists already only when a system was shown; a new one loads itself when it first renders.
        var shown = systemId is not null && !missing;
        (systemId, day, time, summary, missing) = (nextSystem, nextDay, nextTime, null, false);
        if (systemId is { } id)
        {
            // The first page is read here, so the heading and totals are in the first response (prerendered); the table takes it
            // from the cache below instead of reading the span a second time, and the interactive render takes the prerender's
            // read from the persisted page state (a day of a 90,000-grant system takes seconds to rebuild).
            var first = new PageRequest(1, table?.RowsPerPage ?? 25);
            var key = Key(id, first);
            if (PageState.TryTakeFromJson<FirstRead>(FirstReadKey, out var persisted) && persisted is not null && persisted.Key == key)
            {
                loaded = (key, persisted.Result);
            }
            else
            {
                var actor = await ActorAsync();
                loaded = (key, await Access.PageAsync(actor, id, Window, onlyFailing, first));
                firstRead = new FirstRead(key, loaded.Value.Result);
            }
            summary = loaded.Value.Result;
            missing = summary is null;
            if (shown && !missing && table is not null)
            {
                await FirstPageAsync();
            }
        }
    }

    private (string Key, SystemAccessPage? Result)? loaded;

    private string Key(Guid id, PageRequest page) => $"{id}|{Window}|{onlyFailing}|{page.SafePage}|{page.SafePageSize}";

    /// <summary>One page of holders; the same pass counts everyone (the summary above the table).</summary>
    private async Task<TableData<AccessHolder>> LoadAsync(TableState state, CancellationToken ct)
    {
        if (systemId is not { } id)
        {
            return new TableData<AccessHolder> { Items = [], TotalItems = 0 };
        }
        var page = new PageRequest(state.Page + 1, state.PageSize);
        SystemAccessPage? result;
        if (loaded is { } cached && cached.Key == Key(id, page))
        {
            result = cached.Result;
            loaded = null; // once: a reload (the pager, the switch) reads afresh
        }
        else
        {
            loaded = null;
            var actor = await ActorAsync();
            result = await Access.PageAsync(actor, id, Window, onlyFailing, page, ct);
        }
        missing = result is null;
        summary = result;
        StateHasChanged();
        return new TableData<AccessHolder> { Items = result?.Holders.Items ?? [], TotalItems = result?.Holders.Total ?? 0 };
    }

    private async Task OnlyFailingChanged(bool value)
    {
        onlyFailing = value;
        await FirstPageAsync();
    }

    /// <summary>Back to the first page (a new system, day or filter), read afresh.</summary>
    private async Task FirstPageAsync()
    {
        if (table is null)
        {
            return;
        }
        if (table.CurrentPage != 0)
        {
            table.NavigateTo(0); // the table reads that page itself
        }
        else
        {
            await table.ReloadServerData();
        }
    }

    private void TimeChanged(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            timeError = null;
            Go(systemId, day, null);
        }
        else if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            timeError = null;
            Go(systemId, day, t);
        }
        else
        {
            timeError = "Enter a time of day in UTC as HH:mm, e.g. 14:00, or leave it empty for the whole day.";
        }
    }

    /// <summary>The address of a system, day and time (the default day, today, and the whole day are left out).</summary>
    public static string Url(Guid? system, DateOnly? day, TimeOnly? time = null)
    {
        var parts = new List<string>();
        if (system is { } s) { parts.Add($"system={s}"); }
        if (day is { } d) { parts.Add($"date={Day(d)}"); }
        if (time is { } t) { parts.Add($"time={t.ToString("HH:mm", CultureInfo.InvariantCulture)}"); }
        return parts.Count == 0 ? "/access" : "/access?" + string.Join('&', parts);
    }

    private void Go(Guid? system, DateOnly next, TimeOnly? at) =>
        Navigation.NavigateTo(Url(system, next == Today && at is null ? null : next, at), replace: true);

    private string ExportUrl(Guid system) => time is { } t
        ? $"/api/v1/systems/{system}/access/export?at={Uri.EscapeDataString(new DateTimeOffset(day.ToDateTime(t), TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}"
        : $"/api/v1/systems/{system}/access/export?asOf={Day(day)}";

    private Task<IEnumerable<SystemView>> SearchSystemsAsync(string? text, CancellationToken ct) =>
        Task.FromResult(systems.Where(s => string.IsNullOrWhiteSpace(text) || s.Name.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
                                           || s.ImpactLevel.ToString().Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Named(string name) => name is { Length: > 0 } ? $" ({name})" : "";

    private static string SpanText(AccessWindow window) => window.At is { } at
        ? $"at {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
        : $"on {Day(window.Day)}";

    /// <summary>An interval as the reader wants it: "all day", "from 14:00", "until 09:30" or "09:30–14:00" (UTC), "at that moment" for an instant.</summary>
    public static string Between(DateTimeOffset from, DateTimeOffset to, AccessWindow? window)
    {
        if (window is null)
        {
            return "";
        }
        if (window.At is not null)
        {
            return "at that moment";
        }
        var (starts, ends) = (from <= window.From, to >= window.To);
        static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        return (starts, ends) switch
        {
            (true, true) => "all day",
            (true, false) => $"until {Clock(to)}",
            (false, true) => $"from {Clock(from)}",
            _ => $"{Clock(from)}–{Clock(to)}",
        };
    }

    /// <summary>A fact's value that day as text: lists joined, dates as they are, absent as a dash.</summary>
    public static string Fact(AccessHolder holder, string name) =>
        holder.FactsThatDay.TryGetValue(name, out var value) && value is { ValueKind: not JsonValueKind.Null } v
            ? Words.FactValue(name, v)
            : "—";

    private static string WorkLocation(AccessHolder h) => Fact(h, "workCity") is var city && city != "—" ? $"{city}, {Fact(h, "workCountry")}" : Fact(h, "workCountry");

    private static string Vetting(AccessHolder h)
    {
        var parts = new List<string> { $"{Fact(h, "investigationTier")}" };
        if (Fact(h, "adjudicatedOn") is var adjudicated && adjudicated != "—") { parts.Add($"adjudicated {adjudicated}"); }
        if (Fact(h, "continuousVetting") == Words.YesNo(true)) { parts.Add("continuous vetting"); }
        if (Fact(h, "clearance") is var clearance && clearance != "—" && clearance != Words.Of(Clearance.None)) { parts.Add($"{clearance} clearance"); }
        if (Fact(h, "ndaSignedOn") is var nda && nda != "—") { parts.Add($"NDA {nda}"); }
        return string.Join(", ", parts);
    }
}
