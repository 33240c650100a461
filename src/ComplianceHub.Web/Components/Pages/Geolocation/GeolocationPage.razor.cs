using System.Globalization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.Geolocation;

/// <summary>The geolocation database in force, address lookups, loading a newer database (administrators) and the loaded ones (ADR 0047).</summary>
public partial class GeolocationPage
{
    private readonly CancellationTokenSource disposed = new();
    private GeolocationStatus? status;
    private Actor? actor;
    private string? address;
    private string? lookupProblem;
    private AddressLookup? lookup;
    private FileUpload? content;
    private string? fileName;
    private string? fileProblem;
    private string? version;
    private string? licence;
    private bool busy;
    private bool uploading;
    private double uploadedPercent;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();
    private Outcome<object>? failure;

    protected override async Task OnInitializedAsync()
    {
        actor = await ActorAsync();
        await LoadStatusAsync();
    }

    private async Task LoadStatusAsync() => status = await Query.StatusAsync(await ActorAsync(), disposed.Token);

    internal static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private bool Has(string field) => errors.ContainsKey(field);
    private string? ErrorOf(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    /// <summary>What is wrong with the chosen file: the upload's problem, or the command's errors about the file.</summary>
    private string? FileProblem => fileProblem ?? ErrorOf("Content") ?? ErrorOf("FileName");

    private async Task OnLookupKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await LookUpAsync();
        }
    }

    private async Task LookUpAsync()
    {
        lookupProblem = null;
        lookup = null;
        if (string.IsNullOrWhiteSpace(address))
        {
            lookupProblem = "Enter an IPv4 or IPv6 address, e.g. 203.0.113.7.";
            return;
        }
        lookup = await Query.LookupAsync(await ActorAsync(), address, disposed.Token);
        if (lookup is null)
        {
            lookupProblem = $"{address.Trim()} is not an IP address: enter one such as 203.0.113.7 or 2001:db8::1.";
        }
    }

    private async Task OnFileAsync(IBrowserFile? file)
    {
        fileProblem = null;
        failure = null;
        errors = new Dictionary<string, string[]>();
        content?.Dispose();
        content = null;
        fileName = null;
        if (file is null)
        {
            return;
        }
        var max = LoadGeolocationDatabaseValidator.MaxBytes;
        if (file.Size > max)
        {
            fileProblem = $"'{file.Name}' is larger than {max / 1024 / 1024} MB: load a country-level database.";
            return;
        }
        busy = uploading = true;
        uploadedPercent = 0;
        try
        {
            await using var stream = new ProgressStream(file.OpenReadStream(max, disposed.Token), file.Size, percent =>
            {
                if (percent - uploadedPercent >= 2 || percent >= 100)
                {
                    uploadedPercent = percent;
                    _ = InvokeAsync(StateHasChanged);
                }
            });
            content = await FileUpload.SpoolAsync(stream, max, disposed.Token);
            if (content is null)
            {
                fileProblem = $"'{file.Name}' is larger than {max / 1024 / 1024} MB: load a country-level database.";
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
            busy = uploading = false;
        }
    }

    private async Task LoadAsync()
    {
        if (content is null || fileName is null)
        {
            return;
        }
        busy = true;
        failure = null;
        errors = new Dictionary<string, string[]>();
        try
        {
            var who = await ActorAsync();
            var command = new LoadGeolocationDatabase(fileName, content, string.IsNullOrWhiteSpace(version) ? null : version,
                string.IsNullOrWhiteSpace(licence) ? null : licence);
            var outcome = await Task.Run(() => Executor.SendAsync(who, command, disposed.Token));
            if (outcome.IsOk)
            {
                await Geolocator.RefreshAsync(disposed.Token); // this instance at once; the others within Geolocation:RefreshEvery
                Snackbar.Add($"{outcome.Value!.Label} is loaded and in force.", Severity.Success);
                content.Dispose();
                content = null;
                fileName = null;
                await LoadStatusAsync();
                return;
            }
            errors = outcome.Errors ?? new Dictionary<string, string[]>();
            failure = outcome.Kind == OutcomeKind.Invalid ? null : outcome.As<object>();
        }
        finally
        {
            busy = false;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
        content?.Dispose();
    }

    /// <summary>Reads through a stream and reports how much of <paramref name="length"/> was read, in percent.</summary>
    private sealed class ProgressStream(Stream inner, long length, Action<double> report) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Advance(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Advance(await inner.ReadAsync(buffer, cancellationToken));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Advance(int count)
        {
            read += count;
            report(length == 0 ? 100 : Math.Min(100, read * 100.0 / length));
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
