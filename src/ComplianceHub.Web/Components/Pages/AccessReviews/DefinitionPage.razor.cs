using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Contracts;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Features.Vendors;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>An access review's definition: an officer's form (new or edit), an auditor's read-only view.</summary>
public partial class DefinitionPage
{
    [Inject] private AccessReviewsQuery Reviews { get; set; } = default!;
    [Inject] private VendorsQuery Vendors { get; set; } = default!;
    [Inject] private SystemsQuery Systems { get; set; } = default!;
    [Inject] private ContractsQuery Contracts { get; set; } = default!;
    [Inject] private CommandExecutor Executor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The definition edited; null for a new one.</summary>
    [Parameter] public Guid? Id { get; set; }

    private MudForm? form;
    private bool loaded;
    private bool readOnly;
    private bool retired;
    private bool saving;
    private string? formError;
    private Dictionary<string, string[]> errors = [];
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<ContractView> contracts = [];
    private IReadOnlyList<SystemRow> systems = [];
    private List<(Guid Id, string Name)> officers = [];
    private Dictionary<Guid, string> scopeNames = [];

    private string name = "";
    private HashSet<Guid> vendorIds = [];
    private HashSet<Guid> contractIds = [];
    private HashSet<Guid> systemIds = [];
    private HashSet<ImpactLevel> impactLevels = [];
    private HashSet<AccessType> accessTypes = [];
    private bool onlyForeign;
    private bool onlyEscorted;
    private bool onlyFailing;
    private bool representativeStage = true;
    private Guid fallbackOfficerId;
    private int durationDays = 30;
    private List<int> reminderDays = [7, 1];
    private int? newReminder;
    private DeadlineAction deadlineAction = DeadlineAction.Escalate;
    private int escalationDays = 7;
    private CommentRule commentRule = CommentRule.WhenSensitive;
    private Recurrence recurrence = Recurrence.None;
    private DateTime? firstStart;
    private uint? version;

    private AccessReviewScope Scope => new()
    {
        VendorIds = [.. vendorIds],
        ContractIds = [.. contractIds],
        SystemIds = [.. systemIds],
        ImpactLevels = [.. impactLevels],
        AccessTypes = [.. accessTypes],
        OnlyForeignNationals = onlyForeign,
        OnlyEscorted = onlyEscorted,
        OnlyFailingRules = onlyFailing,
    };

    protected override async Task OnParametersSetAsync()
    {
        var actor = await ActorAsync();
        readOnly = !actor.IsContractingOfficer;
        vendors = await Vendors.VendorsAsync(actor);
        contracts = (await Contracts.ListAsync(actor, new ContractFilter(), new PageRequest(1, PageRequest.MaxPageSize))).Items;
        systems = (await Systems.ListAsync(actor, new SystemFilter(), new PageRequest(1, PageRequest.MaxPageSize))).Items;
        scopeNames = await AccessReviewsPage.ScopeNamesAsync(actor, Vendors, Systems, Contracts);
        // The officers a fallback may be: every active officer acting installation-wide or for the reader's office (the reader
        // marked), and the one a definition already names even if no longer among them (shown, so the form says who it is).
        var known = new Dictionary<Guid, string>();
        foreach (var officer in await Reviews.FallbackOfficersAsync(actor))
        {
            known[officer.AccountId] = officer.AccountId == actor.UserId ? $"{officer.Name} (you)" : officer.Name;
        }
        if (Id is { } id)
        {
            var definition = await Reviews.DefinitionAsync(actor, id);
            if (definition is null)
            {
                loaded = true;
                Navigation.NotFound();
                return;
            }
            Fill(definition);
            known.TryAdd(definition.FallbackOfficerId, definition.FallbackOfficerName);
            readOnly |= definition.RetiredAt is not null;
        }
        else if (readOnly)
        {
            Navigation.NotFound();
            return;
        }
        else
        {
            fallbackOfficerId = actor.UserId;
        }
        officers = known.Select(k => (k.Key, k.Value)).OrderBy(o => o.Value, StringComparer.OrdinalIgnoreCase).ToList();
        loaded = true;
    }

    private void Fill(AccessReviewDefinitionView d)
    {
        name = d.Name;
        vendorIds = [.. d.Scope.VendorIds];
        contractIds = [.. d.Scope.ContractIds];
        systemIds = [.. d.Scope.SystemIds];
        impactLevels = [.. d.Scope.ImpactLevels];
        accessTypes = [.. d.Scope.AccessTypes];
        onlyForeign = d.Scope.OnlyForeignNationals;
        onlyEscorted = d.Scope.OnlyEscorted;
        onlyFailing = d.Scope.OnlyFailingRules;
        representativeStage = d.RepresentativeStage;
        fallbackOfficerId = d.FallbackOfficerId;
        durationDays = d.DurationDays;
        reminderDays = [.. d.ReminderDays];
        deadlineAction = d.DeadlineAction;
        escalationDays = d.EscalationDays;
        commentRule = d.CommentRule;
        recurrence = d.Recurrence;
        firstStart = d.NextStartOn?.ToDateTime(TimeOnly.MinValue);
        retired = d.RetiredAt is not null;
        version = d.Version;
    }

    /// <summary>A multi-select's text: the chosen names (the select passes their values as text).</summary>
    private string NamesOf(IEnumerable<string?>? values) =>
        string.Join(", ", (values ?? []).Select(v => Guid.TryParse(v, out var id) && scopeNames.TryGetValue(id, out var n) ? n : v));

    private bool Has(string field) => errors.ContainsKey(field);

    private string? ErrorOf(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private void AddReminder()
    {
        if (newReminder is { } day && !reminderDays.Contains(day))
        {
            reminderDays.Add(day);
        }
        newReminder = null;
    }

    private SaveAccessReviewDefinition Command() => new(Id, name.Trim(), Scope, representativeStage, fallbackOfficerId, durationDays,
        [.. reminderDays.OrderDescending()], deadlineAction, escalationDays, commentRule, recurrence,
        recurrence == Recurrence.None || firstStart is null ? null : DateOnly.FromDateTime(firstStart.Value),
        version?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Checks each field where it is (the command's validator), then saves; the server's errors land at their fields too.</summary>
    private async Task SaveAsync()
    {
        formError = null;
        var command = Command();
        var check = await new SaveAccessReviewDefinitionValidator().ValidateAsync(command);
        errors = check.Errors.GroupBy(e => e.PropertyName.Split('.')[0]).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        if (errors.Count > 0)
        {
            formError = "Correct the fields marked in red.";
            return;
        }
        saving = true;
        try
        {
            var outcome = await Executor.SendAsync(await ActorAsync(), command);
            if (outcome.IsOk && outcome.Value is { } saved)
            {
                Snackbar.Add($"{saved.Name} saved.", MudBlazor.Severity.Success);
                Navigation.NavigateTo("/access-reviews");
                return;
            }
            if (outcome.Errors is { Count: > 0 } serverErrors)
            {
                errors = serverErrors.GroupBy(e => e.Key.Split('.')[0], StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => char.ToUpperInvariant(g.Key[0]) + g.Key[1..], g => g.SelectMany(e => e.Value).ToArray());
                formError = "Correct the fields marked in red.";
            }
            else
            {
                formError = outcome.Kind == OutcomeKind.Conflict
                    ? "Someone changed this review since you opened it. Reload the page to see their change, then edit again."
                    : outcome.Message ?? "The review was not saved.";
            }
        }
        finally
        {
            saving = false;
        }
    }
}
