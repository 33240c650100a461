using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Pages.People;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Attestations;

public partial class AttestationsPage
{
    [SupplyParameterFromQuery(Name = "state")] public string? StateParameter { get; set; }
    [SupplyParameterFromQuery(Name = "vendor")] public string? VendorParameter { get; set; }

    private MudDataGrid<AttestationDueRow>? dueGrid;
    private MudDataGrid<AttestationHistoryRow>? historyGrid;
    private GridLayout dueLayout = default!;
    private GridLayout historyLayout = default!;
    private string? dueSort;
    private bool dueDesc;
    private string? historySort;
    private bool historyDesc = true;
    private AttestationState? state;
    private Guid? vendorId;
    private bool isRep;
    private string actorName = "";
    private IReadOnlyList<VendorView> vendors = [];
    private AttestationCounts? counts;
    private AttestationForm? form;
    private int moreDue;
    private bool busy;
    private AttestationResult? preview;
    private AttestationResult? signedResult;
    private AttestationDetail? signed;
    private OutcomeKind? outcomeKind;
    private string? outcomeMessage;
    private IReadOnlyList<ComplianceHub.Core.Rules.RuleOutcome>? violations;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    private const int FormSize = 200;

    private static readonly IReadOnlyList<ExportColumn<AttestationDueRow>> dueColumns =
    [
        new("Vendor", r => r.VendorName), new("Person", r => r.FullName), new("Employee id", r => r.EmployeeId),
        new("Work country", r => Words.Country(r.WorkCountry)), new("Work city", r => r.WorkCity), new("Citizenships", r => Words.Countries(r.Citizenships)),
        new("Last attested", r => r.LocationAttestedOn?.ToString("yyyy-MM-dd") ?? "never"), new("Next due", r => r.DueOn?.ToString("yyyy-MM-dd") ?? ""),
        new("State", r => AttestationForm.StateText(r.State)), new("Active grants", r => r.ActiveGrants.ToString()), new("Warning", r => r.Warning ?? ""),
    ];

