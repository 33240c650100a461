using System.Text;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>
/// Each rule is described in one place, its class; <c>docs/rules/&lt;ID&gt;.md</c> opens with the same facts word for word
/// (id, title, default severity, waivable, what it is evaluated on, the class, each citation, the guidance) and these tests
/// fail naming the rule and the field that differ. Run with <c>RULE_DOCS_WRITE=1</c> to rewrite every page's header from
/// the classes (and start the page of a new rule); the prose below the header is the author's.
/// </summary>
public sealed class RuleDocsTests
{
    private const string HeaderEnd = "\n## What it checks";

    private static readonly string Root = Given.RepositoryRoot();
    private static readonly string Pages = Path.Combine(Root, "docs", "rules");
    private static readonly Lazy<bool> Written = new(WriteHeadersWhenAsked);

    [Fact]
    public void EveryRuleHasAPage_AndEveryPageIsARule()
    {
        _ = Written.Value;
        var pages = Directory.GetFiles(Pages, "*.md").Select(Path.GetFileNameWithoutExtension).Where(n => n != "README").Order(StringComparer.Ordinal);
        Assert.Equal(RuleCatalogue.All.Select(r => r.Id).Order(StringComparer.Ordinal), pages);
    }

    [Fact]
    public void EachPage_StatesItsRulesFacts_WordForWord()
    {
        _ = Written.Value;
        var differences = new List<string>();
        foreach (var rule in RuleCatalogue.All)
        {
            var path = Path.Combine(Pages, rule.Id + ".md");
            if (!File.Exists(path))
            {
                differences.Add($"{rule.Id}: docs/rules/{rule.Id}.md is missing");
                continue;
            }
            var page = Fields(HeaderOf(File.ReadAllText(path)));
            foreach (var (field, expected) in Fields(Header(rule)))
            {
                var actual = page.FirstOrDefault(f => f.Field == field).Value;
                if (actual != expected)
                {
                    differences.Add($"{rule.Id}, {field}: the page says {Quote(actual)}, the rule {Quote(expected)}");
                }
            }
            foreach (var (field, value) in page.Where(p => !Fields(Header(rule)).Any(f => f.Field == p.Field)))
            {
                differences.Add($"{rule.Id}, {field}: the page says {Quote(value)}, the rule has no such field");
            }
            if (differences.Count == 0 && HeaderOf(File.ReadAllText(path)) != Header(rule))
            {
                differences.Add($"{rule.Id}: the header's layout differs from the generated one (RULE_DOCS_WRITE=1 rewrites it)");
            }
        }
        Assert.True(differences.Count == 0, "docs/rules differ from the rule classes:\n" + string.Join("\n", differences));
    }

