using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Vendors;

namespace ComplianceHub.Web.Components.Pages.Contributions;

public partial class ContributionImportPage
{
    private Core.Authorization.Actor? actor;
    private bool isRep;
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<(Guid Id, string Name, ImpactLevel ImpactLevel)> systems = [];
    private Guid? vendorId;
    private Guid? systemId;
    private string? repository;
    private string? fileName;
    private FileUpload? content; // spooled to a temporary file, deleted with the page or the next file
    private string? fileProblem;
    private bool busy;
    private ImportProgress? progress;
    private ContributionImportReport? report;
    private Outcome<ContributionImportReport>? failure;
    private readonly CancellationTokenSource disposed = new();

    private bool IsCsv => fileName is not null && Path.GetExtension(fileName).Equals(".csv", StringComparison.OrdinalIgnoreCase);
    private string? repositoryError => fileName is not null && !IsCsv && string.IsNullOrWhiteSpace(repository) ? "Name the repository the git log comes from." : null;
    private bool Ready => vendorId is not null && systemId is not null && content is not null && repositoryError is null;
    private bool CanApply => !busy && Ready && report is { DryRun: true, Errors.Count: 0 };
    private string? QueueRepository => string.IsNullOrWhiteSpace(repository) ? null : repository.Trim();

    protected override async Task OnInitializedAsync()
    {
        actor = await CurrentActor.GetAsync();
        isRep = actor?.IsVendorRepresentative == true;
        if (actor is null)
        {
            return;
        }
        if (isRep)
        {
            await OnVendorAsync(actor.VendorId);
        }
        else
        {
            vendors = await Vendors.VendorsAsync(actor);
        }
    }

    private async Task OnVendorAsync(Guid? value)
    {
        vendorId = value;
        systemId = null;
        Reset();
        systems = value is { } id && actor is not null ? await Contributions.SystemsOfVendorAsync(actor, id) : [];
        if (systems.Count == 1)
        {
            systemId = systems[0].Id;
        }
    }

    private void Reset()
    {
        report = null;
        failure = null;
    }

    private async Task OnFileAsync(IBrowserFile? file)
    {
        Reset();
        fileProblem = null;
        content?.Dispose();
        content = null;
        fileName = null;
        if (file is null)
        {
            return;
        }
        if (file.Size > ContributionFile.MaxBytes)
        {
            fileProblem = $"'{file.Name}' is larger than {ContributionFile.MaxBytes / 1024 / 1024} MB; split the log by date range (git log --since/--until).";
            return;
        }
        if (file.Size == 0)
        {
            fileProblem = $"'{file.Name}' is empty.";
            return;
        }
        try
        {
            await using (var stream = file.OpenReadStream(ContributionFile.MaxBytes, disposed.Token))
            {
                content = await FileUpload.SpoolAsync(stream, ContributionFile.MaxBytes, disposed.Token);
            }
            if (content is null)
            {
                fileProblem = $"'{file.Name}' is larger than {ContributionFile.MaxBytes / 1024 / 1024} MB; split the log by date range (git log --since/--until).";
                return;
            }
            fileName = file.Name;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            fileProblem = "The file could not be uploaded. Try again.";
        }
    }

    private async Task RunAsync(bool dryRun)
    {
        if (actor is null || vendorId is not { } vendor || systemId is not { } system || content is null || fileName is null)
        {
            return;
        }
        busy = true;
        failure = null;
        progress = null;
        var command = new ImportContributions(vendor, system, QueueRepository, fileName, content, dryRun);
        // The actor as of this click, not of the page's load: the office's vendors may have changed since (ADR 0028).
        var who = await CurrentActor.GetAsync() ?? actor;
        try
        {
            var outcome = await Task.Run(async () =>
            {
                using var scope = ImportProgressScope.Begin(new Reporter(p => { progress = p; _ = InvokeAsync(StateHasChanged); }));
                return await Executor.SendAsync(who, command, disposed.Token);
            }, disposed.Token);
            if (outcome.IsOk)
            {
                report = outcome.Value;
                if (report!.Applied)
                {
                    content.Dispose();
                    content = null; // done: a new file for the next import
                    Snackbar.Add($"Imported {report.Rows:N0} changes; {report.Flagged} flagged for review.", MudBlazor.Severity.Success);
                }
            }
            else
            {
                failure = outcome;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            busy = false;
        }
    }

    private sealed class Reporter(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    private static string Short(string id) => id.Length is 40 or 64 ? id[..10] : id;

    private static Color ActionColor(ContributionImportAction action) => action switch
    {
        ContributionImportAction.Add => Color.Success,
        ContributionImportAction.Update => Color.Info,
        ContributionImportAction.Error => Color.Error,
        _ => Color.Default,
    };

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
        content?.Dispose();
    }
}
