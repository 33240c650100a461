using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Web.Components.Pages.Findings;

namespace ComplianceHub.Web.Components.Pages.Policy;

public partial class PolicyPage
{
    [SupplyParameterFromQuery(Name = "draft")] public Guid? DraftParameter { get; set; }

    private Core.Authorization.Actor? actor;
    private bool isOfficer;
    private PolicyVersionView? active;
    private IReadOnlyList<PolicyVersionView> versions = [];
    private IReadOnlyList<PolicyHistoryEntry>? history;
    private PolicyDraftModel? editor;
    private bool dirty;
    private bool busy;
    private IReadOnlyDictionary<string, string[]> localErrors = new Dictionary<string, string[]>();
    private IReadOnlyDictionary<string, string[]>? serverErrors;
    private Outcome<object>? failure;
    private PolicyImpactReport? impact;

    /// <summary>A preview that would suspend grants or open findings is a warning, not good news.</summary>
    internal static MudBlazor.Severity ImpactSeverity(PolicyImpactReport report) =>
        report.NewlyViolating.Count + report.FindingsToOpen > 0 ? MudBlazor.Severity.Warning : MudBlazor.Severity.Info;

    // Where a run's consequences can be read. An activation's: exactly the findings its re-evaluation opened, and the people
    // whose grants it suspended (ActivationConsequences reads them from the trail). The scheduler's daily run is not an
    // activation: its links stay the general lists (the open blocking findings, the people with a suspended grant).
    internal static string FindingsOf(ReevaluationRunView run) => run.Reason == ReevaluationReason.Activation
        ? FindingsUrl.Build(new() { OpenedByPolicy = run.PolicyNumber })
        : FindingsUrl.Build(new() { Open = true, Severity = Core.Domain.Findings.Severity.Block });

    internal static string SuspendedOf(ReevaluationRunView run) => Roster.RosterUrl.Build(run.Reason == ReevaluationReason.Activation
        ? new Core.Features.Personnel.RosterFilter { SuspendedByPolicy = run.PolicyNumber }
        : new Core.Features.Personnel.RosterFilter { GrantStatus = Core.Domain.GrantStatus.Suspended });

    internal static string FindingsLinkText(ReevaluationRunView run) => run.Reason == ReevaluationReason.Activation
        ? run.FindingsOpened == 1 ? "See the finding it opened" : $"See the {run.FindingsOpened:N0} findings it opened"
        : "See the open blocking findings";

    internal static string SuspendedLinkText(ReevaluationRunView run) => run.Reason == ReevaluationReason.Activation
        ? $"See the people whose {(run.Suspended == 1 ? "grant" : "grants")} it suspended"
        : "See the people with a suspended grant";

    private bool DraftedByMe => editor?.DraftId is { } id && versions.FirstOrDefault(v => v.Id == id)?.DraftedBy == actor?.UserId;

    private string ActivateNote => editor?.DraftId is null
        ? "Save the draft, then preview its impact; a different contracting officer activates it."
        : DraftedByMe ? "You drafted this version; another officer must activate it (two-person rule)."
        : dirty ? "Save your changes first: you would then be the draft's author, and another officer would activate it."
        : "Activating retires the active version and applies this one to every grant at once.";

