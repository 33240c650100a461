using ComplianceHub.Core.Domain.Reference;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Components.Pages.People;

public partial class Person
{
    [Parameter] public Guid Id { get; set; }

    private PersonWorkspace? workspace;
    private int revision;
    private bool loading = true;
    private bool canWrite;
    private bool isRep;
    private bool auditOldestFirst;

    private readonly ListGrid<PersonGrant> grants = new();
    private readonly ListGrid<PersonFinding> findings = new();
    private readonly ListGrid<FactHistoryEntry> history = new();
    private readonly ListGrid<PersonAttestation> attestations = new();
    private MudDataGrid<PersonGrant>? grantGrid;
    private MudDataGrid<PersonFinding>? findingGrid;
    private MudDataGrid<FactHistoryEntry>? historyGrid;
    private MudDataGrid<PersonAttestation>? attestationGrid;
    private MudDataGrid<PersonAuditEntry>? auditGrid;

    private static readonly IReadOnlyList<ExportColumn<PersonGrant>> grantColumns =
    [
        new("System", g => g.SystemName), new("Impact level", g => Words.Of(g.ImpactLevel)), new("Access type", g => Words.Of(g.AccessType)),
        new("Escorted", g => g.Escorted), new("Starts on", g => g.StartsOn), new("Ends on", g => g.EndsOn), new("Status", g => Words.Of(g.Status)),
        new("Status reason", g => g.StatusReason), new("Rules failing today", g => g.FailingRules is null ? "not evaluated"
            : string.Join("; ", g.FailingRules.Select(RuleBadge.Describe))),
        new("Justification", g => g.Justification), new("Requested by", g => g.RequestedBy), new("Requested at", g => g.RequestedAt),
        new("Approved by", g => g.ApprovedBy),
    ];

    private static readonly IReadOnlyList<ExportColumn<PersonFinding>> findingColumns =
    [
        new("Rule", f => f.Rule.RuleId), new("Severity", f => Words.Of(f.Rule.Severity)), new("On", f => f.Subject), new("Message", f => f.Rule.Message),
        new("Facts", f => string.Join("; ", f.Rule.Facts.Select(x => $"{x.Key}: {x.Value}"))), new("Policy version", f => f.Rule.PolicyVersion),
        new("Status", f => Words.Of(f.Status)), new("Due on", f => f.DueOn), new("Overdue", f => f.Overdue), new("Detected at", f => f.DetectedAt),
    ];

    private static readonly IReadOnlyList<ExportColumn<FactHistoryEntry>> historyColumns =
    [
        new("Effective on", h => h.EffectiveOn), new("Field", h => h.Field), new("Before", h => h.Before), new("After", h => h.After),
        new("Source", h => Words.Of(h.Source)), new("Recorded by", h => h.RecordedBy), new("Recorded at", h => h.RecordedAt),
    ];

    private static readonly IReadOnlyList<ExportColumn<PersonAttestation>> attestationColumns =
    [
        new("Signed at", a => a.SubmittedAt), new("By", a => a.SubmittedBy), new("Work country", a => a.WorkCountry.ToString()),
        new("Work city", a => a.WorkCity), new("Citizenships", a => string.Join(", ", a.Citizenships)), new("Statement", a => a.Statement),
        new("Content hash", a => a.ContentHash),
    ];

    private static readonly IReadOnlyList<ExportColumn<PersonAuditEntry>> auditColumns =
    [
        new("Sequence", e => e.Sequence), new("Occurred at", e => e.OccurredAt), new("Actor", e => e.ActorName), new("Role", e => e.ActorRole),
        new("Operation", e => e.Operation), new("Subject type", e => e.SubjectType), new("Subject id", e => e.SubjectId), new("On", e => e.Subject),
        new("Change", e => e.Summary), new("Rules", e => string.Join(", ", e.RuleIds)),
    ];

    protected override async Task OnParametersSetAsync()
    {
        loading = true;
        var actor = await CurrentActor.GetAsync();
        canWrite = actor?.IsContractingOfficer == true;
        isRep = actor?.IsVendorRepresentative == true;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        var actor = await ActorAsync();
        workspace = await Workspace.GetAsync(actor, Id);
        revision++;
        loading = false;
        if (workspace is null)
        {
            // Missing, or another vendor's: the same answer (404 on the first request), so a scope never leaks that a person exists.
            Navigation.NotFound();
            return;
        }
        grants.Set(workspace.Grants);
        findings.Set(workspace.Findings);
        history.Set(workspace.History);
        attestations.Set(workspace.Attestations);
        foreach (var reload in new Func<Task>?[] { grantGrid is null ? null : grantGrid.ReloadServerData, findingGrid is null ? null : findingGrid.ReloadServerData,
                     historyGrid is null ? null : historyGrid.ReloadServerData, attestationGrid is null ? null : attestationGrid.ReloadServerData,
                     auditGrid is null ? null : auditGrid.ReloadServerData })
        {
            if (reload is not null)
            {
                await reload();
            }
        }
    }

