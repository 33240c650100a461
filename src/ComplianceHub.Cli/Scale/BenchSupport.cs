using System.Diagnostics;
using System.Globalization;

namespace ComplianceHub.Cli.Scale;

/// <summary>One row of the bench table: a measure, the portal's time, the hand-written SQL's time, and the app's peak memory meanwhile.</summary>
public sealed record BenchRow(string Measure, string Portal, string Baseline, string Ratio, string Goal, string PeakMemory, string? Note = null);

/// <summary>What one timed run gave: its time, or why there is none ("no answer in N s", or the failure).</summary>
internal readonly record struct Timing(TimeSpan? Time, string? Problem)
{
    public string Text => Time is { } t ? Format(t) : Problem ?? "-";

    /// <summary>The <paramref name="percentile"/> of samples in milliseconds; no answer when there are none.</summary>
    public static Timing Of(IReadOnlyCollection<double> samples, double percentile) =>
        samples.Count == 0 ? new Timing(null, "no answer") : new Timing(TimeSpan.FromMilliseconds(Machine.Percentile(samples.ToList(), percentile)), null);

    public static string Format(TimeSpan t) => t.TotalSeconds >= 10
        ? t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"
        : t.TotalMilliseconds >= 1000
            ? t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s"
            : t.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(Timing portal, Timing baseline) =>
        portal.Time is { } p && baseline.Time is { } b && b > TimeSpan.Zero
            ? (p.TotalMilliseconds / b.TotalMilliseconds).ToString(p.TotalMilliseconds / b.TotalMilliseconds >= 10 ? "F0" : "F1", CultureInfo.InvariantCulture) + "×"
            : "n/a (no answer)";
}

/// <summary>
/// Samples the process's working set and managed heap on a timer (every 50 ms): the peak since the last <see cref="Reset"/>
/// (one measure) and the peak overall.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer timer;
    private long peak;
    private long overall;
    private long heapPeak;

    public MemorySampler() => timer = new Timer(_ => Sample(), null, 0, 50);

    public long Peak => Interlocked.Read(ref peak);
    public long OverallPeak => Interlocked.Read(ref overall);
    public long HeapPeak => Interlocked.Read(ref heapPeak);

    public void Reset()
    {
        Interlocked.Exchange(ref peak, Environment.WorkingSet);
    }

    private void Sample()
    {
        var ws = Environment.WorkingSet;
        var heap = GC.GetTotalMemory(false);
        Max(ref peak, ws);
        Max(ref overall, ws);
        Max(ref heapPeak, heap);
    }

    private static void Max(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";

    public void Dispose() => timer.Dispose();
}

/// <summary>A write-only stream that only counts: the export's destination, so the bench measures the export and not a disk.</summary>
internal sealed class CountingStream : Stream
{
    public long Written { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Written += count;
    public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Written += buffer.Length;
        return ValueTask.CompletedTask;
    }
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Written += count;
        return Task.CompletedTask;
    }
}

/// <summary>The machine the bench ran on, as it prints it.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var memory = "unknown memory";
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
            {
                memory = (kb / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " GiB";
            }
        }
        catch (IOException)
        {
        }
        return $"{Environment.ProcessorCount} cores, {memory}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    public static string Commit()
    {
        if (Environment.GetEnvironmentVariable("BENCH_COMMIT") is { Length: > 0 } given)
        {
            return given;
        }
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Environment.CurrentDirectory,
            });
            if (git is null)
            {
                return "unknown";
            }
            var text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5_000);
            return git.ExitCode == 0 && text.Length > 0 ? text : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (git not found)";
        }
    }

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
