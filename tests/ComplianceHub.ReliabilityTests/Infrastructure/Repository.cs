namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>Paths in the checkout the tests run from: the scripts, the built CLI and the built portal.</summary>
public static class Repository
{
    /// <summary>The checkout's root (the folder with ComplianceHub.sln), found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Scripts => Path.Combine(Root, "scripts");

    /// <summary>The CLI as scripts/run.sh runs it (Release build).</summary>
    public static string CliDll => Built(Path.Combine(Root, "src", "ComplianceHub.Cli", "bin", "Release", "net10.0", "ComplianceHub.Cli.dll"));

    /// <summary>The portal as scripts/run.sh runs it (Release build); its content root is <see cref="WebProject"/>.</summary>
    public static string WebDll => Built(Path.Combine(WebProject, "bin", "Release", "net10.0", "ComplianceHub.Web.dll"));

    public static string WebProject => Path.Combine(Root, "src", "ComplianceHub.Web");

    /// <summary>artifacts/ at the root (not committed): figures and logs for people to read after a run.</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Path.Combine(Root, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>
    /// A new folder for a cluster, a key folder or a load balancer, under the temporary folder: the postgres account must be able
    /// to reach it, so it is made traversable (0711) for others.
    /// </summary>
    public static string NewTempFolder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ch-rel-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the reliability tests run on Linux (PostgreSQL as the postgres account, nginx)");
        }
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return dir;
    }

    private static string Built(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: run dotnet build -c Release first", path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComplianceHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no ComplianceHub.sln above {AppContext.BaseDirectory}");
    }
}
