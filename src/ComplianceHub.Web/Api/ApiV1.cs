namespace ComplianceHub.Web.Api;

/// <summary>REST API v1 (shared/design/API.md). Grows resource by resource; every write goes through Core.</summary>
internal static class ApiV1
{
    public static IEndpointRouteBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        // Every handler that takes an ApiCaller gets it from here: a principal that is no actor is answered before the handler runs.
        var v1 = endpoints.MapGroup("/api/v1").AddEndpointFilterFactory(ApiCaller.RequireActor);
        v1.MapAuthTokenEndpoints();
        v1.MapApiTokenEndpoints();
        v1.MapGrantEndpoints();
        v1.MapBulkEndpoints();
        v1.MapFindingEndpoints();
        v1.MapPolicyEndpoints();
        v1.MapEscortEndpoints();
        v1.MapRequestEndpoints();
        v1.MapPersonnelEndpoints();
        v1.MapAttestationEndpoints();
        v1.MapVendorEndpoints();
        v1.MapContractEndpoints();
        v1.MapCountryEndpoints();
        v1.MapRosterImportEndpoints();
        v1.MapContributionEndpoints();
        v1.MapAccessLogEndpoints();
        v1.MapEvidenceEndpoints();
        v1.MapExportEndpoints();
        v1.MapOscalEndpoints();
        v1.MapMeEndpoints();
        v1.MapAuditEndpoints();
        v1.MapAccessReviewEndpoints();
        v1.MapGeolocationEndpoints();
        return endpoints;
    }
}
