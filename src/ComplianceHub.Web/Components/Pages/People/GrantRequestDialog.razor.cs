using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Web.Components.Pages.People;

public partial class GrantRequestDialog
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public Guid PersonId { get; set; }
    [Parameter, EditorRequired] public string PersonName { get; set; } = "";

    /// <summary>The system chosen when the dialog opens (optional).</summary>
    [Parameter] public Guid? SystemId { get; set; }

    private IReadOnlyList<SystemView>? systems; // null until loaded
    private Guid? systemId;
    private AccessType accessType = AccessType.NonPrivileged;
    private bool escorted;
    private DateTime? startsOn;
    private DateTime? endsOn;
    private string? justification;
    private bool saving;
    private LivePreview? preview;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    protected override async Task OnInitializedAsync()
    {
        preview = new LivePreview(() => InvokeAsync(StateHasChanged), Logger);
        var today = Clock.GetUtcNow().UtcDateTime.Date;
        startsOn = today;
        endsOn = today.AddDays(90);
        systemId = SystemId;
        systems = await Vendors.SystemsAsync();
        await AskAsync();
    }

    private bool Has(string field) => errors.ContainsKey(field);
    private string? ErrorOf(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    /// <summary>What the request still lacks before the rules are asked (GRANT-TERMS needs the justification); null when complete.</summary>
    private string? Missing => systemId is null ? "Choose a system to continue."
        : startsOn is null ? "Choose the start date to continue."
        : string.IsNullOrWhiteSpace(justification) ? "Give the justification to continue."
        : null;

    private RequestGrant? Command(bool dryRun) => Missing is null && systemId is { } system && startsOn is { } start
        ? new RequestGrant(PersonId, system, accessType, escorted, DateOnly.FromDateTime(start), endsOn is { } end ? DateOnly.FromDateTime(end) : null,
            justification, dryRun)
        : null;

    private string SystemName => systems?.FirstOrDefault(s => s.Id == systemId)?.Name ?? "the system";

    /// <summary>"Would be active at once" or "Would be created pending a second officer's approval".</summary>
    public static string WouldBe(GrantView grant) => grant.Status switch
    {
        GrantStatus.Active => "Would be active at once.",
        GrantStatus.PendingApproval => "Would be created pending a second officer's approval.",
        var status => $"Would be created as {status}.",
    };

    private async Task AskAsync()
    {
        var command = Command(dryRun: true);
        var actor = await CurrentActor.GetAsync();
        await preview!.AskAsync<GrantView>(command is null || actor is null ? null : async () =>
        {
            var outcome = await Executor.SendAsync(actor, command);
            errors = outcome.Errors ?? new Dictionary<string, string[]>(); // validate as you type, with the command's own validator
            return outcome;
        }, WouldBe, Missing);
    }

    private async Task SubmitAsync()
    {
        if (Command(dryRun: false) is not { } command)
        {
            errors = new Dictionary<string, string[]>
            {
                [systemId is null ? nameof(RequestGrant.SystemId) : startsOn is null ? nameof(RequestGrant.StartsOn) : nameof(RequestGrant.Justification)] =
                    [systemId is null ? "Choose the system." : startsOn is null ? "Choose the start date." : "Give the justification: why the person needs this access."],
            };
            return;
        }
        saving = true;
        try
        {
            var actor = await ActorAsync();
            var outcome = await Executor.SendAsync(actor, command);
            errors = outcome.Errors ?? new Dictionary<string, string[]>();
            if (outcome.IsOk)
            {
                var grant = outcome.Value!;
                var warned = outcome.Warnings.Count == 0 ? "" : $" Warnings: {string.Join(", ", outcome.Warnings.Select(w => w.RuleId))} (findings opened).";
                Dialog.Close(DialogResult.Ok(grant.Status == GrantStatus.PendingApproval
                    ? $"Grant on {SystemName} requested: pending a second officer's approval in the approvals queue.{warned}"
                    : $"Grant on {SystemName} is active.{warned}"));
                return;
            }
            preview!.Show(RulePreviewResult.From(outcome, WouldBe)); // refused: the rules stay on screen
        }
        finally
        {
            saving = false;
        }
    }

    public void Dispose() => preview?.Dispose();
}