    private async Task<GridData<PersonAuditEntry>> LoadAuditAsync(GridState<PersonAuditEntry> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var sort = state.SortDefinitions.FirstOrDefault();
        auditOldestFirst = sort is { Descending: false };
        var page = await Workspace.AuditAsync(actor, Id, new PageRequest(state.Page + 1, state.PageSize, auditOldestFirst ? "sequence" : null, !auditOldestFirst), ct);
        return new GridData<PersonAuditEntry> { Items = page?.Items ?? [], TotalItems = page?.Total ?? 0 };
    }

    private async Task<PagedResult<PersonAuditEntry>> ExportAuditPageAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Workspace.AuditAsync(actor, Id, PageRequest.ForExport(page, auditOldestFirst ? "sequence" : null, !auditOldestFirst), ct)
               ?? new PagedResult<PersonAuditEntry>([], page, PageRequest.ExportPageSize, 0);
    }

    private async Task RequestGrantAsync(Guid? systemId)
    {
        var result = await (await Dialogs.ShowAsync<GrantRequestDialog>("Request grant",
            new DialogParameters<GrantRequestDialog> { { d => d.PersonId, Id }, { d => d.PersonName, workspace!.Person.FullName }, { d => d.SystemId, systemId } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true })).Result;
        await AfterDialogAsync(result);
    }

    private async Task AssignEscortAsync(Guid? systemId)
    {
        var result = await (await Dialogs.ShowAsync<EscortAssignDialog>("Assign escort",
            new DialogParameters<EscortAssignDialog>
            {
                { d => d.PersonId, Id }, { d => d.PersonName, workspace!.Person.FullName }, { d => d.SystemId, systemId }, { d => d.Request, isRep },
            },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true })).Result;
        await AfterDialogAsync(result);
    }

    private async Task ChangeFactsAsync()
    {
        var result = await (await Dialogs.ShowAsync<FactChangeDialog>("Record a change",
            new DialogParameters<FactChangeDialog> { { d => d.Person, workspace!.Person } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true })).Result;
        await AfterDialogAsync(result);
    }

    private async Task EditAsync()
    {
        var actor = await ActorAsync();
        if (await Personnel.GetAsync(actor, Id) is not { } person)
        {
            Snackbar.Add("The person is no longer on the roster.", MudBlazor.Severity.Warning);
            return;
        }
        var result = await (await Dialogs.ShowAsync<PersonEditDialog>("Edit person",
            new DialogParameters<PersonEditDialog> { { d => d.Existing, person }, { d => d.VendorId, person.VendorId } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true })).Result;
        if (result is { Canceled: false, Data: PersonEditResult saved })
        {
            Snackbar.Add(saved.Message, MudBlazor.Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task OffboardAsync()
    {
        var result = await (await Dialogs.ShowAsync<OffboardDialog>("Offboard",
            new DialogParameters<OffboardDialog> { { d => d.PersonId, Id }, { d => d.PersonName, workspace!.Person.FullName } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true })).Result;
        await AfterDialogAsync(result);
    }

    private static Color DecisionColor(GrantDecision decision) => decision switch
    {
        GrantDecision.Suspend => Color.Warning,
        GrantDecision.Reactivate => Color.Primary,
        _ => Color.Error,
    };

    /// <summary>Where the person stands towards the US, as the rules and the population groups read it (birth in a territory included).</summary>
    private static string UsStanding(PersonSummary p) =>
        UsNationality.IsCitizen(p.Citizenships.Select(c => c.Code), p.CountryOfBirth.Code) ? "US citizen"
        : UsNationality.IsNational(p.Citizenships.Select(c => c.Code), p.CountryOfBirth.Code) ? "US national (not a citizen)"
        : p.IsUsPerson ? "US person (permanent resident)" : "Foreign national";

    private async Task DecideAsync(PersonGrant grant, GrantDecision decision)
    {
        var result = await (await Dialogs.ShowAsync<GrantDecisionDialog>($"{decision} grant",
            new DialogParameters<GrantDecisionDialog>
            {
                { d => d.GrantId, grant.Id }, { d => d.Decision, decision }, { d => d.SystemName, grant.SystemName }, { d => d.PersonName, workspace!.Person.FullName },
            },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true })).Result;
        await AfterDialogAsync(result);
    }

    private async Task AfterDialogAsync(DialogResult? result)
    {
        if (result is { Canceled: false, Data: string message })
        {
            Snackbar.Add(message, MudBlazor.Severity.Success);
            await ReloadAsync();
        }
    }

    private static string YesNo(bool value) => value ? "Yes" : "No";

    private static string Period(PersonGrant g) => $"{g.StartsOn:yyyy-MM-dd} – {(g.EndsOn is { } end ? end.ToString("yyyy-MM-dd") : "open-ended")}";


    private static Color ScreeningColor(ScreeningStatus status) => status switch
    {
        ScreeningStatus.Clear => Color.Success,
        ScreeningStatus.PotentialMatch => Color.Warning,
        _ => Color.Error,
    };
}
