using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Personnel;
using Sylvan.Data.Csv;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>One change read from a contributions file, checked for shape (a row with errors is not returned).</summary>
public sealed record ParsedContribution(int Line, string ExternalId, string Repository, string AuthorName, string AuthorEmail, DateTimeOffset ContributedAt,
    string Title, string? Url);

/// <summary>The changes of a file and the errors of its lines (line 0: the file itself).</summary>
public sealed record ParsedContributions(ContributionSource Format, IReadOnlyList<ParsedContribution> Rows, IReadOnlyList<ImportError> Errors, int Lines);

/// <summary>
/// Reads a contributions file: the output of
/// <c>git log --pretty=format:'%H%x09%an%x09%ae%x09%aI%x09%s'</c> (one repository, whose name the importer gives), or a CSV
/// with the columns <c>id, repository, author name, author email, date, title, url</c>. UTF-8 only; every line is checked
/// and every problem reported with its line and field.
/// </summary>
public static partial class ContributionFile
{
    public const int MaxRows = 100_000;
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>The command that makes a file this reads, run in the repository.</summary>
    public const string GitLogCommand = "git log --pretty=format:'%H%x09%an%x09%ae%x09%aI%x09%s' > contributions.txt";

    public static readonly IReadOnlyList<string> CsvColumns = ["id", "repository", "authorName", "authorEmail", "date", "title", "url"];

    /// <summary>The CSV template, with one example row.</summary>
    public static string CsvTemplate => "id,repository,author name,author email,date,title,url\r\n" +
        "PR-4411,portal-infra,Jane Roe,jane.roe@vendor.example,2026-03-02T14:05:00Z,Rotate TLS certificates,https://git.vendor.example/portal-infra/pull/4411\r\n";

    [GeneratedRegex("^[0-9a-f]{7,64}$")]
    private static partial Regex CommitHash();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex Email();

    /// <summary>
    /// Parses <paramref name="content"/>. A <c>.csv</c> name reads CSV; anything else reads git log output. Changes dated after
    /// <paramref name="now"/> are errors (a clock or a file gone wrong).
    /// </summary>
    public static async Task<ParsedContributions> ParseAsync(FileUpload content, string fileName, string? repository, DateTimeOffset now, CancellationToken ct = default)
    {
        var csv = Path.GetExtension(fileName).Equals(".csv", StringComparison.OrdinalIgnoreCase);
        var format = csv ? ContributionSource.Csv : ContributionSource.GitLog;
        if (content.Length == 0)
        {
            return Fail(format, "The file is empty.");
        }
        // The first 8 KiB tell a binary file (a PDF, a zip such as .xlsx, anything with a NUL byte) from text.
        var head = new byte[(int)Math.Min(content.Length, 8192)];
        await using (var peek = content.Open())
        {
            await peek.ReadExactlyAsync(head, ct);
        }
        if (head.AsSpan().IndexOf((byte)0) >= 0 || head.AsSpan().StartsWith("%PDF"u8) || head.AsSpan().StartsWith("PK"u8))
        {
            return Fail(format, "The file is not text: upload the output of the git log command, or a CSV file.");
        }
        if (!csv && string.IsNullOrWhiteSpace(repository))
        {
            return Fail(format, "Name the repository this git log comes from (git log output does not say).");
        }
        // Read as a stream, decoded strictly (a byte that is not UTF-8 stops the read): the file is never held whole in memory.
        await using var stream = content.Open();
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        try
        {
            return csv ? await ParseCsvAsync(reader, repository?.Trim(), now, ct) : await ParseGitLogAsync(reader, repository!.Trim(), now);
        }
        catch (DecoderFallbackException)
        {
            return Fail(format, "The file is not UTF-8 text. Run git log with its default (UTF-8) output, or save the CSV as \"CSV UTF-8\".");
        }
    }

    private static ParsedContributions Fail(ContributionSource format, string message) => new(format, [], [new ImportError(0, "file", message)], 0);

    private static async Task<ParsedContributions> ParseGitLogAsync(TextReader reader, string repository, DateTimeOffset now)
    {
        var rows = new List<ParsedContribution>();
        var errors = new List<ImportError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var line = 0;
        while (await reader.ReadLineAsync() is { } raw)
        {
            line++;
            if (raw.Trim().Length == 0)
            {
                continue;
            }
            if (rows.Count + errors.Count >= MaxRows)
            {
                return Fail(ContributionSource.GitLog, $"The file has more than {MaxRows:N0} changes; split it by date range.");
            }
            var fields = raw.Split('\t', 5);
            if (fields.Length < 5)
            {
                errors.Add(new(line, "line", $"Expected 5 tab-separated fields (hash, author name, author e-mail, ISO date, subject), found {fields.Length}. " +
                                             $"Make the file with: {GitLogCommand}"));
                continue;
            }
            var before = errors.Count;
            var hash = fields[0].Trim().ToLowerInvariant();
            if (!CommitHash().IsMatch(hash))
            {
                errors.Add(new(line, "id", $"'{Cut(fields[0])}' is not a commit hash (7 to 64 hexadecimal characters)."));
            }
            else if (seen.TryGetValue(hash, out var first))
            {
                errors.Add(new(line, "id", $"Commit {hash[..Math.Min(12, hash.Length)]} is already on line {first}."));
            }
            else
            {
                seen[hash] = line;
            }
            var row = Check(line, hash, repository, fields[1], fields[2], fields[3], fields[4], null, now, errors);
            if (errors.Count == before && row is not null)
            {
                rows.Add(row);
            }
        }
        if (rows.Count == 0 && errors.Count == 0)
        {
            return Fail(ContributionSource.GitLog, "The file has no changes.");
        }
        return new ParsedContributions(ContributionSource.GitLog, rows, errors, line);
    }

