using System.Globalization;
using System.Text;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>
/// Name similarity for restricted-party screening (DESIGN.md section 5, SCREENING-MATCH). Pure and deterministic:
/// names are normalised (accents removed, upper case, punctuation to spaces, honorifics dropped), then scored as the
/// better of Jaro-Winkler over the whole name and a symmetric token-set score that tolerates reordered names
/// ("PETROV, Ivan" against "Ivan Petrov") without letting a single shared token pass for a whole name.
/// </summary>
public static class NameMatcher
{
    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal) { "MR", "MRS", "MS", "MISS", "DR", "PROF", "SIR", "JR", "SR" };

    /// <summary>The comparable form of a name: "Dr. José  O'Neil-Pérez" → "JOSE O NEIL PEREZ".</summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : ' ');
        }
        var tokens = builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => !Honorifics.Contains(t));
        return string.Join(' ', tokens);
    }

    /// <summary>The tokens of a normalised name.</summary>
    public static string[] Tokens(string normalized) => normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Similarity of two names in [0, 1]; 1 for names equal after normalisation.</summary>
    public static double Score(string a, string b) => ScoreNormalized(Normalize(a), Normalize(b));

    /// <summary>Similarity of two already normalised names.</summary>
    public static double ScoreNormalized(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        if (a == b)
        {
            return 1;
        }
        return Math.Max(JaroWinkler(a, b), TokenSet(Tokens(a), Tokens(b)));
    }

    /// <summary>
    /// Every token of both names paired with its best match in the other name, averaged: reordering costs nothing, a
    /// missing or extra token costs its share.
    /// </summary>
    public static double TokenSet(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        double total = 0;
        foreach (var t in a)
        {
            total += Best(t, b);
        }
        foreach (var t in b)
        {
            total += Best(t, a);
        }
        return total / (a.Length + b.Length);

        static double Best(string token, string[] others)
        {
            double best = 0;
            foreach (var other in others)
            {
                best = Math.Max(best, JaroWinkler(token, other));
            }
            return best;
        }
    }

    /// <summary>Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4 characters).</summary>
    public static double JaroWinkler(string s, string t)
    {
        if (s.Length == 0 || t.Length == 0)
        {
            return s.Length == t.Length ? 1 : 0;
        }
        if (s == t)
        {
            return 1;
        }
        var window = Math.Max(0, Math.Max(s.Length, t.Length) / 2 - 1);
        Span<bool> sMatched = s.Length <= 256 ? stackalloc bool[s.Length] : new bool[s.Length];
        Span<bool> tMatched = t.Length <= 256 ? stackalloc bool[t.Length] : new bool[t.Length];
        var matches = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(t.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!tMatched[j] && s[i] == t[j])
                {
                    sMatched[i] = tMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0)
        {
            return 0;
        }
        var transpositions = 0;
        for (int i = 0, k = 0; i < s.Length; i++)
        {
            if (!sMatched[i])
            {
                continue;
            }
            while (!tMatched[k])
            {
                k++;
            }
            if (s[i] != t[k])
            {
                transpositions++;
            }
            k++;
        }
        double m = matches;
        var jaro = (m / s.Length + m / t.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(s.Length, t.Length)) && s[prefix] == t[prefix])
        {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