    protected override void OnInitialized()
    {
        dueLayout = new GridLayout(Navigation, 25, AttestationsUrl.DueSortKeys, AttestationsUrl.DueColumns);
        historyLayout = new GridLayout(Navigation, 10, AttestationsUrl.HistorySortKeys, AttestationsUrl.HistoryColumns, [10, 25, 50], "history.");
    }

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        isRep = actor.IsVendorRepresentative;
        if (isRep)
        {
            // A representative reads only their own vendor's: there is no vendor column to hide.
            dueLayout.Offer(AttestationsUrl.DueColumns.Where(c => c.Key != "vendor"));
            historyLayout.Offer(AttestationsUrl.HistoryColumns.Where(c => c.Key != "vendor"));
        }
        actorName = actor.DisplayName;
        vendors = isRep ? [] : await Vendors.VendorsAsync(actor);
        await LoadFormAsync(actor);
    }

    protected override async Task OnParametersSetAsync()
    {
        var nextState = AttestationsUrl.State(StateParameter);
        var nextVendor = AttestationsUrl.Vendor(VendorParameter);
        if (nextState != state || nextVendor != vendorId)
        {
            state = nextState;
            vendorId = nextVendor;
            if (dueGrid is not null) { await dueGrid.ReloadServerData(); }
            if (historyGrid is not null) { await historyGrid.ReloadServerData(); }
        }
        var actor = await ActorAsync();
        counts = await Due.CountsAsync(actor, isRep ? actor.VendorId : vendorId);
    }

    private async Task LoadFormAsync(Actor actor)
    {
        if (!actor.IsVendorRepresentative)
        {
            return;
        }
        var due = await Due.ListAsync(actor, new AttestationDueFilter(actor.VendorId, AttestationSchedule.Due), new PageRequest(1, FormSize));
        form = new AttestationForm(due?.Items ?? [], DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime));
        moreDue = Math.Max(0, (due?.Total ?? 0) - form.Lines.Count);
    }

    /// <summary>A filter change goes through the address, with the layouts of the grids it narrows from their first page.</summary>
    private Task ApplyStateAsync(AttestationState? s)
    {
        Navigation.NavigateTo(dueLayout.With(AttestationsUrl.Build(s, vendorId)), replace: true);
        return Task.CompletedTask;
    }

    /// <summary>The vendor narrows both grids.</summary>
    private Task ApplyVendorAsync(Guid? v)
    {
        Navigation.NavigateTo(GridLayout.With(AttestationsUrl.Build(state, v), dueLayout, historyLayout), replace: true);
        return Task.CompletedTask;
    }

    private AttestationDueFilter DueFilter(Actor actor) => new(isRep ? actor.VendorId : vendorId, state is { } s ? [s] : null);

    private async Task<GridData<AttestationDueRow>> LoadDueAsync(GridState<AttestationDueRow> grid, CancellationToken ct)
    {
        dueLayout.Observe(grid);
        dueSort = dueLayout.SortKey(grid);
        dueDesc = dueSort is not null && grid.SortDefinitions.First().Descending;
        var actor = await ActorAsync();
        var page = await Due.ListAsync(actor, DueFilter(actor), new PageRequest(grid.Page + 1, grid.PageSize, dueSort, dueDesc), ct);
        return new GridData<AttestationDueRow> { Items = page?.Items ?? [], TotalItems = page?.Total ?? 0 };
    }

    private async Task<PagedResult<AttestationDueRow>> ExportDueAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Due.ListAsync(actor, DueFilter(actor), PageRequest.ForExport(page, dueSort, dueDesc), ct) ?? new PagedResult<AttestationDueRow>([], page, 0, 0);
    }

    private async Task<GridData<AttestationHistoryRow>> LoadHistoryAsync(GridState<AttestationHistoryRow> grid, CancellationToken ct)
    {
        historyLayout.Observe(grid);
        historySort = historyLayout.SortKey(grid);
        historyDesc = historySort is null || grid.SortDefinitions.First().Descending;
        var actor = await ActorAsync();
        var page = await History.ListAsync(actor, isRep ? actor.VendorId : vendorId, new PageRequest(grid.Page + 1, grid.PageSize, historySort, historyDesc), ct);
        return new GridData<AttestationHistoryRow> { Items = page?.Items ?? [], TotalItems = page?.Total ?? 0 };
    }

    private void Changed() => preview = null;

    private static string PreviewText(AttestationResult r)
    {
        var c = r.Consequences;
        var parts = new List<string>();
        if (c.SuspendedGrants.Count > 0) { parts.Add($"this will suspend {c.SuspendedGrants.Count} grant{(c.SuspendedGrants.Count == 1 ? "" : "s")}"); }
        if (c.ReactivatedGrants.Count > 0) { parts.Add($"reactivate {c.ReactivatedGrants.Count} grant{(c.ReactivatedGrants.Count == 1 ? "" : "s")}"); }
        if (c.RevokedGrants.Count > 0) { parts.Add($"revoke {c.RevokedGrants.Count} grant{(c.RevokedGrants.Count == 1 ? "" : "s")}"); }
        if (c.FindingsOpened.Count > 0) { parts.Add($"open {c.FindingsOpened.Count} finding{(c.FindingsOpened.Count == 1 ? "" : "s")}"); }
        if (c.FindingsClosed.Count > 0) { parts.Add($"close {c.FindingsClosed.Count} finding{(c.FindingsClosed.Count == 1 ? "" : "s")}"); }
        return $"{r.People} people attested, {r.Corrected} corrected: " + (parts.Count == 0 ? "no grant or finding changes." : string.Join(", ", parts) + ".");
    }

    private async Task<Outcome<AttestationResult>?> SendAsync(bool dryRun)
    {
        var actor = await ActorAsync();
        busy = true;
        try
        {
            var outcome = await Executor.SendAsync(actor, form!.Command(actor.VendorId!.Value, dryRun));
            outcomeKind = outcome.IsOk ? null : outcome.Kind;
            outcomeMessage = outcome.Message;
            violations = outcome.Violations;
            errors = outcome.Errors ?? new Dictionary<string, string[]>();
            return outcome;
        }
        finally
        {
            busy = false;
        }
    }

    private async Task PreviewAsync()
    {
        var outcome = await SendAsync(dryRun: true);
        preview = outcome is { IsOk: true } ? outcome.Value : null;
    }

    private async Task SubmitAsync()
    {
        var outcome = await SendAsync(dryRun: false);
        if (outcome is not { IsOk: true })
        {
            return;
        }
        var actor = await ActorAsync();
        signedResult = outcome.Value!;
        signed = await History.DetailAsync(actor, signedResult.AttestationId);
        preview = null;
        await LoadFormAsync(actor);
        counts = await Due.CountsAsync(actor, actor.VendorId);
        if (dueGrid is not null) { await dueGrid.ReloadServerData(); }
        if (historyGrid is not null) { await historyGrid.ReloadServerData(); }
    }

    private static Color ColorOf(AttestationState s) => s switch
    {
        AttestationState.Overdue or AttestationState.Never => Color.Error,
        AttestationState.DueSoon => Color.Warning,
        _ => Color.Success,
    };
}