    private static async Task<ParsedContributions> ParseCsvAsync(TextReader reader, string? repository, DateTimeOffset now, CancellationToken ct)
    {
        await using var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true }, ct);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<ImportError>();
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var name = Normalize(csv.GetName(i));
            var column = CsvColumns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                errors.Add(new(1, csv.GetName(i), $"Unknown column '{csv.GetName(i)}'. The columns are: {string.Join(", ", CsvColumns)}."));
            }
            else if (!map.TryAdd(column, i))
            {
                errors.Add(new(1, column, $"The column '{column}' appears twice."));
            }
        }
        foreach (var required in new[] { "id", "authorEmail", "date" }.Where(r => !map.ContainsKey(r)))
        {
            errors.Add(new(1, required, $"The required column '{required}' is missing."));
        }
        if (!map.ContainsKey("repository") && string.IsNullOrWhiteSpace(repository))
        {
            errors.Add(new(1, "repository", "Add a 'repository' column, or name the repository of every row."));
        }
        if (errors.Count > 0)
        {
            return new ParsedContributions(ContributionSource.Csv, [], errors, 1);
        }
        string Cell(string column) => map.TryGetValue(column, out var i) && i < csv.RowFieldCount ? csv.GetString(i).Trim() : "";
        var rows = new List<ParsedContribution>();
        var seen = new Dictionary<(string, string), int>();
        var line = 1;
        while (await csv.ReadAsync(ct))
        {
            line++;
            var id = Cell("id");
            var repo = Cell("repository") is { Length: > 0 } r ? r : repository ?? "";
            if (new[] { id, repo, Cell("authorName"), Cell("authorEmail"), Cell("date"), Cell("title"), Cell("url") }.All(v => v.Length == 0))
            {
                continue;
            }
            if (rows.Count >= MaxRows)
            {
                return Fail(ContributionSource.Csv, $"The file has more than {MaxRows:N0} changes; split it by date range.");
            }
            var before = errors.Count;
            if (id.Length == 0)
            {
                errors.Add(new(line, "id", "The change's id (commit hash, pull request or ticket) is empty."));
            }
            else if (id.Length > 100)
            {
                errors.Add(new(line, "id", "The id is longer than 100 characters."));
            }
            else if (seen.TryGetValue((repo, id), out var first))
            {
                errors.Add(new(line, "id", $"{id} of {repo} is already on line {first}."));
            }
            else
            {
                seen[(repo, id)] = line;
            }
            if (repo.Length == 0)
            {
                errors.Add(new(line, "repository", "The repository is empty."));
            }
            var row = Check(line, id, repo, Cell("authorName"), Cell("authorEmail"), Cell("date"), Cell("title"), Cell("url"), now, errors);
            if (errors.Count == before && row is not null)
            {
                rows.Add(row);
            }
        }
        if (rows.Count == 0 && errors.Count == 0)
        {
            return Fail(ContributionSource.Csv, "The file has a header but no changes.");
        }
        return new ParsedContributions(ContributionSource.Csv, rows, errors, line);
    }

    /// <summary>The fields both formats share; each problem is added to <paramref name="errors"/>.</summary>
    private static ParsedContribution? Check(int line, string id, string repository, string authorName, string authorEmail, string date, string title,
        string? url, DateTimeOffset now, List<ImportError> errors)
    {
        var ok = true;
        void Error(string field, string message)
        {
            errors.Add(new(line, field, message));
            ok = false;
        }
        authorName = authorName.Trim();
        authorEmail = authorEmail.Trim();
        title = title.Trim();
        url = string.IsNullOrWhiteSpace(url) ? null : url.Trim();
        if (repository.Length > 200) { Error("repository", "The repository name is longer than 200 characters."); }
        if (authorName.Length > 200) { Error("authorName", "The author's name is longer than 200 characters."); }
        if (authorEmail.Length == 0) { Error("authorEmail", "The author's e-mail is empty: it is what matches the author to a person."); }
        else if (authorEmail.Length > 320 || !Email().IsMatch(authorEmail)) { Error("authorEmail", $"'{Cut(authorEmail)}' is not an e-mail address."); }
        if (!DateTimeOffset.TryParse(date.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || !date.Contains('T', StringComparison.Ordinal))
        {
            Error("date", $"'{Cut(date)}' is not an ISO 8601 date and time (e.g. 2026-03-02T14:05:00+00:00, as git's %aI prints).");
        }
        else if (at > now.AddHours(1))
        {
            Error("date", $"{at:yyyy-MM-dd HH:mm} UTC is in the future.");
        }
        if (title.Length > 500) { Error("title", "The title is longer than 500 characters."); }
        if (url is not null && (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var link) || link.Scheme is not ("https" or "http")))
        {
            Error("url", $"'{Cut(url)}' is not an http(s) link.");
        }
        return ok ? new ParsedContribution(line, id, repository, authorName, authorEmail, at.ToUniversalTime(), title, url) : null;
    }

    private static string Normalize(string header) => header.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
        .Replace("-", "", StringComparison.Ordinal).Trim();

    private static string Cut(string value) => value.Length <= 60 ? value : value[..57] + "…";
}