    protected override async Task OnInitializedAsync()
    {
        actor = await CurrentActor.GetAsync();
        isOfficer = actor?.IsContractingOfficer == true;
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // A run started elsewhere (another officer's activation, the scheduler) and still applying: show it until it ends. Read
        // only; the background worker applies it.
        if (firstRender && applying is null && (await Runner.LatestAsync(1, leaving.Token)).FirstOrDefault() is { Finished: false } unfinished)
        {
            applying = unfinished;
            StateHasChanged();
            try
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
                while (applying is { Finished: false } && await timer.WaitForNextTickAsync(leaving.Token))
                {
                    applying = await Runner.GetAsync(unfinished.Id, leaving.Token) ?? applying;
                    StateHasChanged();
                }
                await LoadAsync();
                StateHasChanged();
            }
            catch (OperationCanceledException)
            {
                // The page closed.
            }
        }
    }

    protected override void OnParametersSet()
    {
        if (DraftParameter is { } id && editor?.DraftId != id)
        {
            OpenDraft(id);
        }
    }

    private ReevaluationRunView? applying;
    private readonly CancellationTokenSource leaving = new();

    // Cancelled, never disposed: work still running when the page closes reads its token.
    public void Dispose() => leaving.Cancel();

    /// <summary>Follows a run until it finishes: drives its batches (with the worker, which takes turns) and shows each step.</summary>
    private async Task FollowAsync(ReevaluationRunView run)
    {
        applying = run;
        var progress = new Progress<ReevaluationRunView>(r => { applying = r; _ = InvokeAsync(StateHasChanged); });
        try
        {
            var done = await Runner.DriveAsync(run.Id, progress: progress, ct: leaving.Token);
            applying = done?.Run ?? applying;
            await LoadAsync();
        }
        catch (OperationCanceledException)
        {
            // The page closed: the background worker applies the rest.
            Runner.Wake();
        }
        catch (Exception ex)
        {
            // The version is active; applying it failed for now. The worker resumes from the last committed batch.
            Logger.LogError(ex, "Applying policy version {Version} to the existing grants failed", run.PolicyNumber);
            Snackbar.Add("Applying the policy to the existing grants stopped on an error; the portal resumes it in the background.",
                MudBlazor.Severity.Warning);
            Runner.Wake();
        }
    }

    private async Task LoadAsync()
    {
        active = await Versions.ActiveAsync();
        versions = await Versions.ListAsync();
        history = await Workspace.HistoryAsync();
    }

    private void NewDraft()
    {
        editor = PolicyDraftModel.From($"Changes to v{active!.Number} ({active.Name})", active.Parameters);
        Reset(dirty: true);
        localErrors = editor.Validate();
    }

    private void OpenDraft(Guid id)
    {
        var version = versions.FirstOrDefault(v => v.Id == id && v.Status == PolicyStatus.Draft);
        if (version is null)
        {
            Snackbar.Add("That policy draft is no longer a draft (it was activated, or it does not exist).", MudBlazor.Severity.Warning);
            return;
        }
        editor = PolicyDraftModel.From(version.Name, version.Parameters, version.Id, version.Number);
        editor.Version = version.Version;
        Reset(dirty: false);
    }

    private void CloseEditor()
    {
        editor = null;
        Reset(dirty: false);
        Navigation.NavigateTo("/policy", replace: true);
    }

    private void Reset(bool dirty)
    {
        this.dirty = dirty;
        impact = null;
        failure = null;
        serverErrors = null;
        localErrors = new Dictionary<string, string[]>();
    }

    private void OnEdited(IReadOnlyDictionary<string, string[]> errors)
    {
        localErrors = errors;
        serverErrors = null;
        dirty = true;
        impact = null;
        failure = null;
    }

    private async Task SaveAsync()
    {
        if (editor is null || actor is null)
        {
            return;
        }
        busy = true;
        failure = null;
        try
        {
            var parameters = editor.ToParameters();
            var outcome = editor.DraftId is { } id
                ? await Executor.SendAsync(actor, new RevisePolicyDraft(id, editor.Name, parameters, editor.Version))
                : await Executor.SendAsync(actor, new DraftPolicyVersion(editor.Name, parameters));
            if (!outcome.IsOk)
            {
                serverErrors = outcome.Errors;
                failure = outcome.As<object>();
                return;
            }
            var saved = outcome.Value!;
            Snackbar.Add($"Draft v{saved.Number} saved. Preview its impact; another contracting officer activates it.", MudBlazor.Severity.Success);
            await LoadAsync();
            editor.DraftId = saved.Id;
            editor.Number = saved.Number;
            editor.Version = saved.Version;
            dirty = false;
            Navigation.NavigateTo($"/policy?draft={saved.Id}", replace: true);
        }
        finally
        {
            busy = false;
        }
    }

    private async Task PreviewAsync()
    {
        if (editor?.DraftId is not { } id || actor is null)
        {
            return;
        }
        busy = true;
        try
        {
            // The actor as of this click: which vendors an office officer sees may have changed since the page loaded (ADR 0028).
            impact = await Workspace.ImpactAsync(await CurrentActor.GetAsync() ?? actor, id);
            if (impact is null)
            {
                Snackbar.Add("The draft is no longer a draft; reload the page.", MudBlazor.Severity.Warning);
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ActivateAsync()
    {
        if (editor?.DraftId is not { } id || actor is null)
        {
            return;
        }
        var consequence = impact is null
            ? "You have not previewed its impact: grants that the new version refuses are suspended at once."
            : $"{impact.NewlyViolating.Count + impact.OtherOfficesNewlyViolating} grants will be suspended or refused" +
              (impact.OtherOfficesNewlyViolating > 0 ? $" ({impact.OtherOfficesNewlyViolating} of them of other offices' vendors)" : "") +
              $" and at least {impact.FindingsToOpen} blocking findings opened.";
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Activate policy v{editor.Number}?",
            $"v{active!.Number} ({active.Name}) is retired and v{editor.Number} ({editor.Name}) applies to every grant now. {consequence}",
            yesText: "Activate", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        busy = true;
        failure = null;
        try
        {
            var outcome = await Executor.SendAsync(actor, new ActivatePolicyVersion(id, editor.Version));
            if (!outcome.IsOk)
            {
                failure = outcome.As<object>();
                return;
            }
            Snackbar.Add($"Policy v{outcome.Value!.Version.Number} is active; its consequences on existing grants are being applied.", MudBlazor.Severity.Success);
            editor = null;
            Reset(dirty: false);
            await LoadAsync();
            Navigation.NavigateTo("/policy", replace: true);
            if (outcome.Value.Run is { } run)
            {
                busy = false;
                await FollowAsync(run);
            }
        }
        finally
        {
            busy = false;
        }
    }
}
