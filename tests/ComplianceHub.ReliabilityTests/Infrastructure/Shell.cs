using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>The output and exit code of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string Output)
{
    public CommandResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed (exit code {ExitCode}):\n{Output}");
}

/// <summary>Commands run to completion, signals, and free loopback ports.</summary>
public static class Shell
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>, stdout and stderr captured together; no shell between.</summary>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in time:\n{Text(output)}");
        }
        process.WaitForExit(); // the last output lines
        return new CommandResult(process.ExitCode, Text(output));
    }

    /// <summary>A bash snippet with scripts/lib/postgres.sh sourced and PostgreSQL installed (pg_ensure_installed: PG_BIN set).</summary>
    public static Task<CommandResult> PostgresAsync(string script, CancellationToken ct = default, TimeSpan? timeout = null) =>
        RunAsync("bash", ["-c", $"set -euo pipefail; source scripts/lib/postgres.sh; pg_ensure_installed >&2; {script}"], timeout: timeout, ct: ct);

    /// <summary>Single-quoted for bash.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A TCP port nothing listens on at 127.0.0.1 now, from the operating system.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    public const int SigTerm = 15;
    public const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
