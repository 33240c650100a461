using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Countries;

namespace ComplianceHub.Web.Api;

/// <summary>The countries, for every role: codes, names, the everyday names the portal understands, and the active policy's country sets.</summary>
internal static class CountryEndpoints
{
    public static void MapCountryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/countries", async Task<IResult> (CountriesQuery query, HttpContext http, string? set, string? search, int? page, int? pageSize, string? sort,
                bool? desc) =>
                ApiResults.From(await query.ListAsync(new CountryFilter(set, search), new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false),
                    http.RequestAborted), countries => TypedResults.Ok(countries)))
            .WithTags("Countries").WithName("ListCountries")
            .WithSummary("ISO 3166-1 countries with their everyday names and the active policy's country sets each belongs to")
            .WithDescription("set: the members of one country set of the active policy (COVERED, ADVERSARY, CONCERN, US_AREAS …; another name " +
                             "is 400 on set). search: a code, name or everyday name (\"UK\" finds United Kingdom (GB)), best match first. " +
                             "Sort by code or name; by name when nothing is searched.")
            .Produces<PagedResult<CountryView>>().ProducesValidationProblem();
    }
}