    [Fact]
    public void TheIndex_ListsEveryRule_WithItsDefaultSeverity()
    {
        var index = File.ReadAllLines(Path.Combine(Pages, "README.md"));
        foreach (var rule in RuleCatalogue.All)
        {
            var row = index.SingleOrDefault(l => l.StartsWith($"| [{rule.Id}]({rule.Id}.md) |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/rules/README.md does not list {rule.Id}");
            Assert.True(row!.Split('|')[2].Trim().StartsWith(rule.DefaultSeverity.ToString(), StringComparison.Ordinal),
                $"docs/rules/README.md gives {rule.Id} another default than {rule.DefaultSeverity}: {row}");
        }
    }

    [Fact]
    public void APageThatDiffersOnACitation_IsReported_WithTheRuleAndTheField()
    {
        var rule = RuleCatalogue.Find("CIT-COVERED")!;
        var drifted = Header(rule).Replace(rule.Citations[0], "SecDef statement of 18 Jul 2025", StringComparison.Ordinal);
        var page = Fields(drifted);
        var differing = Fields(Header(rule)).Where(f => page.FirstOrDefault(p => p.Field == f.Field).Value != f.Value).Select(f => f.Field);
        Assert.Equal(["citation 1"], differing);
    }

    /// <summary>The header every page opens with, generated from the rule.</summary>
    private static string Header(IRule rule)
    {
        var type = rule.GetType();
        var b = new StringBuilder();
        b.Append("# ").Append(rule.Id).Append(" — ").Append(rule.Title).Append("\n\n");
        b.Append("| | |\n|---|---|\n");
        b.Append("| Default severity | ").Append(rule.DefaultSeverity).Append(" |\n");
        b.Append("| Waivable | ").Append(rule.Waivable ? "yes" : "no").Append(" |\n");
        b.Append("| Evaluated on | ").Append(EvaluatedOn(rule)).Append(" |\n");
        b.Append("| Code | `").Append(SourceOf(type)).Append("` (`").Append(type.Name).Append("`) |\n\n");
        b.Append("## Citations\n");
        foreach (var citation in rule.Citations)
        {
            b.Append("- ").Append(citation).Append('\n');
        }
        b.Append("\n## How to respond\n").Append(rule.Guidance).Append('\n');
        return b.ToString();
    }

    /// <summary>The header's facts as (field, value), in order: id, title, the table's rows, each citation, the guidance.</summary>
    private static List<(string Field, string? Value)> Fields(string header)
    {
        var fields = new List<(string, string?)>();
        var lines = header.Split('\n');
        var title = lines[0].StartsWith("# ", StringComparison.Ordinal) ? lines[0][2..].Split(" — ", 2) : [];
        fields.Add(("id", title.ElementAtOrDefault(0)));
        fields.Add(("title", title.ElementAtOrDefault(1)));
        var section = "";
        var citations = 0;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..];
            }
            else if (section == "" && line.StartsWith("| ", StringComparison.Ordinal) && line.Split('|') is { Length: 4 } cells && cells[1].Trim() != "")
            {
                fields.Add((cells[1].Trim().ToLowerInvariant(), cells[2].Trim()));
            }
            else if (section == "Citations" && line.StartsWith("- ", StringComparison.Ordinal))
            {
                fields.Add(($"citation {++citations}", line[2..]));
            }
            else if (section == "How to respond" && line != "")
            {
                fields.Add(("guidance", line));
            }
        }
        return fields;
    }

    private static string HeaderOf(string page)
    {
        var end = page.IndexOf(HeaderEnd, StringComparison.Ordinal);
        return end < 0 ? page : page[..(end + 1)].TrimEnd('\n') + "\n";
    }

    private static string EvaluatedOn(IRule rule) => string.Join(", ", new[]
    {
        rule is IGrantRule ? "grants" : null,
        rule is IEscortRule ? "escort assignments" : null,
        rule is ISessionRule ? "escorted sessions" : null,
    }.OfType<string>());

    /// <summary>The source file that declares the rule's class, relative to the repository.</summary>
    private static string SourceOf(Type type)
    {
        var rules = Path.Combine(Root, "src", "ComplianceHub.Core", "Rules");
        var files = Directory.GetFiles(rules, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains($"class {type.Name} ", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count == 1, $"{type.Name} is declared in {files.Count} files under src/ComplianceHub.Core/Rules");
        return Path.GetRelativePath(Root, files[0]).Replace('\\', '/');
    }

    private static string Quote(string? value) => value is null ? "nothing" : $"\"{value}\"";

    /// <summary>With RULE_DOCS_WRITE=1: every page's header rewritten from its rule, a page started for a rule without one.</summary>
    private static bool WriteHeadersWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("RULE_DOCS_WRITE") != "1")
        {
            return false;
        }
        foreach (var rule in RuleCatalogue.All)
        {
            var path = Path.Combine(Pages, rule.Id + ".md");
            var page = File.Exists(path) ? File.ReadAllText(path) : Header(rule) + HeaderEnd + "\nTODO\n";
            var end = page.IndexOf(HeaderEnd, StringComparison.Ordinal);
            File.WriteAllText(path, Header(rule) + (end < 0 ? HeaderEnd + "\nTODO\n" : page[end..]));
        }
        return true;
    }
}
