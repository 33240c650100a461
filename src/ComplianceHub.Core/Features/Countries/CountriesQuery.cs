using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Countries;

/// <summary>
/// A country as the API shows it: its ISO 3166-1 codes and name, the same in words ("United Kingdom (GB)"), the everyday names
/// the portal also understands (<see cref="CountrySearch.Aliases"/>: "UK", "Britain"), and the country sets of the active
/// policy it belongs to (COVERED, ADVERSARY, CONCERN, US_AREAS …), by name.
/// </summary>
public sealed record CountryView(string Code, string Alpha3, string Name, string Label, IReadOnlyList<string> Aliases, IReadOnlyList<string> Sets);

/// <summary>Filters of the country list: members of one country set of the active policy; a code, name or alias matching the text.</summary>
public sealed record CountryFilter(string? Set = null, string? Search = null);

/// <summary>
/// The countries (API.md-style <c>GET /countries</c>), for every role: the ISO list (about 250 rows of reference data, held in
/// memory, not read per request) joined with the active policy's country sets, so a client reads which sets a code is in
/// without parsing the policy. A search is matched as the portal's pickers match it (<see cref="CountrySearch.Find"/>: best
/// match first); otherwise by name, or as sorted.
/// </summary>
public sealed class CountriesQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<Outcome<PagedResult<CountryView>>> ListAsync(CountryFilter filter, PageRequest page, CancellationToken ct = default)
    {
        PolicyParameters parameters;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            parameters = await ActivePolicy.ParametersAsync(db, ct);
        }
        var setNames = parameters.CountrySets.Keys.Order(StringComparer.Ordinal).ToList();
        IEnumerable<Country> countries = CountrySearch.Find(filter.Search);
        if (!string.IsNullOrWhiteSpace(filter.Set))
        {
            if (setNames.FirstOrDefault(n => n.Equals(filter.Set.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } set)
            {
                return Outcome<PagedResult<CountryView>>.Invalid(new Dictionary<string, string[]>
                {
                    ["set"] = [$"The active policy has no country set {filter.Set.Trim()}; its sets are {string.Join(", ", setNames)}."],
                });
            }
            var members = parameters.CountrySets[set];
            countries = countries.Where(c => members.Contains(c.Alpha2));
        }
        var views = countries.Select(c => new CountryView(c.Alpha2, c.Alpha3, c.Name, Words.Country(c.Alpha2),
            CountrySearch.Aliases.GetValueOrDefault(c.Alpha2, []),
            setNames.Where(n => parameters.CountrySets[n].Contains(c.Alpha2)).ToList())).ToList();
        // A search keeps its best-match order unless a sort is asked for.
        IEnumerable<CountryView> sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("code", false) => views.OrderBy(v => v.Code, StringComparer.Ordinal),
            ("code", true) => views.OrderByDescending(v => v.Code, StringComparer.Ordinal),
            ("name", true) => views.OrderByDescending(v => v.Name, StringComparer.Ordinal),
            ("name", false) => views.OrderBy(v => v.Name, StringComparer.Ordinal),
            (_, true) => Enumerable.Reverse(views),
            _ => views,
        };
        var items = sorted.Skip(page.Skip).Take(page.SafePageSize).ToList();
        return Outcome<PagedResult<CountryView>>.Ok(new PagedResult<CountryView>(items, page.SafePage, page.SafePageSize, views.Count));
    }
}
