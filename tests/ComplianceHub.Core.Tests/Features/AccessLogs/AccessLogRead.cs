using System.Text;
using ComplianceHub.Core.Features.AccessLogs;

namespace ComplianceHub.Core.Tests.Features.AccessLogs;

/// <summary>A whole read collected: entries, problems and the summary (the tests' files are small).</summary>
internal sealed record AccessLogRead(List<AccessLogEntry> Entries, List<AccessLogProblem> Problems, AccessLogSummary Summary)
{
    public static Task<AccessLogRead> OfAsync(string text, AccessLogFormat format, SshdOptions? sshd = null) =>
        OfAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), format, sshd);

    public static async Task<AccessLogRead> OfAsync(Stream content, AccessLogFormat format, SshdOptions? sshd = null)
    {
        var entries = new List<AccessLogEntry>();
        var problems = new List<AccessLogProblem>();
        AccessLogSummary? summary = null;
        await foreach (var item in AccessLogReader.ReadAsync(content, format, sshd, CancellationToken.None))
        {
            Assert.Null(summary); // the summary comes last
            if (item.Entry is { } entry)
            {
                entries.Add(entry);
            }
            else if (item.Problem is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                summary = Assert.IsType<AccessLogSummary>(item.Summary);
            }
        }
        Assert.NotNull(summary);
        Assert.Equal((entries.Count, problems.Count), (summary.Entries, summary.Problems));
        Assert.All(entries, e => Assert.True(e.Excerpt.Length is > 0 and <= 500));
        Assert.All(entries, e => Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset));
        return new AccessLogRead(entries, problems, summary);
    }

    /// <summary>The only problem, which must be on line 0 (the file itself).</summary>
    public AccessLogProblem FileProblem()
    {
        var problem = Assert.Single(Problems);
        Assert.Equal(0, problem.Line);
        return problem;
    }
}
