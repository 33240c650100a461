namespace ComplianceHub.Core.Features.Personnel;

/// <summary>The phases of a roster import, in order.</summary>
public enum ImportPhase { Reading, Checking, Matching, Saving, Done }

/// <summary>How far a roster import is: the phase, and rows done of the total (0 when not yet known).</summary>
public sealed record ImportProgress(ImportPhase Phase, int Done, int Total)
{
    public string Describe() => Phase switch
    {
        ImportPhase.Reading => Done == 0 ? "Reading the file…" : $"Reading the file: {Done:N0} rows…",
        ImportPhase.Checking => $"Checking rows: {Done:N0} of {Total:N0}",
        ImportPhase.Matching => $"Matching the roster: {Done:N0} of {Total:N0}",
        ImportPhase.Saving => Done == 0 ? $"Evaluating the rules and recording {Total:N0} rows…" : $"Evaluating the rules and recording rows: {Done:N0} of {Total:N0}",
        _ => "Done",
    };
}

/// <summary>
/// Where a running import reports its progress. Ambient (an <see cref="AsyncLocal{T}"/> set by the caller around
/// <c>CommandExecutor.SendAsync</c>), so <see cref="ImportRoster"/> stays a plain, serialisable record and the executor
/// needs no progress parameter: <c>using (ImportProgressScope.Begin(progress)) await executor.SendAsync(actor, command);</c>
/// </summary>
public static class ImportProgressScope
{
    private static readonly AsyncLocal<IProgress<ImportProgress>?> Current = new();

    public static IDisposable Begin(IProgress<ImportProgress> progress)
    {
        var previous = Current.Value;
        Current.Value = progress;
        return new Restore(previous);
    }

    internal static void Report(ImportPhase phase, int done, int total) => Current.Value?.Report(new ImportProgress(phase, done, total));

    private sealed class Restore(IProgress<ImportProgress>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
