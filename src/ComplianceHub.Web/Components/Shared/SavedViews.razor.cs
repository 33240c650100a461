using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Views;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

public sealed partial class SavedViews : IDisposable
{
    [Inject] private SavedViewsQuery Query { get; set; } = default!;
    [Inject] private CommandExecutor Executor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The grid's key (<see cref="Core.Domain.Views.SavedViewGrids"/>).</summary>
    [Parameter, EditorRequired] public string Grid { get; set; } = "";

    /// <summary>The grid page's address without a query, e.g. <c>/roster</c>.</summary>
    [Parameter, EditorRequired] public string Path { get; set; } = "";

    /// <summary>The list in words, for labels: "the roster".</summary>
    [Parameter, EditorRequired] public string What { get; set; } = "";

    private IReadOnlyList<SavedViewItem> views = [];
    private SavedViewItem? current;

    private string MenuLabel => current is null ? "Saved views" : $"Saved views ({current.Name})";

    protected override async Task OnInitializedAsync()
    {
        Navigation.LocationChanged += OnLocationChanged;
        if (!RendererInfo.IsInteractive)
        {
            return; // prerendering: the circuit reads the views
        }
        await LoadAsync();
        // The grid visited without a query opens the reader's default view, if they chose one.
        if (views.FirstOrDefault(v => v.IsDefault) is { } fallback && GridUrlState.Query(Navigation.Uri).Count == 0
            && new Uri(Navigation.Uri).AbsolutePath == Path)
        {
            Navigation.NavigateTo(GridUrlState.ViewUrl(Path, fallback.Query, fallback.HiddenColumns), forceLoad: true, replace: true);
        }
    }

    private async Task LoadAsync()
    {
        views = await Query.ListAsync(await ActorAsync(), Grid);
        Match();
    }

    /// <summary>The saved view the address shows, if any: the same query (the page aside) and the same hidden columns.</summary>
    private void Match()
    {
        var (query, hidden) = GridUrlState.ForView(Navigation.Uri);
        current = views.FirstOrDefault(v => Same(v, query, hidden));
    }

    private static bool Same(SavedViewItem view, string query, IReadOnlyList<string> hidden) =>
        GridUrlState.ForView("?" + view.Query).Query == query && view.HiddenColumns.Order(StringComparer.Ordinal).SequenceEqual(hidden.Order(StringComparer.Ordinal));

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        Match();
        _ = InvokeAsync(StateHasChanged);
    }

    // A full load: every grid page reads its filters, sort, page size and columns from the address when it starts.
    private void Open(SavedViewItem view) => Navigation.NavigateTo(GridUrlState.ViewUrl(Path, view.Query, view.HiddenColumns), forceLoad: true);

    private async Task SaveAsync()
    {
        var (query, hidden) = GridUrlState.ForView(Navigation.Uri);
        var dialog = await Dialogs.ShowAsync<SavedViewDialog>("Save current view", new DialogParameters<SavedViewDialog>
        {
            { d => d.Grid, Grid }, { d => d.What, What }, { d => d.Query, query }, { d => d.HiddenColumns, hidden },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: SavedViewItem saved })
        {
            Snackbar.Add($"Saved your view “{saved.Name}”.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RenameAsync(SavedViewItem view)
    {
        var dialog = await Dialogs.ShowAsync<SavedViewDialog>($"Rename “{view.Name}”", new DialogParameters<SavedViewDialog>
        {
            { d => d.Grid, Grid }, { d => d.What, What }, { d => d.Renaming, view },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: SavedViewItem renamed })
        {
            Snackbar.Add($"Renamed the view to “{renamed.Name}”.", Severity.Success);
            await LoadAsync();
        }
    }

    private Task DefaultAsync(SavedViewItem? view) =>
        SendAsync(new SetDefaultView(Grid, view?.Id), view is null
            ? $"{Capitalised(What)} opens as it is again when you visit it without filters."
            : $"“{view.Name}” now opens when you visit {What} without filters.");

    private Task DeleteAsync(SavedViewItem view) => SendAsync(new DeleteView(view.Id), $"Deleted your view “{view.Name}”.");

    private async Task SendAsync<T>(ICommand<T> command, string done)
    {
        var outcome = await Executor.SendAsync(await ActorAsync(), command);
        Snackbar.Add(outcome.IsOk ? done : outcome.Message ?? "The view could not be changed.", outcome.IsOk ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;
}
