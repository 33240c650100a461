using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Personnel;
using RuleSeverity = ComplianceHub.Core.Domain.Findings.Severity;

namespace ComplianceHub.Web.Components.Pages.Roster;

public partial class RosterImportPage
{
    private enum RowFilter { All, Errors, Changes, Outcomes }

    private static int MaxMegabytes => RosterFile.MaxBytes / 1024 / 1024;

    private Core.Authorization.Actor? actor;
    private string? fileName;
    private FileUpload? content; // spooled to a temporary file, deleted with the page or the next file
    private string? fileProblem;
    private bool reading;
    private bool busy;
    private ImportProgress? progress;
    private RosterImportReport? report;
    private Outcome<RosterImportReport>? failure;
    private RowFilter rowFilter;
    private MudTable<ImportRowReport>? table;
    private readonly CancellationTokenSource disposed = new();

    private bool reapply;

    /// <summary>After a clean dry run; a file applied before only once "Apply this file again" is ticked (ADR 0041).</summary>
    private bool CanApply => !busy && content is not null && report is { DryRun: true, Errors.Count: 0 } && (report.AlreadyApplied is null || reapply);

    private double Percent => progress is null || progress.Total == 0 ? 0 : 100.0 * progress.Done / progress.Total;

    private IEnumerable<ImportRowReport> FilteredRows => (report?.RowReports ?? []).Where(r => rowFilter switch
    {
        RowFilter.Errors => r.Errors.Count > 0,
        RowFilter.Changes => r.Action is ImportAction.Add or ImportAction.Change or ImportAction.Terminate,
        RowFilter.Outcomes => r.Outcomes.Count > 0 || r.Consequences.Count > 0,
        _ => true,
    });

    protected override async Task OnInitializedAsync() => actor = await CurrentActor.GetAsync();

    private void OnRowFilterChanged(RowFilter value)
    {
        rowFilter = value;
        table?.NavigateTo(0);
    }

