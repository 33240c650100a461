using System.Diagnostics;
using System.Text;

namespace ComplianceHub.Tests.Shared;

/// <summary>
/// A real git repository in a temporary folder, with commits by chosen authors on chosen dates, and the exact
/// <c>git log --pretty=format:'%H%x09%an%x09%ae%x09%aI%x09%s'</c> output the contributions import reads.
/// </summary>
public sealed class GitRepository : IDisposable
{
    private readonly string path = Directory.CreateTempSubdirectory("compliancehub-git-").FullName;
    private int files;

    public GitRepository()
    {
        Git("init", "--quiet", "--initial-branch=main");
    }

    /// <summary>Commits a new file as <paramref name="author"/> &lt;<paramref name="email"/>&gt; at <paramref name="at"/>; returns the commit hash.</summary>
    public string Commit(string author, string email, DateTimeOffset at, string subject)
    {
        var file = Path.Combine(path, $"change-{++files}.txt");
        File.WriteAllText(file, subject + "\n");
        Git("add", ".");
        var date = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        Git(["-c", "user.name=Release Bot", "-c", "user.email=bot@ci.example", "commit", "--quiet", "-m", subject, "--author", $"{author} <{email}>", "--date", date],
            ("GIT_COMMITTER_DATE", date));
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>The log as the import expects it, as the bytes git wrote.</summary>
    public byte[] Log() => Encoding.UTF8.GetBytes(Git("log", "--pretty=format:%H%x09%an%x09%ae%x09%aI%x09%s"));

    private string Git(params string[] args) => Git(args, []);

    private string Git(string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = path; // no user configuration leaks in
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder; the OS cleans it
        }
    }
}
