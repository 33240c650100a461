using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Contracts;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Contracts, read-only: which vendor holds which contract and the systems it covers. Every role reads the contracts in its
/// scope — a representative their own vendor's, an office's officers and auditors those of the vendors the office holds
/// contracts with; a contract outside it is 404. The systems of one contract: <c>GET /systems?contractId=</c>.
/// </summary>
internal static class ContractEndpoints
{
    public static void MapContractEndpoints(this RouteGroupBuilder api)
    {
        var contracts = api.MapGroup("/contracts").WithTags("Contracts");
        contracts.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, ContractsQuery query, Guid? vendorId, Guid? systemId, string? search,
                int? page, int? pageSize, string? sort, bool? desc) =>
                TypedResults.Ok(await query.ListAsync(caller.Actor, new ContractFilter(vendorId, systemId, search),
                    new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted)))
            .WithName("ListContracts").WithSummary("Contracts in the caller's scope, filtered and paged (a representative sees their vendor's)")
            .WithDescription("vendorId: one vendor's; systemId: those covering a system; search matches the number or title. Sort by number " +
                             "(default), title, startsOn or endsOn.")
            .Produces<PagedResult<ContractView>>();

        contracts.MapGet("/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, ContractsQuery query) =>
                await query.GetAsync(caller.Actor, id, http.RequestAborted) is { } contract ? TypedResults.Ok(contract)
                : ApiResults.NotFound("The contract was not found."))
            .WithName("GetContract").WithSummary("One contract with the systems it covers").Produces<ContractView>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
