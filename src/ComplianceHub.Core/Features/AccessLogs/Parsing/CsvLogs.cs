using System.Runtime.CompilerServices;
using System.Text;
using Sylvan.Data.Csv;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// The two CSV formats, read by Sylvan.Data.Csv row by row: the Entra ID portal's "Download CSV" and the plain CSV. Columns are found
/// by name (case, spaces, punctuation ignored), in any order; other columns are ignored. A line is one row (a quoted value spanning
/// lines shifts the line numbers after it; neither format writes one).
/// </summary>
internal static class CsvLogs
{
    private enum Column { Time, Id, User, Address, System, Application, Resource, Result, ErrorCode }

    private sealed record Layout(
        string Name,
        IReadOnlyDictionary<string, Column> Names,
        IReadOnlyList<(Column Column, string Header)> Required,
        bool AssumeUtc);

    private static readonly Layout Entra = new(
        AccessLogReader.Describe(AccessLogFormat.EntraIdCsv),
        new Dictionary<string, Column>
        {
            ["dateutc"] = Column.Time, ["date"] = Column.Time, ["createddatetime"] = Column.Time,
            ["requestid"] = Column.Id, ["id"] = Column.Id,
            ["username"] = Column.User, ["userprincipalname"] = Column.User, ["upn"] = Column.User,
            ["ipaddress"] = Column.Address,
            ["application"] = Column.Application, ["appdisplayname"] = Column.Application,
            ["resource"] = Column.Resource, ["resourcedisplayname"] = Column.Resource,
            ["status"] = Column.Result,
            ["signinerrorcode"] = Column.ErrorCode, ["errorcode"] = Column.ErrorCode,
        },
        [(Column.Time, "Date (UTC)"), (Column.User, "Username"), (Column.Address, "IP address")],
        AssumeUtc: true);

    private static readonly Layout Plain = new(
        AccessLogReader.Describe(AccessLogFormat.PlainCsv),
        new Dictionary<string, Column>
        {
            ["user"] = Column.User, ["identity"] = Column.User, ["username"] = Column.User, ["email"] = Column.User, ["upn"] = Column.User,
            ["time"] = Column.Time, ["timestamp"] = Column.Time, ["datetime"] = Column.Time,
            ["address"] = Column.Address, ["ip"] = Column.Address, ["ipaddress"] = Column.Address, ["sourceaddress"] = Column.Address,
            ["system"] = Column.System,
            ["id"] = Column.Id, ["eventid"] = Column.Id,
            ["result"] = Column.Result, ["status"] = Column.Result, ["outcome"] = Column.Result,
        },
        [(Column.User, "user"), (Column.Time, "time"), (Column.Address, "address")],
        AssumeUtc: false);

