using System.Diagnostics;

namespace ComplianceHub.Tests.Shared;

/// <summary>
/// The pinned tools of <c>tests/api-client</c> (Redocly's lint, openapi-typescript, tsc), as API consumers run them on the
/// portal's OpenAPI document. scripts/test.sh installs them (<c>npm ci</c>); a test that needs them fails, never skips,
/// when they are missing.
/// </summary>
public static class ApiClientTools
{
    /// <summary>The folder with package.json, redocly.yaml and the committed client.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>A tool of node_modules/.bin; fails with how to install it when it is not there.</summary>
    public static string Tool(string name)
    {
        var path = Path.Combine(Folder, "node_modules", ".bin", name);
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"{path} is missing: run `npm ci --no-audit --no-fund` in {Folder} (scripts/test.sh does).");
    }

    /// <summary>Runs a program in <see cref="Folder"/> (or <paramref name="directory"/>) and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, string? directory = null,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory ?? Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "api-client");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/api-client was not found above " + AppContext.BaseDirectory);
    }
}
