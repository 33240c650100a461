using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Deployment;

/// <summary>
/// The systemd units in deploy/ (docs/operations/systemd.md): every hardening directive a security office checks is there with
/// the value it needs, systemd itself accepts them when systemd-analyze is installed, and scripts/install-service.sh --dry-run
/// says what it would create with which modes.
/// </summary>
public sealed class ServiceUnitTests(ITestOutputHelper output)
{
    private static readonly string Deploy = Path.Combine(Repository.Root, "deploy");

    /// <summary>The directives and values both units must have.</summary>
    private static readonly (string Key, string Value)[] Hardening =
    [
        ("User", "compliancehub"), ("Group", "compliancehub"), ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"), ("PrivateDevices", "yes"), ("ProtectKernelTunables", "yes"), ("ProtectKernelModules", "yes"),
        ("ProtectKernelLogs", "yes"), ("ProtectControlGroups", "yes"), ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"),
        ("RestrictNamespaces", "yes"), ("LockPersonality", "yes"), ("CapabilityBoundingSet", ""), ("AmbientCapabilities", ""),
        ("RestrictSUIDSGID", "yes"), ("SystemCallArchitectures", "native"), ("UMask", "0077"),
        ("EnvironmentFile", "/etc/compliancehub/compliancehub.env"),
    ];

    [Theory]
    [InlineData("compliancehub.service")]
    [InlineData("compliancehub-migrate.service")]
    public void Every_hardening_directive_is_set(string unit)
    {
        var service = Section(Path.Combine(Deploy, unit), "Service");
        foreach (var (key, value) in Hardening)
        {
            Assert.True(service.TryGetValue(key, out var values), $"{unit} has no {key}=");
            Assert.Contains(value, values);
        }
        Assert.False(service.ContainsKey("MemoryDenyWriteExecute"), ".NET's JIT makes compiled code executable: MemoryDenyWriteExecute stops the runtime");
        Assert.DoesNotContain(service["ExecStart"], e => e.Contains("sudo", StringComparison.Ordinal));
    }

    [Fact]
    public void The_portal_stops_on_SIGTERM_within_a_timeout_longer_than_its_own_and_restarts_on_failure()
    {
        var service = Section(Path.Combine(Deploy, "compliancehub.service"), "Service");
        Assert.Equal(["SIGTERM"], service["KillSignal"]);
        Assert.Equal(["on-failure"], service["Restart"]);
        // The portal drains for Hosting:ShutdownTimeoutSeconds (30 s by default) before it exits.
        Assert.True(int.Parse(service["TimeoutStopSec"].Single(), System.Globalization.CultureInfo.InvariantCulture) > 30);
        Assert.Contains("/var/lib/compliancehub /var/log/compliancehub", service["ReadWritePaths"]);
        Assert.Contains("Audit__CheckpointLogPath=/var/lib/compliancehub/checkpoints.jsonl", service["Environment"]);
        var unit = Section(Path.Combine(Deploy, "compliancehub.service"), "Unit");
        Assert.Contains("compliancehub-migrate.service", unit["Requires"]);
        Assert.Contains("compliancehub-migrate.service", string.Join(' ', unit["After"]));
    }

    [Fact]
    public async Task Systemd_accepts_the_units_when_systemd_analyze_is_installed()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            output.WriteLine("systemd-analyze is not installed: the units were checked by Every_hardening_directive_is_set only");
            return;
        }
        var verify = await Shell.RunAsync(analyze, ["verify", "compliancehub-migrate.service", "compliancehub.service"], workingDirectory: Deploy);
        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, $"systemd-analyze verify: {verify.Output}");
        var security = await Shell.RunAsync(analyze, ["security", "--offline=true", "compliancehub.service"], workingDirectory: Deploy);
        var overall = security.Output.Split('\n').LastOrDefault(l => l.Contains("Overall exposure level", StringComparison.Ordinal));
        output.WriteLine(overall ?? security.Output);
        if (overall is not null)
        {
            // "→ Overall exposure level for compliancehub.service: 1.2 OK": below 2 is what systemd calls OK.
            var level = double.Parse(overall.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(level < 2.0, overall);
        }
    }

    [Fact]
    public async Task The_install_script_says_what_it_would_do_without_doing_it()
    {
        var result = (await Shell.RunAsync("bash", [Path.Combine(Repository.Scripts, "install-service.sh"), "--dry-run"])).EnsureSuccess("install-service.sh --dry-run");
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("+ useradd --system", StringComparison.Ordinal) && l.Contains("--shell /usr/sbin/nologin", StringComparison.Ordinal)
            || l == "account compliancehub exists");
        Assert.Contains("+ install -d -o compliancehub -g compliancehub -m 0700 /etc/compliancehub/keys", lines);
        Assert.Contains("+ install -d -o root -g root -m 0755 /opt/compliancehub /opt/compliancehub/web /opt/compliancehub/cli", lines);
        Assert.Contains(lines, l => l.StartsWith("+ install -o root -g root -m 0600 ", StringComparison.Ordinal) && l.EndsWith("/etc/compliancehub/compliancehub.env", StringComparison.Ordinal));
        Assert.Contains("+ systemctl enable compliancehub.service", lines);
        Assert.False(File.Exists("/etc/systemd/system/compliancehub.service") && !Directory.Exists("/opt/compliancehub"), "the dry run installed a unit");
    }

    /// <summary>A unit file's section as key → values (a key may repeat: Environment=, SystemCallFilter=).</summary>
    private static Dictionary<string, List<string>> Section(string file, string name)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            if (section != name)
            {
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"{file}: not a key=value line: {line}");
            var (key, value) = (line[..eq].Trim(), line[(eq + 1)..].Trim());
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }
            list.Add(value);
        }
        return values;
    }
}
