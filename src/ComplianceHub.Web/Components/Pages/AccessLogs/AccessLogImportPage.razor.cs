using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Web.Components.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessLogs;

/// <summary>
/// The access-log import wizard (issue 25): vendor, format (detected by default), system, the year and zone of sshd lines, the file;
/// "Check the file" runs the import as a dry run and shows its report; "Import" applies it. Runs off the circuit's context with
/// <see cref="ImportProgressScope"/> progress, as the roster import does.
/// </summary>
public partial class AccessLogImportPage : IDisposable
{
    [Inject] private CommandExecutor Executor { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private ContributionsQuery Contributions { get; set; } = default!;
    [Inject] private VendorsQuery Vendors { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    /// <summary>The IANA zones the server knows (Linux: the tz database), UTC first.</summary>
    private static readonly Lazy<IReadOnlyList<string>> Zones = new(() =>
        ["UTC", .. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id != "UTC").Order(StringComparer.Ordinal)]);

    private static int MaxMegabytes => (int)(AccessLogReader.MaxBytes / 1024 / 1024);

    private Core.Authorization.Actor? actor;
    private bool isRep;
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<(Guid Id, string Name, ImpactLevel ImpactLevel)> systems = [];
    private Guid? vendorId;
    private AccessLogFormat? format;
    private AccessLogFormat? detected;
    private Guid? systemId;
    private int? sshdYear;
    private string? sshdZone = "UTC";
    private string? fileName;
    private FileUpload? content; // spooled to a temporary file, deleted with the page or the next file
    private string? fileProblem;
    private bool reading;
    private bool busy;
    private ImportProgress? progress;
    private AccessLogImportReport? report;
    private Outcome<AccessLogImportReport>? failure;
    private readonly CancellationTokenSource disposed = new();

    private AccessLogFormat? Effective => format ?? detected;
    private bool IsSshd => Effective == AccessLogFormat.SshdAuthLog;
    private bool SystemRequired => Effective != AccessLogFormat.PlainCsv;

    private string FormatHelp => format is null && detected is { } d ? $"Detected: {AccessLogReader.Describe(d)}"
        : format is null ? "Detected from the file when you choose it" : "As chosen";

    private string SystemHelp => vendorId is null ? "Choose the vendor first"
        : Effective == AccessLogFormat.PlainCsv ? "Optional: the CSV's system column names it" : "The systems on the vendor's contracts";

    private string VendorName => vendors.FirstOrDefault(v => v.Id == vendorId)?.Name ?? "the vendor";

    private bool Ready => vendorId is not null && content is not null && (systemId is not null || !SystemRequired || Effective is null)
        && (!IsSshd || (sshdYear is not null && !string.IsNullOrWhiteSpace(sshdZone)));

    private bool CanApply => !busy && Ready && report is { DryRun: true, ProblemCount: 0, SameFile: null };

    /// <summary>What is still to choose before the file can be checked, in words.</summary>
    private string? MissingText =>
        vendorId is null ? "Choose the vendor."
        : content is null ? "Choose the log file."
        : systemId is null && SystemRequired && Effective is not null ? "Choose the system this log comes from."
        : IsSshd && sshdYear is null ? "Give the year of the sshd lines."
        : IsSshd && string.IsNullOrWhiteSpace(sshdZone) ? "Give the server's time zone."
        : null;

    protected override async Task OnInitializedAsync()
    {
        actor = await CurrentActor.GetAsync();
        isRep = actor?.IsVendorRepresentative == true;
        if (actor is null)
        {
            return;
        }
        vendors = await Vendors.VendorsAsync(actor);
        sshdYear = Clock.GetUtcNow().Year;
        if (isRep)
        {
            await OnVendorAsync(actor.VendorId);
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

    private void StartAgain()
    {
        Reset();
        fileName = null;
        fileProblem = null;
        detected = null;
        content?.Dispose();
        content = null;
        progress = null;
    }

    private static Task<IEnumerable<string>> SearchZonesAsync(string? text, CancellationToken ct) =>
        Task.FromResult(string.IsNullOrWhiteSpace(text)
            ? Zones.Value.AsEnumerable()
            : Zones.Value.Where(z => z.Contains(text.Trim().Replace(' ', '_'), StringComparison.OrdinalIgnoreCase)));

    /// <summary>Spools the chosen file to a temporary file (never whole in memory) and detects its format.</summary>
    private async Task OnFileAsync(IBrowserFile? file)
    {
        StartAgain();
        if (file is null)
        {
            return;
        }
        if (file.Size > AccessLogReader.MaxBytes)
        {
            fileProblem = $"'{file.Name}' is {FileSize(file.Size)}; the limit is {MaxMegabytes} MB. Split the log into smaller files.";
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
            await using (var stream = file.OpenReadStream(AccessLogReader.MaxBytes, disposed.Token))
            {
                content = await FileUpload.SpoolAsync(stream, AccessLogReader.MaxBytes, disposed.Token);
            }
            if (content is null)
            {
                fileProblem = $"'{file.Name}' is larger than {MaxMegabytes} MB. Split the log into smaller files.";
                return;
            }
            fileName = file.Name;
            detected = await AccessLogReader.DetectAsync(content.Open, disposed.Token);
            if (detected is null && format is null)
            {
                fileProblem = "The portal could not tell what kind of log this is: choose its format in step 1.";
            }
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

    private async Task RunAsync(bool dryRun)
    {
        if (actor is null || vendorId is not { } vendor || content is null || fileName is null)
        {
            return;
        }
        busy = true;
        failure = null;
        progress = null;
        var command = new ImportAccessLog(vendor, systemId, fileName, content, format, IsSshd ? sshdYear : null, IsSshd ? sshdZone : null, dryRun);
        // The actor as of this click, not of the page's load (ADR 0028).
        var who = await CurrentActor.GetAsync() ?? actor;
        var lastRender = DateTimeOffset.MinValue;
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
                if (report!.Applied)
                {
                    content.Dispose();
                    content = null; // done: a new file for the next import
                    Snackbar.Add($"Imported {report.Added:N0} events.", MudBlazor.Severity.Success);
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

    /// <summary>An identity was named: the report is of the file as checked before; checking again matches it to the person.</summary>
    private void OnNamed(AccessIdentityAliasView alias) =>
        Snackbar.Add(report is { Applied: true }
            ? $"{alias.Identity} now names that person; {alias.EventsMatched:N0} event(s) matched."
            : $"{alias.Identity} now names that person. Check the file again to see its lines matched.", MudBlazor.Severity.Success);

    private sealed class Reporter(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    internal static string FileSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024.0 / 1024.0:0.0} MB" : $"{Math.Max(1, bytes / 1024)} KB";

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
        content?.Dispose();
    }
}
