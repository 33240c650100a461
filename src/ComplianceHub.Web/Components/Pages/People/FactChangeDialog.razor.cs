using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Components.Pages.People;

public partial class FactChangeDialog
{
    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public PersonSummary Person { get; set; } = default!;

    private string? workCountry;
    private string? workCity;
    private List<string> citizenships = [];
    private bool lpr;
    private DateTime? effectiveOn;
    private bool saving;
    private string? failure;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();
    private LivePreview? preview;

    protected override async Task OnInitializedAsync()
    {
        preview = new LivePreview(() => InvokeAsync(StateHasChanged), Logger);
        workCountry = Person.WorkCountry.Code;
        workCity = Person.WorkCity;
        citizenships = Person.Citizenships.Select(c => c.Code).ToList();
        lpr = Person.UsLawfulPermanentResident;
        effectiveOn = Clock.GetUtcNow().UtcDateTime.Date;
        await AskAsync(); // idle, with what is still missing beside the submit button
    }

    private bool Has(string field) => errors.ContainsKey(field) || errors.Keys.Any(k => k.StartsWith(field + "[", StringComparison.Ordinal));

    private string? ErrorOf(string field)
    {
        var messages = errors.Where(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal)).SelectMany(e => e.Value).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    private async Task AddCitizenship(string? code)
    {
        if (code is not null && !citizenships.Contains(code))
        {
            citizenships.Add(code);
            citizenships.Sort(StringComparer.Ordinal);
            await AskAsync();
        }
    }

    private async Task RemoveCitizenshipAsync(string country)
    {
        citizenships.Remove(country);
        await AskAsync();
    }

    /// <summary>The command with only what changed; null parts keep the recorded facts.</summary>
    public static ChangePersonFacts Command(PersonSummary person, string? workCountry, string? workCity, IReadOnlyList<string> citizenships,
        bool lpr, DateOnly? effectiveOn)
    {
        var moved = workCountry != person.WorkCountry.Code || (workCity ?? "").Trim() != person.WorkCity;
        var original = person.Citizenships.Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
        var nationality = !original.SequenceEqual(citizenships.Order(StringComparer.Ordinal));
        return new ChangePersonFacts(person.Id,
            moved ? workCountry ?? "" : null,
            moved ? workCity?.Trim() : null,
            nationality ? citizenships.ToList() : null,
            null,
            lpr != person.UsLawfulPermanentResident ? lpr : null,
            effectiveOn);
    }

    /// <summary>Asks the rules what the change would do (a dry run), once the form differs from the recorded facts.</summary>
    private async Task AskAsync()
    {
        var command = Command(Person, workCountry, workCity, citizenships, lpr, effectiveOn is { } d ? DateOnly.FromDateTime(d) : null) with { DryRun = true };
        // Ask only about a complete change: a country being typed (no value yet) or a move without a city is not a question yet.
        var incomplete = string.IsNullOrEmpty(workCountry) || string.IsNullOrWhiteSpace(workCity) || citizenships.Count == 0;
        var changed = !incomplete && (command.WorkCountry is not null || command.Citizenships is not null || command.UsLawfulPermanentResident is not null);
        var actor = await CurrentActor.GetAsync();
        var missing = string.IsNullOrEmpty(workCountry) ? "Choose the work-location country to continue."
            : string.IsNullOrWhiteSpace(workCity) ? "Give the city or site to continue."
            : citizenships.Count == 0 ? "Add at least one citizenship to continue."
            : "Change the work location, a citizenship or the permanent residence to record it.";
        await preview!.AskAsync<PersonChangeResult>(!changed || actor is null ? null : () => Executor.SendAsync(actor, command), r => WouldDo(r.Consequences),
            missing, r => Harms(r.Consequences));
    }

    /// <summary>Whether a change suspends or revokes a grant or opens a finding: its preview is then a warning.</summary>
    public static bool Harms(ConsequencesView c) => c.SuspendedGrants.Count + c.RevokedGrants.Count + c.FindingsOpened.Count > 0;

    /// <summary>"Saving would suspend 2 grants and open 2 findings." — a dry run's consequences, before saving.</summary>
    public static string WouldDo(ConsequencesView c)
    {
        var parts = new List<string>();
        void Add(int n, string verb, string one, string many) { if (n > 0) { parts.Add($"{verb} {n} {(n == 1 ? one : many)}"); } }
        Add(c.SuspendedGrants.Count, "suspend", "grant", "grants");
        Add(c.RevokedGrants.Count, "revoke", "grant", "grants");
        Add(c.ReactivatedGrants.Count, "reactivate", "grant", "grants");
        Add(c.FindingsOpened.Count, "open", "finding", "findings");
        Add(c.FindingsClosed.Count, "close", "finding", "findings");
        return parts.Count == 0 ? "Saving would change no grant and no finding."
            : $"Saving would {string.Join(", ", parts.Take(parts.Count - 1))}{(parts.Count > 1 ? " and " : "")}{parts[^1]}.";
    }

    public void Dispose() => preview?.Dispose();

    /// <summary>"Recorded. 2 grants suspended, 2 findings opened."</summary>
    public static string Describe(ConsequencesView c)
    {
        var parts = new List<string>();
        void Add(int n, string what) { if (n > 0) { parts.Add($"{n} {what}"); } }
        Add(c.SuspendedGrants.Count, c.SuspendedGrants.Count == 1 ? "grant suspended" : "grants suspended");
        Add(c.RevokedGrants.Count, c.RevokedGrants.Count == 1 ? "grant revoked" : "grants revoked");
        Add(c.ReactivatedGrants.Count, c.ReactivatedGrants.Count == 1 ? "grant reactivated" : "grants reactivated");
        Add(c.FindingsOpened.Count, c.FindingsOpened.Count == 1 ? "finding opened" : "findings opened");
        Add(c.FindingsClosed.Count, c.FindingsClosed.Count == 1 ? "finding closed" : "findings closed");
        return parts.Count == 0 ? "Change recorded. No grant or finding changed." : $"Change recorded: {string.Join(", ", parts)}.";
    }

    private async Task SaveAsync()
    {
        saving = true;
        failure = null;
        try
        {
            var actor = await ActorAsync();
            var command = Command(Person, workCountry, workCity, citizenships, lpr, effectiveOn is { } d ? DateOnly.FromDateTime(d) : null);
            var outcome = await Executor.SendAsync(actor, command);
            errors = outcome.Errors ?? new Dictionary<string, string[]>();
            if (outcome.IsOk)
            {
                Dialog.Close(DialogResult.Ok(Describe(outcome.Value!.Consequences)));
            }
            else if (outcome.Kind != OutcomeKind.Invalid)
            {
                failure = outcome.Message;
            }
        }
        finally
        {
            saving = false;
        }
    }
}
