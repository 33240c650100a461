using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;

namespace ComplianceHub.Web.Components.Pages.Admin;

public partial class Accounts
{
    // The address's filters: these parameters make the page hear a change of them (AccountsUrl reads them).
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }
    [SupplyParameterFromQuery(Name = "role")] public string? RoleParameter { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParameter { get; set; }

    private MudDataGrid<AccountRow>? grid;
    private GridLayout gridLayout = default!;
    private AccountFilter filter = new();
    private Guid? me;
    private string sort = "email";
    private bool desc;

    /// <summary>The CSV of exactly what the grid shows: its filters and its order.</summary>
    private string ExportHref =>
        $"/admin/accounts/export.csv?search={Uri.EscapeDataString(filter.Search ?? "")}&role={Uri.EscapeDataString(filter.Role ?? "")}" +
        $"&status={Uri.EscapeDataString(filter.Status ?? "")}" +
        $"&sort={Uri.EscapeDataString(sort)}&desc={(desc ? "true" : "false")}";

    protected override void OnInitialized() =>
        gridLayout = new GridLayout(Navigation, 25, AccountsUrl.SortKeys, AccountsUrl.Columns);

    protected override async Task OnParametersSetAsync()
    {
        var next = AccountsUrl.Parse(Navigation.Uri);
        if (next != filter)
        {
            filter = next;
            await grid.FirstPageAsync();
        }
    }

    /// <summary>A filter change goes through the address bar, with the grid's layout, so the list can be bookmarked or saved.</summary>
    private void Apply(AccountFilter next) => Navigation.NavigateTo(gridLayout.With(AccountsUrl.Build(next)), replace: true);

    private async Task<GridData<AccountRow>> LoadAsync(GridState<AccountRow> state, CancellationToken ct)
    {
        gridLayout.Observe(state);
        var (before, descBefore) = (sort, desc);
        (sort, desc) = (gridLayout.SortKey(state) ?? "email", gridLayout.Descending);
        if ((before, descBefore) != (sort, desc))
        {
            StateHasChanged(); // the export link follows the order
        }
        var actor = await ActorAsync();
        me = actor.UserId;
        var page = await Directory.ListAsync(actor, filter, new Core.Common.PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        return new GridData<AccountRow> { Items = page.Items, TotalItems = page.Total };
    }

    private Task ReloadAsync() => grid?.ReloadServerData() ?? Task.CompletedTask;

    private static DialogOptions Options => new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private async Task SessionsAsync(AccountRow row)
    {
        var dialog = await Dialogs.ShowAsync<AccountSessionsDialog>($"Sessions of {row.Email}",
            new DialogParameters<AccountSessionsDialog> { { d => d.Account, row } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        await dialog.Result;
        await ReloadAsync();
    }

    private async Task ChangeRoleAsync(AccountRow row)
    {
        var dialog = await Dialogs.ShowAsync<ChangeRoleDialog>($"Change role of {row.Email}",
            new DialogParameters<ChangeRoleDialog> { { d => d.Account, row } }, Options);
        if (await dialog.Result is { Canceled: false, Data: string newRole })
        {
            Snackbar.Add($"{row.Email} is now {Roles.DisplayName(newRole).ToLowerInvariant()}; their sessions ended and their access tokens were revoked.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task ResetPasswordAsync(AccountRow row)
    {
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>($"Reset the password of {row.Email}",
            new DialogParameters<ResetPasswordDialog> { { d => d.Account, row } }, Options);
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Temporary password set for {row.Email}; give it to them through a separate channel. They must change it at their next sign-in.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task SmartCardAsync(AccountRow row)
    {
        var dialog = await Dialogs.ShowAsync<SmartCardDialog>($"Smart card of {row.Email}",
            new DialogParameters<SmartCardDialog> { { d => d.Account, row } }, Options);
        if (await dialog.Result is { Canceled: false, Data: string message })
        {
            Snackbar.Add(message, Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task DisableAsync(AccountRow row)
    {
        var dialog = await Dialogs.ShowAsync<ReasonDialog>($"Disable {row.Email}", new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Disable {row.Email}" },
            { d => d.Text, "The account can no longer sign in; its open pages close within seconds and its API tokens stop working. You can enable it again later." },
            { d => d.ConfirmText, "Disable account" },
        }, Options);
        if (await dialog.Result is not { Canceled: false, Data: string reason })
        {
            return;
        }
        var actor = await ActorAsync();
        var result = await AccountsService.DisableAsync(actor, row.Id, reason);
        Snackbar.Add(result.Succeeded ? $"{row.Email} is disabled." : string.Join(" ", result.Errors.SelectMany(e => e.Value)),
            result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private async Task ResetSecondFactorAsync(AccountRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Reset second factor",
            $"Remove the authenticator app of {row.Email}? Do this only when they lost it and you have confirmed who they are. " +
            "Every session of the account ends; at the next sign-in they set up a new authenticator where one is required.",
            yesText: "Reset second factor", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        var actor = await ActorAsync();
        var result = await SecondFactors.ResetAsync(actor, row.Id);
        Snackbar.Add(result.Succeeded ? $"The second factor of {row.Email} was removed; their sessions ended." : string.Join(" ", result.Errors.SelectMany(e => e.Value)),
            result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private async Task EnableAsync(AccountRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Enable account",
            $"Enable {row.Email} again? They can sign in with their password; nothing of their old sessions comes back.",
            yesText: "Enable", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        var actor = await ActorAsync();
        var result = await AccountsService.EnableAsync(actor, row.Id);
        Snackbar.Add(result.Succeeded ? $"{row.Email} is enabled." : string.Join(" ", result.Errors.SelectMany(e => e.Value)),
            result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<NewAccountDialog>("New account",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: string email })
        {
            Snackbar.Add($"Account {email} created. Give the person their initial password through a separate channel; they must change it at their first sign-in.", Severity.Success);
            if (grid is not null)
            {
                await grid.ReloadServerData();
            }
        }
    }

    private async Task UnlockAsync(AccountRow row)
    {
        var actor = await ActorAsync();
        var confirmed = await Dialogs.ShowMessageBoxAsync("Unlock account",
            $"Unlock {row.Email} now? The lock-out would otherwise end at {(row.LockedOutUntil is { } until ? Reader.Format(until) : "once it expires")}.",
            yesText: "Unlock", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        if (await AccountsService.UnlockAsync(actor, row.Id))
        {
            Snackbar.Add($"{row.Email} unlocked.", Severity.Success);
        }
        else
        {
            Snackbar.Add($"{row.Email} could not be unlocked; reload and try again.", Severity.Error);
        }
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }
}