    /// <summary>Refuses a file that is too large or of the wrong type as soon as it is chosen, before any of it is uploaded.</summary>
    private async Task OnFileAsync(IBrowserFile? file)
    {
        StartAgain();
        if (file is null)
        {
            return;
        }
        var extension = Path.GetExtension(file.Name).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            fileProblem = $"'{file.Name}' is not a roster: choose a .csv or .xlsx file (see the template).";
            return;
        }
        if (file.Size > RosterFile.MaxBytes)
        {
            fileProblem = $"'{file.Name}' is {FileSize(file.Size)}; the limit is {MaxMegabytes} MB. Split it into smaller files.";
            return;
        }
        if (file.Size == 0)
        {
            fileProblem = $"'{file.Name}' is empty.";
            return;
        }
        reading = true;
        try
        {
            await using (var stream = file.OpenReadStream(RosterFile.MaxBytes, disposed.Token))
            {
                content = await FileUpload.SpoolAsync(stream, RosterFile.MaxBytes, disposed.Token);
            }
            if (content is null)
            {
                fileProblem = $"'{file.Name}' is larger than {MaxMegabytes} MB. Split it into smaller files.";
                return;
            }
            fileName = file.Name;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            fileProblem = "The file could not be uploaded. Try again.";
        }
        finally
        {
            reading = false;
        }
    }

    private void StartAgain()
    {
        fileName = null;
        content?.Dispose();
        content = null;
        fileProblem = null;
        report = null;
        failure = null;
        progress = null;
        rowFilter = RowFilter.All;
        reapply = false;
    }

    /// <summary>
    /// Runs the import off the circuit's synchronisation context (a large file takes a while), reporting progress through
    /// <see cref="ImportProgressScope"/>; the command itself stays plain data.
    /// </summary>
    private async Task RunAsync(bool dryRun)
    {
        if (actor?.VendorId is not { } vendorId || content is null || fileName is null)
        {
            return;
        }
        busy = true;
        failure = null;
        progress = new ImportProgress(ImportPhase.Reading, 0, 0);
        var lastRender = DateTimeOffset.MinValue;
        var reporter = new Progress<ImportProgress>(_ => { });
        var command = new ImportRoster(vendorId, fileName, content, dryRun, Reapply: !dryRun && reapply && report?.AlreadyApplied is not null);
        var who = actor;
        try
        {
            var outcome = await Task.Run(async () =>
            {
                using var scope = ImportProgressScope.Begin(new Reporter(p =>
                {
                    progress = p;
                    if (Clock.GetUtcNow() - lastRender > TimeSpan.FromMilliseconds(250))
                    {
                        lastRender = Clock.GetUtcNow();
                        _ = InvokeAsync(StateHasChanged);
                    }
                }));
                return await Executor.SendAsync(who, command, disposed.Token);
            }, disposed.Token);
            if (outcome.IsOk)
            {
                report = outcome.Value;
                rowFilter = report!.Errors.Count > 0 ? RowFilter.Errors : RowFilter.All;
                if (report.Applied)
                {
                    content.Dispose(); // applied: this file is done; "Start again" or a new file for the next import
                    content = null;
                    Snackbar.Add($"Imported {report.Rows:N0} rows.", MudBlazor.Severity.Success);
                }
            }
            else
            {
                failure = outcome;
                if (outcome.Kind == OutcomeKind.Invalid)
                {
                    fileProblem = string.Join(" ", outcome.Errors?.SelectMany(e => e.Value) ?? []);
                }
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

    private async Task DownloadTemplateAsync(TableFormat format)
    {
        var bytes = format == TableFormat.Csv ? System.Text.Encoding.UTF8.GetBytes(RosterFile.CsvTemplate) : RosterFile.XlsxTemplate();
        await DownloadAsync($"roster-template.{TableFile.Extension(format)}", TableFile.ContentType(format), new MemoryStream(bytes));
    }

    private Task DownloadExampleAsync() => DownloadAsync("roster-example.csv", TableFile.ContentType(TableFormat.Csv),
        new MemoryStream(System.Text.Encoding.UTF8.GetBytes(RosterFile.CsvExample)));

    private async Task DownloadErrorsAsync()
    {
        var file = new MemoryStream();
        RosterImportFiles.WriteErrors(file, report!);
        file.Position = 0;
        await DownloadAsync("roster-import-errors.csv", TableFile.ContentType(TableFormat.Csv), file);
    }

    private async Task DownloadRowsAsync()
    {
        var file = new MemoryStream();
        RosterImportFiles.WriteRows(file, report!);
        file.Position = 0;
        await DownloadAsync("roster-import-rows.csv", TableFile.ContentType(TableFormat.Csv), file);
    }

    private async Task DownloadAsync(string name, string contentType, MemoryStream file)
    {
        try
        {
            using var reference = new DotNetStreamReference(file);
            await JS.InvokeVoidAsync("complianceHub.downloadStream", name, contentType, reference);
        }
        catch (JSException ex)
        {
            Logger.LogWarning(ex, "Download of {Name} failed", name);
            Snackbar.Add("The download failed. Try again.", MudBlazor.Severity.Error);
        }
    }

    private static string FileSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024.0 / 1024.0:0.0} MB" : $"{Math.Max(1, bytes / 1024)} KB";

    private static string Consequence(int count, string one, string many) => count == 0 ? "" : $"{count:N0} {(count == 1 ? one : many)}.";

    private static string ActionText(ImportAction action) => Words.Of(action);

    /// <summary>A dry run that would suspend or revoke grants or open findings is a warning; one that changes nothing else is news.</summary>
    internal static MudBlazor.Severity DryRunSeverity(RosterImportReport report) =>
        report.Consequences.SuspendedGrants.Count + report.Consequences.RevokedGrants.Count + report.Consequences.FindingsOpened.Count > 0
            ? MudBlazor.Severity.Warning
            : MudBlazor.Severity.Info;

    /// <summary>
    /// A column's allowed values: a value the file must hold as code ("VendorEmployee") is shown as code with its words
    /// beside it ("Vendor employee"); descriptions ("Date YYYY-MM-DD") are shown as they are.
    /// </summary>
    private static IEnumerable<(string Value, string? Words)> AllowedValues(RosterColumn column) =>
        column.Allowed.Split(", ").Select(v => (v, v.All(char.IsLetterOrDigit) && Words.FactValue(column.Name, v) is var words && words != v ? words : null));

    private static string RowsWithErrors(int rows) => rows == 1 ? "1 row has errors." : $"{rows:N0} rows have errors.";

    private static Color ActionColor(ImportAction action) => action switch
    {
        ImportAction.Add => Color.Success,
        ImportAction.Change => Color.Info,
        ImportAction.Terminate => Color.Warning,
        ImportAction.Error => Color.Error,
        _ => Color.Default,
    };

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
        content?.Dispose();
    }
}
