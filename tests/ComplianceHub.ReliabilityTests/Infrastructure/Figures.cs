using System.Globalization;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>
/// The figures a reliability test measured (operations, conflicts retried, restarts survived, seconds to healthy): written to
/// the test output as <c>FIGURE name = value</c> and appended to artifacts/reliability-figures.md (not committed), which
/// scripts/test.sh prints after the run and from which the figures are copied into the documentation.
/// </summary>
public sealed class Figures(ITestOutputHelper output, string test)
{
    private static readonly Lock FileLock = new();

    public static string FilePath => Path.Combine(Repository.Artifacts, "reliability-figures.md");

    /// <summary>Records one figure; <paramref name="unit"/> is said after the value ("s", "operations").</summary>
    public void Record(string name, double value, string unit = "")
    {
        var text = value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("N0", CultureInfo.InvariantCulture)
            : value.ToString("N2", CultureInfo.InvariantCulture);
        Record(name, unit.Length == 0 ? text : $"{text} {unit}");
    }

    public void Record(string name, string value)
    {
        var line = $"FIGURE {test}: {name} = {value}";
        output.WriteLine(line);
        lock (FileLock)
        {
            File.AppendAllText(FilePath, $"| {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z | {test} | {name} | {value} |{Environment.NewLine}");
        }
    }
}
