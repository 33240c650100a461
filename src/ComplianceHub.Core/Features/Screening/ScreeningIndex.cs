using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Rules;
namespace ComplianceHub.Core.Features.Screening;

/// <summary>A restricted-party list entry as the matcher sees it: its key, every name it is listed under, and its countries.</summary>
/// <param name="Id">The stored entry.</param>
/// <param name="Key">Stable across list versions: source and entity number, e.g. "SDN:36541".</param>
/// <param name="Name">The primary listed name.</param>
/// <param name="Names">The primary name and every alias.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes the entry is associated with (empty when the list gives none).</param>
public sealed record ScreeningEntry(Guid Id, string Key, string Name, IReadOnlyList<string> Names, IReadOnlySet<string> Countries)
{
    /// <summary>The stored entry as the matcher sees it.</summary>
    public static ScreeningEntry From(RestrictedPartyEntry entry) =>
        new(entry.Id, entry.Key, entry.Name, [entry.Name, .. entry.AltNames], entry.Countries.ToHashSet(StringComparer.Ordinal));
}

/// <summary>A person's name scoring at or above the threshold against an entry.</summary>
public sealed record ScreeningCandidate(ScreeningEntry Entry, string MatchedName, double Score);

/// <summary>
/// One list version, indexed for screening many people: each listed name is filed under the first two letters of each of
/// its tokens, and a person is compared only with names sharing such a prefix — a few hundred comparisons per person
/// against a list of tens of thousands of names, not all of them.
/// </summary>
public sealed class ScreeningIndex
{
    private readonly record struct ListedName(ScreeningEntry Entry, string Original, string Normalized, string[] Tokens);

    private readonly List<ListedName> names = [];
    private readonly Dictionary<string, List<int>> byPrefix = new(StringComparer.Ordinal);

    public ScreeningIndex(Guid listId, int listVersion, IEnumerable<ScreeningEntry> entries)
    {
        ListId = listId;
        ListVersion = listVersion;
        foreach (var entry in entries)
        {
            foreach (var name in entry.Names.Distinct(StringComparer.Ordinal))
            {
                var normalized = NameMatcher.Normalize(name);
                if (normalized.Length == 0)
                {
                    continue;
                }
                var tokens = NameMatcher.Tokens(normalized);
                names.Add(new ListedName(entry, name, normalized, tokens));
                foreach (var prefix in tokens.Select(Prefix).Distinct(StringComparer.Ordinal))
                {
                    if (!byPrefix.TryGetValue(prefix, out var list))
                    {
                        byPrefix[prefix] = list = [];
                    }
                    list.Add(names.Count - 1);
                }
            }
        }
    }

    public Guid ListId { get; }
    public int ListVersion { get; }
    public int NameCount => names.Count;

    /// <summary>
    /// The entries a person's name matches at or above the threshold, best first, one candidate per entry (its
    /// best-scoring name). When the entry has countries and none is one of the person's (citizenships, birth, work
    /// location), the score is lowered by the penalty.
    /// </summary>
    public IReadOnlyList<ScreeningCandidate> Screen(string fullName, IReadOnlySet<string> personCountries, ScreeningSettings settings)
    {
        var normalized = NameMatcher.Normalize(fullName);
        if (normalized.Length == 0)
        {
            return [];
        }
        var tokens = NameMatcher.Tokens(normalized);
        var candidates = new HashSet<int>();
        foreach (var prefix in tokens.Select(Prefix))
        {
            if (byPrefix.TryGetValue(prefix, out var list))
            {
                candidates.UnionWith(list);
            }
        }
        var best = new Dictionary<Guid, ScreeningCandidate>();
        foreach (var i in candidates)
        {
            var listed = names[i];
            var score = normalized == listed.Normalized
                ? 1
                : Math.Max(NameMatcher.JaroWinkler(normalized, listed.Normalized), NameMatcher.TokenSet(tokens, listed.Tokens));
            if (listed.Entry.Countries.Count > 0 && !listed.Entry.Countries.Overlaps(personCountries))
            {
                score -= settings.CountryMismatchPenalty;
            }
            if (score >= settings.Threshold && (!best.TryGetValue(listed.Entry.Id, out var current) || current.Score < score))
            {
                best[listed.Entry.Id] = new ScreeningCandidate(listed.Entry, listed.Original, Math.Round(score, 4));
            }
        }
        return best.Values.OrderByDescending(c => c.Score).ThenBy(c => c.Entry.Key, StringComparer.Ordinal).ToList();
    }

    private static string Prefix(string token) => token.Length <= 2 ? token : token[..2];
}
