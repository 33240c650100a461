using System.Security.Cryptography;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Domain.Screening;
using Sylvan.Data.Csv;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>A problem with one row (row 1 is the header) or, with row 0, with the whole file.</summary>
public sealed record ListRowError(int Row, string Column, string Message);

/// <summary>What a CSL file contained: the parties, the problems, and the file's SHA-256 (kept with the list version).</summary>
public sealed record ParsedScreeningList(IReadOnlyList<ListedParty> Parties, IReadOnlyList<ListRowError> Errors, string Sha256);

/// <summary>
/// Reads the US Consolidated Screening List in its published CSV form (trade.gov): a header row, then one party per
/// row. Columns are found by name, in any order; <c>source</c> and <c>name</c> are required, the others
/// (<c>entity_number, type, programs, alt_names, addresses, country, citizenships, nationalities,
/// federal_register_notice, start_date, end_date, source_list_url</c>) are read when present. Aliases in
/// <c>alt_names</c> are separated by semicolons; countries may be ISO codes or English names.
/// </summary>
public static class ConsolidatedScreeningList
{
    private static readonly string[] Required = ["source", "name"];
    private static readonly string[] CountryColumns = ["country", "countries", "citizenships", "nationalities"];

    private static readonly Dictionary<string, string> CountryByName = Iso3166.All
        .GroupBy(c => c.Name.ToUpperInvariant()).ToDictionary(g => g.Key, g => g.First().Alpha2, StringComparer.Ordinal)
        .Concat(new Dictionary<string, string>
        {
            // Short names the list uses where ISO 3166 has a formal one.
            ["RUSSIA"] = "RU", ["IRAN"] = "IR", ["NORTH KOREA"] = "KP", ["SOUTH KOREA"] = "KR", ["SYRIA"] = "SY", ["VENEZUELA"] = "VE",
            ["BOLIVIA"] = "BO", ["VIETNAM"] = "VN", ["LAOS"] = "LA", ["MOLDOVA"] = "MD", ["TANZANIA"] = "TZ", ["TAIWAN"] = "TW",
            ["BURMA"] = "MM", ["CZECH REPUBLIC"] = "CZ", ["UNITED KINGDOM"] = "GB", ["UNITED STATES"] = "US", ["TURKEY"] = "TR",
            ["CONGO, DEMOCRATIC REPUBLIC OF THE"] = "CD", ["HONG KONG"] = "HK", ["MACAU"] = "MO", ["PALESTINE"] = "PS",
        }).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);

    /// <summary>Types that are not people or organisations, and so are not screened against staff names.</summary>
    public static readonly IReadOnlySet<string> NotScreenedTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Vessel", "Aircraft" };

    public static async Task<ParsedScreeningList> ParseAsync(Stream stream, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        buffer.Position = 0;

        var errors = new List<ListRowError>();
        var parties = new List<ListedParty>();
        using var text = new StreamReader(buffer, detectEncodingFromByteOrderMarks: true);
        await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HeaderComparer = StringComparer.OrdinalIgnoreCase });
        var columns = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToList();
        foreach (var missing in Required.Where(r => !columns.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new ListRowError(1, missing, $"The required column '{missing}' is missing."));
        }
        if (errors.Count > 0)
        {
            return new ParsedScreeningList([], errors, sha);
        }
        string? Get(string column)
        {
            var i = columns.FindIndex(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
            if (i < 0 || csv.IsDBNull(i))
            {
                return null;
            }
            var value = csv.GetString(i).Trim();
            return value.Length == 0 ? null : value;
        }

        var row = 1;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await csv.ReadAsync(ct))
        {
            row++;
            var source = Get("source");
            var name = Get("name");
            if (source is null)
            {
                errors.Add(new ListRowError(row, "source", "The source list is empty."));
            }
            if (name is null)
            {
                errors.Add(new ListRowError(row, "name", "The name is empty."));
            }
            if (source is null || name is null)
            {
                continue;
            }
            var entityNumber = Get("entity_number");
            var key = $"{source}:{entityNumber ?? NameMatcher.Normalize(name)}";
            if (!keys.Add(key))
            {
                // The published list repeats a party under several programs in some versions; keep the first row.
                continue;
            }
            var countries = CountryColumns.Select(Get).OfType<string>()
                .SelectMany(v => v.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(ToAlpha2).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var aliases = (Get("alt_names") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(a => !string.Equals(a, name, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
            parties.Add(new ListedParty(row, key, source, entityNumber, Get("type"), Get("programs"), name, aliases, Get("addresses"), countries,
                Get("federal_register_notice"), Get("start_date"), Get("end_date"), Get("source_list_url")));
        }
        if (errors.Count == 0 && parties.Count == 0)
        {
            errors.Add(new ListRowError(0, "", "The file has no parties."));
        }
        return new ParsedScreeningList(parties, errors, sha);
    }

    /// <summary>An ISO 3166-1 alpha-2 code for a code or English country name, or null.</summary>
    public static string? ToAlpha2(string value)
    {
        var upper = value.Trim().ToUpperInvariant();
        if (upper.Length == 2 && Iso3166.IsKnown(upper))
        {
            return upper;
        }
        return CountryByName.GetValueOrDefault(upper);
    }
}
