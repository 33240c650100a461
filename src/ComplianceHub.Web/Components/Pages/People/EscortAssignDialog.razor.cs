using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Features.Vendors;

namespace ComplianceHub.Web.Components.Pages.People;

public partial class EscortAssignDialog
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The person to supervise.</summary>
    [Parameter, EditorRequired] public Guid PersonId { get; set; }
    [Parameter, EditorRequired] public string PersonName { get; set; } = "";

    /// <summary>The system chosen when the dialog opens (optional: e.g. the system of an escorted grant).</summary>
    [Parameter] public Guid? SystemId { get; set; }

    /// <summary>A representative's request for an officer to assign the escort, rather than the assignment itself.</summary>
    [Parameter] public bool Request { get; set; }

    private IReadOnlyList<SystemView> systems = [];
    private EscortCandidate? escort;
    private MudAutocomplete<EscortCandidate>? picker;
    private string? lastSearch;
    private string? checkedAgainst;
    private IReadOnlyList<EscortLeftOut>? leftOut;
    private Guid? systemId;
    private DateTime? startsOn;
    private DateTime? endsOn;
    private string justification = "";
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
    }

    private bool Has(string field) => errors.ContainsKey(field);
    private string? ErrorOf(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    private async Task<IEnumerable<EscortCandidate>> SearchAsync(string? text, CancellationToken ct)
    {
        var actor = await CurrentActor.GetAsync();
        lastSearch = text;
        var choice = actor is null ? null : await Candidates.OfferedAsync(actor, PersonId, systemId, text, ct);
        checkedAgainst = choice?.CheckedAgainst;
        return choice?.Offered ?? [];
    }

    /// <summary>What the picker offers, in words: the system and access checked, or today's qualification before a system is chosen.</summary>
    private string PickerHelp => $"Offered: {checkedAgainst ?? EscortChoice.Describe(null, null)}. Search by name or employee id.";

    /// <summary>A new system changes who may escort: an escort chosen for another system is cleared if no longer offered.</summary>
    private async Task SystemChangedAsync()
    {
        leftOut = null;
        var actor = await CurrentActor.GetAsync();
        var choice = actor is null ? null : await Candidates.OfferedAsync(actor, PersonId, systemId, escort?.EmployeeId);
        checkedAgainst = choice?.CheckedAgainst;
        if (escort is not null)
        {
            if (choice is null || choice.Offered.All(c => c.Id != escort.Id))
            {
                escort = null;
                if (picker is not null)
                {
                    await picker.ClearAsync();
                }
            }
        }
        await AskAsync();
    }

    /// <summary>"Why are others not listed?": the people left out for the current system and search, with their reasons.</summary>
    private async Task ExplainAsync()
    {
        if (leftOut is not null)
        {
            leftOut = null;
            return;
        }
        var actor = await CurrentActor.GetAsync();
        leftOut = actor is null ? [] : await Candidates.LeftOutAsync(actor, PersonId, systemId, lastSearch) ?? [];
    }

    private AssignEscort? Command(bool dryRun) => escort is not null && systemId is { } system && startsOn is { } start && endsOn is { } end
        ? new AssignEscort(escort.Id, PersonId, system, DateOnly.FromDateTime(start), DateOnly.FromDateTime(end), dryRun)
        : null;

    private RequestEscort? RequestCommand(bool dryRun) => escort is not null && systemId is { } system && startsOn is { } start && endsOn is { } end
        ? new RequestEscort(escort.Id, PersonId, system, DateOnly.FromDateTime(start), DateOnly.FromDateTime(end), justification, dryRun)
        : null;

    private string WouldBeRequested(EscortRequestView r) =>
        $"Would be sent to a contracting officer: {escort?.FullName} to supervise {PersonName} on {SystemName} from {r.StartsOn:yyyy-MM-dd} to {r.EndsOn:yyyy-MM-dd}. The escort rules pass today.";

    private string SystemName => systems.FirstOrDefault(s => s.Id == systemId)?.Name ?? "the system";

    private string WouldBe(EscortAssignmentView a) =>
        $"Would be assigned at once: {escort?.FullName} would supervise {PersonName} on {SystemName} from {a.StartsOn:yyyy-MM-dd} to {a.EndsOn:yyyy-MM-dd}.";

    private async Task AskAsync()
    {
        var actor = await CurrentActor.GetAsync();
        if (Request)
        {
            var request = RequestCommand(dryRun: true) is { } r && string.IsNullOrWhiteSpace(r.Justification) ? r with { Justification = "(preview)" } : RequestCommand(dryRun: true);
            await preview!.AskAsync<EscortRequestView>(request is null || actor is null ? null : async () =>
            {
                var outcome = await Executor.SendAsync(actor, request);
                errors = outcome.Errors ?? new Dictionary<string, string[]>();
                return outcome;
            }, WouldBeRequested);
            return;
        }
        var command = Command(dryRun: true);
        await preview!.AskAsync<EscortAssignmentView>(command is null || actor is null ? null : async () =>
        {
            var outcome = await Executor.SendAsync(actor, command);
            errors = outcome.Errors ?? new Dictionary<string, string[]>();
            return outcome;
        }, WouldBe);
    }

    private async Task SubmitAsync()
    {
        if (Request)
        {
            await SubmitRequestAsync();
            return;
        }
        if (Command(dryRun: false) is not { } command)
        {
            errors = Missing();
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
                Dialog.Close(DialogResult.Ok($"{escort!.FullName} now escorts {PersonName} on {SystemName} until {outcome.Value!.EndsOn:yyyy-MM-dd}."));
                return;
            }
            preview!.Show(RulePreviewResult.From(outcome, WouldBe));
        }
        finally
        {
            saving = false;
        }
    }

    private async Task SubmitRequestAsync()
    {
        if (RequestCommand(dryRun: false) is not { } command)
        {
            errors = Missing();
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
                Dialog.Close(DialogResult.Ok($"Escort request sent: {escort!.FullName} to supervise {PersonName} on {SystemName}. A contracting officer decides; follow it under Access requests."));
                return;
            }
            preview!.Show(RulePreviewResult.From(outcome, WouldBeRequested));
        }
        finally
        {
            saving = false;
        }
    }

    private Dictionary<string, string[]> Missing()
    {
        var missing = new Dictionary<string, string[]>();
        if (escort is null) { missing[nameof(AssignEscort.EscortId)] = ["Choose the escort."]; }
        if (systemId is null) { missing[nameof(AssignEscort.SystemId)] = ["Choose the system."]; }
        if (startsOn is null) { missing[nameof(AssignEscort.StartsOn)] = ["Choose the start date."]; }
        if (endsOn is null) { missing[nameof(AssignEscort.EndsOn)] = ["Choose the end date."]; }
        return missing;
    }

    public void Dispose() => preview?.Dispose();
}
