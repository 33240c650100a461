using System.Text.RegularExpressions;

namespace ComplianceHub.Web.Tests.Architecture;

/// <summary>
/// The banned-API analyzer (RS0030) reads C#, not the code of <c>.razor</c> files; this scans them for the same symbols,
/// read from the repository's <c>BannedSymbols.txt</c> files and matched by simple name (<c>DateTime.UtcNow</c>,
/// <c>EnsureCreated</c>, <c>ComplianceDbContext</c>, …).
/// </summary>
public sealed class RazorBannedApiTests
{
    [Fact]
    public void NoRazorFile_UsesABannedSymbol()
    {
        var root = RepositoryRoot();
        var symbols = BannedSymbols(root);
        Assert.Contains(symbols, s => s.Name == "DateTime.UtcNow");
        Assert.Contains(symbols, s => s.Name == "IDbContextFactory");
        var razorFiles = Directory.GetFiles(Path.Combine(root, "src"), "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"))
            .ToList();
        Assert.True(razorFiles.Count > 20, $"only {razorFiles.Count} .razor files found");

        var uses = new List<string>();
        foreach (var file in razorFiles)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                uses.AddRange(symbols.Where(s => s.Pattern.IsMatch(lines[i]))
                    .Select(s => $"{Path.GetRelativePath(root, file)}:{i + 1}: {s.Name} ({s.Reason})"));
            }
        }
        Assert.True(uses.Count == 0, "Banned symbols in Razor code:\n" + string.Join('\n', uses));
    }

    [Theory]
    [InlineData("M:System.DateTime.get_UtcNow;Use TimeProvider", "DateTime.UtcNow", "var t = DateTime.UtcNow;", true)]
    [InlineData("M:System.DateTime.get_Now;Use TimeProvider", "DateTime.Now", "var t = DateTime.UtcNow;", false)]
    [InlineData("M:Microsoft.EntityFrameworkCore.RelationalQueryableExtensions.ExecuteUpdate``1;x", "ExecuteUpdate", "q.ExecuteUpdate(s => s)", true)]
    [InlineData("M:Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade.EnsureCreated;x", "EnsureCreated", "await db.EnsureCreatedAsync()", false)]
    [InlineData("T:Microsoft.EntityFrameworkCore.IDbContextFactory`1;x", "IDbContextFactory", "@inject IDbContextFactory<X> F", true)]
    public void ABannedSymbol_IsMatchedBySimpleName(string line, string name, string code, bool matches)
    {
        var symbol = BannedSymbol.Parse(line)!;
        Assert.Equal(name, symbol.Name);
        Assert.Equal(matches, symbol.Pattern.IsMatch(code));
    }

    private static List<BannedSymbol> BannedSymbols(string root) =>
        Directory.GetFiles(root, "BannedSymbols.txt", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj" or "node_modules"))
            .SelectMany(File.ReadAllLines)
            .Select(BannedSymbol.Parse).OfType<BannedSymbol>()
            .DistinctBy(s => s.Name)
            .ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComplianceHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ComplianceHub.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One line of BannedSymbols.txt (documentation-comment id; reason) as the simple name Razor code would write.</summary>
    private sealed record BannedSymbol(string Name, string Reason, Regex Pattern)
    {
        public static BannedSymbol? Parse(string line)
        {
            var text = line.Trim();
            if (text.Length < 3 || text.StartsWith('#') || text[1] != ':')
            {
                return null;
            }
            var (id, reason) = text.IndexOf(';') is var semi and >= 0 ? (text[2..semi], text[(semi + 1)..].Trim()) : (text[2..], "");
            id = Regex.Replace(id, @"\(.*\)$", "");  // parameter list
            id = Regex.Replace(id, @"`+\d+", "");    // generic arity
            var parts = id.Split('.');
            var member = parts[^1];
            // A property getter is written as Type.Property; a method or type by its own name.
            var name = member.StartsWith("get_", StringComparison.Ordinal) && parts.Length >= 2 ? $"{parts[^2]}.{member[4..]}" : member;
            var pattern = new Regex(@"(?<!\w)" + Regex.Escape(name).Replace(@"\.", @"\s*\.\s*") + @"(?!\w)", RegexOptions.CultureInvariant);
            return new BannedSymbol(name, reason, pattern);
        }
    }
}
