using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Approvals;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Findings;

namespace ComplianceHub.Web.Components.Pages.Approvals;

public partial class ApprovalsPage
{
    /// <summary>The explanation beside a disabled Approve button.</summary>
    public const string OwnRequest = "You requested this; another officer must approve it";

    private ApprovalsQueue? queue;
    private PagedResult<EscortRequestRow>? escortRequests;
    private string refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
    private Outcome<object>? failure;
    private bool busy;

    private static readonly IReadOnlyList<ComplianceHub.Core.Exports.ExportColumn<PendingGrantApproval>> grantColumns =
    [
        new("Person", g => g.PersonName),
        new("Vendor", g => g.VendorName),
        new("System", g => g.SystemName),
        new("Impact level", g => g.ImpactLevel.ToString()),
        new("Access", g => g.AccessType.ToString()),
        new("Escorted", g => g.Escorted ? "yes" : "no"),
        new("Starts", g => FindingsUrl.Day(g.StartsOn)),
        new("Ends", g => g.EndsOn is { } end ? FindingsUrl.Day(end) : ""),
        new("Requested by", g => g.RequestedByName),
        new("Requested", g => FindingsUrl.Day(g.RequestedAt)),
        new("Justification", g => g.Justification),
    ];

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        queue = await Approvals.QueueAsync(actor);
        escortRequests = await Requests.EscortRequestsAsync(actor, EscortRequestStatus.Pending, null, new PageRequest(1, ApprovalsQuery.MaxItems, "requestedAt", false));
    }

    private static PagedResult<T> All<T>(IReadOnlyList<T> items, int page) =>
        new(page == 1 ? items : [], page, Math.Max(1, items.Count), items.Count);

    private static string Who(string name, bool you) => you ? $"{(name.Length == 0 ? "You" : name)} (you)" : name.Length == 0 ? "Unknown account" : name;

    private async Task ApproveEscortAsync(EscortRequestRow row)
    {
        refusedText = "The escort was not assigned: the policy refuses it now. These rules fail:";
        await SendAsync(new DecideEscortRequest(row.Request.Id, true, null),
            $"{row.EscortName} now escorts {row.PersonName} on {row.SystemName} until {FindingsUrl.Day(row.Request.EndsOn)}.");
    }

    private async Task DeclineEscortAsync(EscortRequestRow row)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Decline the escort request for {row.PersonName}" },
            { d => d.Text, $"{row.VendorName} asked for {row.EscortName} to escort {row.PersonName} on {row.SystemName}. The representative reads your reason." },
            { d => d.ConfirmText, "Decline request" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            await SendAsync(new DecideEscortRequest(row.Request.Id, false, reason), $"Escort request for {row.PersonName} declined.");
        }
    }

    private async Task ApproveGrantAsync(PendingGrantApproval grant)
    {
        refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
        await SendAsync(new ApproveGrant(grant.GrantId), $"Access of {grant.PersonName} to {grant.SystemName} approved and active.");
    }

    private async Task ApproveWaiverAsync(PendingWaiverApproval waiver) =>
        await SendAsync(new ApproveWaiver(waiver.WaiverId), $"Waiver of {waiver.RuleId} for {waiver.PersonName} approved until {FindingsUrl.Day(waiver.ExpiresOn)}.");

    private async Task RejectGrantAsync(PendingGrantApproval grant)
    {
        refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Reject the request for {grant.PersonName}" },
            { d => d.Text, $"The request for {grant.AccessType} access to {grant.SystemName} is revoked: it cannot be approved afterwards, and a new request starts over." },
            { d => d.ConfirmText, "Reject request" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            await SendAsync(new DecideGrant(grant.GrantId, GrantDecision.Revoke, $"Request rejected: {reason}"), $"Request for {grant.PersonName} rejected.");
        }
    }

    private async Task SendAsync<T>(ICommand<T> command, string done)
    {
        busy = true;
        failure = null;
        try
        {
            var actor = await ActorAsync();
            var outcome = await Executor.SendAsync(actor, command);
            if (outcome.IsOk)
            {
                Snackbar.Add(done, MudBlazor.Severity.Success);
            }
            else
            {
                failure = outcome.As<object>();
                if (outcome.Kind == OutcomeKind.Invalid)
                {
                    Snackbar.Add(string.Join(" ", outcome.Errors!.SelectMany(e => e.Value)), MudBlazor.Severity.Error);
                }
            }
            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
