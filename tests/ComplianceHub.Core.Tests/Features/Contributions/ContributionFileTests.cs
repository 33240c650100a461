using System.Text;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;

namespace ComplianceHub.Core.Tests.Features.Contributions;

/// <summary>Reading contributions files: git log output line by line, CSV by column name, every problem with its line and field.</summary>
public sealed class ContributionFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Sha1 = new('a', 40);
    private static readonly string Sha256 = new('b', 64);

    private static Task<ParsedContributions> ParseAsync(string text, string name = "log.txt", string? repository = "infra") =>
        ContributionFile.ParseAsync(Encoding.UTF8.GetBytes(text), name, repository, Now);

    [Fact]
    public async Task GitLog_KeepsTabsInTheSubject_AcceptsCrLfAndSha256_AndConvertsToUtc()
    {
        var parsed = await ParseAsync($"\uFEFF{Sha1}\tJane Roe\tJane@Vendor.example\t2026-11-30T09:15:00-05:00\tFix\tthe\tparser\r\n\r\n" +
                                      $"{Sha256.ToUpperInvariant()}\tBob\tbob@vendor.example\t2026-11-29T10:00:00+00:00\t\n");
        Assert.Empty(parsed.Errors);
        Assert.Equal(ContributionSource.GitLog, parsed.Format);
        Assert.Equal(2, parsed.Rows.Count);
        var first = parsed.Rows[0];
        Assert.Equal((Sha1, "infra", "Jane Roe", "Fix\tthe\tparser"), (first.ExternalId, first.Repository, first.AuthorName, first.Title));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 14, 15, 0, TimeSpan.Zero), first.ContributedAt);
        Assert.Equal(TimeSpan.Zero, first.ContributedAt.Offset);
        Assert.Equal(Sha256, parsed.Rows[1].ExternalId); // hashes compare in lower case
    }

    [Fact]
    public async Task GitLog_NeedsTheRepositoryName() =>
        Assert.Contains("Name the repository", Assert.Single((await ParseAsync($"{Sha1}\tA\ta@b.c\t2026-11-30T09:15:00Z\tx", repository: " ")).Errors).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData("%PDF-1.7 binary", "not text")]
    [InlineData("", "empty")]
    public async Task AFileThatIsNotALog_IsRefusedWhole(string content, string says) =>
        Assert.Contains(says, Assert.Single((await ParseAsync(content)).Errors).Message, StringComparison.Ordinal);

    [Fact]
    public async Task EveryBadLine_IsReported_WithItsField()
    {
        var parsed = await ParseAsync(
            $"{Sha1}\tA\ta@b.c\t2026-11-30T09:15:00Z\tgood\n" +
            $"{Sha1}\tA\ta@b.c\t2026-11-30T09:15:00Z\tduplicate\n" +
            $"xyz\tA\tnot-mail\t30/11/2026\tbad\n" +
            $"{Sha256}\tA\ta@b.c\t2026-12-09T00:00:00Z\tfuture\n");
        Assert.Single(parsed.Rows);
        Assert.Contains(parsed.Errors, e => e is { Row: 2, Field: "id" } && e.Message.Contains("already on line 1", StringComparison.Ordinal));
        Assert.Contains(parsed.Errors, e => e is { Row: 3, Field: "id" });
        Assert.Contains(parsed.Errors, e => e is { Row: 3, Field: "authorEmail" });
        Assert.Contains(parsed.Errors, e => e is { Row: 3, Field: "date" });
        Assert.Contains(parsed.Errors, e => e is { Row: 4, Field: "date" } && e.Message.Contains("future", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_FindsColumnsByName_InAnyCaseOrSpacing_AndChecksLinks()
    {
        var parsed = await ParseAsync("Title,AUTHOR_EMAIL,id,date,url,author-name\n" +
                                      "Rotate keys,jane@vendor.example,PR-1,2026-11-30T09:15:00Z,https://git.example/pr/1,Jane\n" +
                                      "Bad link,jane@vendor.example,PR-2,2026-11-30T09:15:00Z,javascript:alert(1),Jane\n", "changes.csv");
        var row = Assert.Single(parsed.Rows);
        Assert.Equal((ContributionSource.Csv, "PR-1", "infra", "https://git.example/pr/1"), (parsed.Format, row.ExternalId, row.Repository, row.Url));
        Assert.Contains(parsed.Errors, e => e is { Row: 3, Field: "url" });
    }

    [Fact]
    public async Task Csv_WithoutTheRequiredColumns_IsRefusedAtTheHeader()
    {
        var parsed = await ParseAsync("id,who,when\nPR-1,x,y\n", "changes.csv", repository: null);
        Assert.Empty(parsed.Rows);
        Assert.All(parsed.Errors, e => Assert.Equal(1, e.Row));
        Assert.Contains(parsed.Errors, e => e.Field == "who");
        Assert.Contains(parsed.Errors, e => e.Field == "authorEmail");
        Assert.Contains(parsed.Errors, e => e.Field == "date");
        Assert.Contains(parsed.Errors, e => e.Field == "repository");
    }

    [Theory]
    [InlineData("log.txt")]
    [InlineData("changes.csv")]
    public async Task ABadByteFarIntoTheFile_StopsTheStreamedRead_WithTheUtf8Message(string name)
    {
        // Past the first 8 KiB (the binary sniff) and past the reader's first buffer: only a streamed, strict decode finds it.
        var text = new StringBuilder(name.EndsWith(".csv", StringComparison.Ordinal) ? "id,repository,author email,date,title\n" : "");
        for (var i = 0; text.Length < 40_000; i++)
        {
            text.Append(name.EndsWith(".csv", StringComparison.Ordinal)
                ? $"PR-{i},infra,dev{i}@vendor.example,2026-11-29T10:00:00Z,Change {i}\n"
                : $"{i:x40}\tDev {i}\tdev{i}@vendor.example\t2026-11-29T10:00:00Z\tChange {i}\n");
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(new byte[] { 0xC3, 0x28 }).Concat("\n"u8.ToArray()).ToArray();
        var parsed = await ContributionFile.ParseAsync(bytes, name, "infra", Now);
        Assert.Empty(parsed.Rows);
        Assert.Contains("not UTF-8", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpooledUpload_IsReadFromItsFile()
    {
        var bytes = Encoding.UTF8.GetBytes($"\uFEFF{Sha1}\tJane Roe\tjane@vendor.example\t2026-11-30T09:15:00Z\tFix\n");
        using var upload = await Common.FileUpload.SpoolAsync(new MemoryStream(bytes), ContributionFile.MaxBytes, CancellationToken.None);
        var parsed = await ContributionFile.ParseAsync(upload!, "log.txt", "infra", Now);
        Assert.Empty(parsed.Errors);
        Assert.Equal("Jane Roe", Assert.Single(parsed.Rows).AuthorName); // the byte order mark is not part of the hash
        Assert.Equal(Sha1, parsed.Rows[0].ExternalId);
    }
}