    /// <summary>A header name as compared: lower case letters and digits only ("Date (UTC)" is "dateutc").</summary>
    public static string Normalize(string header)
    {
        var text = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }
        return text.ToString();
    }

    /// <summary>Whether these header names are an Entra ID download's.</summary>
    public static bool IsEntraHeader(IReadOnlyCollection<string> normalized) =>
        normalized.Contains("userprincipalname") || normalized.Contains("createddatetime")
        || normalized.Contains("username") && (normalized.Contains("requestid") || normalized.Contains("dateutc"));

    /// <summary>Whether these header names are the plain CSV's (user, time and address, by any of their names).</summary>
    public static bool IsPlainHeader(IReadOnlyCollection<string> normalized) =>
        Plain.Required.All(r => normalized.Any(n => Plain.Names.TryGetValue(n, out var c) && c == r.Column));

    public static IAsyncEnumerable<AccessLogItem> EntraIdAsync(Stream text, ReadCounts counts, CancellationToken ct) => ReadAsync(text, counts, Entra, ct);

    public static IAsyncEnumerable<AccessLogItem> PlainAsync(Stream text, ReadCounts counts, CancellationToken ct) => ReadAsync(text, counts, Plain, ct);

    private static async IAsyncEnumerable<AccessLogItem> ReadAsync(Stream text, ReadCounts counts, Layout layout, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(text, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true, MaxBufferSize = 1024 * 1024 }, ct);
        }
        catch (CsvMissingHeadersException)
        {
            throw new AccessLogFileException("The file is empty.");
        }
        await using var _ = csv;
        counts.NextLine();
        var map = new Dictionary<Column, int>();
        var problems = new List<AccessLogItem>();
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var header = csv.GetName(i);
            if (layout.Names.TryGetValue(Normalize(header), out var column) && !map.TryAdd(column, i))
            {
                problems.Add(new(null, new AccessLogProblem(1, header.Trim(), $"The column \"{header.Trim()}\" appears twice (or under two names). Keep one.")));
            }
        }
        foreach (var (column, header) in layout.Required.Where(r => !map.ContainsKey(r.Column)))
        {
            problems.Add(new(null, new AccessLogProblem(1, header, $"The column \"{header}\" is missing. The columns " +
                                                                   $"{string.Join(", ", layout.Required.Select(r => r.Header))} are needed ({layout.Name}).")));
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                yield return problem;
            }
            yield break;
        }
        var names = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToArray();
        var output = new List<AccessLogItem>();
        while (true)
        {
            try
            {
                if (!await csv.ReadAsync(ct))
                {
                    break;
                }
            }
            catch (CsvRecordTooLargeException)
            {
                throw new AccessLogFileException($"Line {counts.Lines + 1} is longer than 1 MB. Check the format chosen for this file: {layout.Name}.");
            }
            var line = counts.NextLine();
            var cells = new string[csv.RowFieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = csv.GetString(i);
            }
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                counts.Skipped++;
                continue;
            }
            Row(line, cells, names, map, layout, output);
            foreach (var item in output)
            {
                yield return item;
            }
            output.Clear();
        }
    }

    private static void Row(int line, string[] cells, string[] names, Dictionary<Column, int> map, Layout layout, List<AccessLogItem> output)
    {
        string? Cell(Column column) => map.TryGetValue(column, out var i) && i < cells.Length && cells[i].Trim() is { Length: > 0 } v ? v : null;
        string Name(Column column) => names[map[column]];
        void Problem(string field, string message) => output.Add(new(null, new AccessLogProblem(line, field, message)));

        var user = Cell(Column.User);
        if (user is null)
        {
            Problem(Name(Column.User), $"The user is empty: write the user's e-mail, user principal name or user name in the \"{Name(Column.User)}\" column.");
        }
        var at = Times.Required(Cell(Column.Time), "time", layout.AssumeUtc, Problem, Name(Column.Time));
        var source = Cell(Column.Address);
        var address = Times.Address(source, Problem, Name(Column.Address));
        var succeeded = layout == Entra ? EntraStatus(Cell(Column.Result), Cell(Column.ErrorCode), map, names, Problem) : PlainResult(Cell(Column.Result), map, names, Problem);
        if (output.Count > 0)
        {
            return;
        }
        var system = layout == Entra ? Cell(Column.Resource) ?? Cell(Column.Application) : Cell(Column.System);
        output.Add(new(new AccessLogEntry(line, Cell(Column.Id), user!, at!.Value, source!, address, system, succeeded!.Value, Excerpt(cells)), null));
    }

    /// <summary>Entra's "Status" (Success, Failure, Interrupted), else its "Sign-in error code" (0 is a success).</summary>
    private static bool? EntraStatus(string? status, string? errorCode, Dictionary<Column, int> map, string[] names, Action<string, string> problem)
    {
        if (status is not null)
        {
            if (status.Equals("Success", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (status.Equals("Failure", StringComparison.OrdinalIgnoreCase) || status.Equals("Interrupted", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            problem(names[map[Column.Result]], $"The status \"{LogInput.Cut(status, 40)}\" is not Success, Failure or Interrupted.");
            return null;
        }
        if (errorCode is not null)
        {
            return errorCode == "0";
        }
        problem(map.TryGetValue(Column.Result, out var i) ? names[i] : "Status",
            "The sign-in has no status (Success or Failure) and no error code. Download the log again with the Status column.");
        return null;
    }

    private static readonly string[] Successes = ["success", "succeeded", "successful", "ok", "true", "yes", "accepted", "allowed"];
    private static readonly string[] Failures = ["failure", "failed", "fail", "false", "no", "denied", "rejected", "error"];

    /// <summary>The plain CSV's "result": empty or absent is a success.</summary>
    private static bool? PlainResult(string? result, Dictionary<Column, int> map, string[] names, Action<string, string> problem)
    {
        if (result is null || Successes.Contains(result, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }
        if (Failures.Contains(result, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        problem(names[map[Column.Result]], $"The result \"{LogInput.Cut(result, 40)}\" is neither success nor failure. Write success or failure (or leave it empty for a success).");
        return null;
    }

    /// <summary>The row written back as a CSV line, for evidence.</summary>
    private static string Excerpt(string[] cells)
    {
        var text = new StringBuilder();
        foreach (var cell in cells)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(cell);
            }
            if (text.Length > 500)
            {
                break;
            }
        }
        return LogInput.Excerpt(text.ToString());
    }
}
