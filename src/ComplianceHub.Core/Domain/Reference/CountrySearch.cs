using System.Globalization;
using System.Text;

namespace ComplianceHub.Core.Domain.Reference;

/// <summary>
/// Finding a country by what people actually type: the ISO code (alpha-2 or alpha-3), the ISO short name, or an everyday
/// name or alias ("UK", "Britain", "USA", "America", "Turkey", "Macau", "Czech Republic", "Burma", "Ivory Coast") — matched
/// without regard to case, accents or punctuation, so "Curacao", "Reunion", "Aland" and "Turkiye" find their country. One
/// place for the pickers, the API and imports.
/// </summary>
public static class CountrySearch
{
    /// <summary>Everyday names and aliases beyond the ISO short name, by alpha-2 code.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["AE"] = ["UAE", "Emirates"],
        ["BN"] = ["Brunei"],
        ["BO"] = ["Plurinational State of Bolivia"],
        ["CD"] = ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa", "Zaire"],
        ["CG"] = ["Republic of the Congo", "Congo-Brazzaville"],
        ["CI"] = ["Ivory Coast"],
        ["CN"] = ["PRC", "People's Republic of China", "Mainland China"],
        ["CV"] = ["Cape Verde"],
        ["CZ"] = ["Czech Republic"],
        ["FK"] = ["Falklands", "Malvinas"],
        ["FM"] = ["Micronesia"],
        ["GB"] = ["UK", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland"],
        ["IR"] = ["Persia", "Islamic Republic of Iran"],
        ["KP"] = ["DPRK", "Democratic People's Republic of Korea"],
        ["KR"] = ["Korea", "Republic of Korea", "ROK"],
        ["LA"] = ["Lao People's Democratic Republic"],
        ["MK"] = ["Macedonia"],
        ["MM"] = ["Burma"],
        ["MO"] = ["Macau"],
        ["NL"] = ["Holland", "The Netherlands"],
        ["PS"] = ["Palestine", "Palestinian Territories"],
        ["RU"] = ["Russia"],
        ["SY"] = ["Syrian Arab Republic"],
        ["SZ"] = ["Swaziland"],
        ["TL"] = ["East Timor"],
        ["TR"] = ["Turkey"],
        ["TW"] = ["Republic of China", "ROC"],
        ["TZ"] = ["United Republic of Tanzania"],
        ["US"] = ["USA", "America", "United States of America", "U.S.", "U.S.A."],
        ["VA"] = ["Vatican", "Vatican City", "Holy See"],
        ["VE"] = ["Bolivarian Republic of Venezuela"],
        ["VG"] = ["British Virgin Islands", "BVI"],
        ["VI"] = ["US Virgin Islands", "USVI", "United States Virgin Islands"],
        ["VN"] = ["Viet Nam"],
    };

    private sealed record Entry(Country Country, string[] Names);

    // Every searchable name of each country, folded once.
    private static readonly Entry[] Entries = Iso3166.All
        .Select(c => new Entry(c, [Fold(c.Name), .. Aliases.GetValueOrDefault(c.Alpha2, []).Select(Fold)]))
        .ToArray();

    /// <summary>
    /// The countries matching <paramref name="text"/>, best first: an exact code, then an exact name or alias, then names or
    /// aliases starting with the text, then an alpha-3 code, then names or aliases containing it. Empty text: every country
    /// by name. Countries in <paramref name="exclude"/> (already chosen) are left out.
    /// </summary>
    public static IReadOnlyList<Country> Find(string? text, IReadOnlyCollection<string>? exclude = null)
    {
        var candidates = Entries.Where(e => exclude is null || !exclude.Contains(e.Country.Alpha2));
        var raw = text?.Trim() ?? "";
        // A chosen value shows as "China (CN)"; searching that text again finds the same country.
        if (raw.Length > 4 && raw.EndsWith(')') && raw[^4] == '(')
        {
            raw = raw[^3..^1];
        }
        var term = Fold(raw);
        if (term.Length == 0)
        {
            return candidates.Select(e => e.Country).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }
        return candidates
            .Select(e => (e.Country, Rank: Rank(e, raw, term)))
            .Where(x => x.Rank >= 0)
            .OrderBy(x => x.Rank).ThenBy(x => x.Country.Name, StringComparer.Ordinal)
            .Select(x => x.Country)
            .ToList();
    }

    /// <summary>The alpha-2 code that <paramref name="text"/> names exactly (a code, the ISO name or an alias), or null.</summary>
    public static string? Resolve(string? text)
    {
        var raw = text?.Trim() ?? "";
        var term = Fold(raw);
        return term.Length == 0 ? null : Entries.Where(e => Rank(e, raw, term) is >= 0 and <= 1 || e.Country.Alpha3.Equals(raw, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Country.Alpha2).FirstOrDefault();
    }

    private static int Rank(Entry e, string raw, string term) =>
        e.Country.Alpha2.Equals(raw, StringComparison.OrdinalIgnoreCase) ? 0
        : e.Names.Contains(term) ? 1
        : e.Names.Any(n => n.StartsWith(term, StringComparison.Ordinal)) ? 2
        : e.Country.Alpha3.Equals(raw, StringComparison.OrdinalIgnoreCase) ? 3
        : e.Names.Any(n => n.Contains(term, StringComparison.Ordinal)) ? 4
        : -1;

    /// <summary>Lower case, accents removed, punctuation dropped and spaces collapsed: "Côte d'Ivoire" → "cote divoire".</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(ch))
            {
                if (space && folded.Length > 0)
                {
                    folded.Append(' ');
                }
                folded.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else if (char.IsWhiteSpace(ch) || ch is '-' or ',' or '(' or ')' or '/')
            {
                space = true;
            }
        }
        return folded.ToString();
    }
}
