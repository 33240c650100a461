using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using Microsoft.AspNetCore.Http.Features;

namespace ComplianceHub.Web.Api;

/// <summary>A known egress range to add (<c>POST /egress-ranges</c>).</summary>
public sealed record EgressRangeBody(string Range, string Reason);

/// <summary>Why a known egress range is removed (<c>DELETE /egress-ranges/{id}</c>; the reason may also be sent as <c>?reason=</c>).</summary>
public sealed record RemovalBody(string Reason);

/// <summary>
/// Offline geolocation (ADR 0047): the database in force and the loaded ones, loading a newer one, looking an address up, and the
/// known egress ranges officers mark.
/// </summary>
internal static class GeolocationEndpoints
{
    private static readonly string[] Readers = [Roles.Administrator, Roles.ContractingOfficer, Roles.Auditor];

    public static void MapGeolocationEndpoints(this RouteGroupBuilder api)
    {
        var ranges = api.MapGroup("/egress-ranges").WithTags("Geolocation");
        ranges.MapGet("", async (ApiCaller caller, HttpContext http, KnownEgressRangesQuery query, string? q, int? page, int? pageSize, string? sort, bool? desc) =>
                TypedResults.Ok(await query.ListAsync(caller.Actor, q, new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? true), http.RequestAborted)))
            .RequireRoles("Known egress ranges are shown to officers, auditors and administrators.", Readers)
            .WithName("ListKnownEgressRanges").WithSummary("The address ranges officers marked as known egress (VPNs, cloud NAT, proxies)")
            .WithDescription("q: an address (the range that contains it), a range (those that overlap it), or words of the reason or of who added it. " +
                             "Sort by addedAt (default, newest first), reason or addedBy.")
            .Produces<PagedResult<KnownEgressRangeView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        ranges.MapPost("", (EgressRangeBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AddKnownEgressRange(body.Range, body.Reason), r => TypedResults.Created($"/api/v1/egress-ranges/{r.Id}", r)))
            .Sends<AddKnownEgressRange>().WithName("AddKnownEgressRange")
            .WithSummary("Mark an address range (CIDR, or one address) as a known egress, with the reason; access from it stops counting as location evidence")
            .WithDescription("A range wider than a /8 (IPv4) or a /32 (IPv6), or one that overlaps a range already marked, is 400 with the reason. " +
                             "The people with access from the range are evaluated again. Contracting officers.")
            .Produces<KnownEgressRangeView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        ranges.MapDelete("/{id:guid}", RemoveAsync)
            .Sends<RemoveKnownEgressRange>().WithName("RemoveKnownEgressRange")
            .WithSummary("Remove a known egress range, saying why (JSON body {\"reason\": …} or ?reason=); the reason stands in the audit trail")
            .Produces<KnownEgressRangeView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var geolocation = api.MapGroup("/geolocation").WithTags("Geolocation");
        geolocation.MapGet("", async (ApiCaller caller, HttpContext http, GeolocationQuery query) =>
                TypedResults.Ok(await query.StatusAsync(caller.Actor, http.RequestAborted)))
            .RequireRoles("The geolocation database is shown to administrators, officers and auditors.", Readers)
            .WithName("GetGeolocation")
            .WithSummary("The geolocation database in force (name, version, build date, SHA-256, licence and attribution, origin) and those loaded")
            .Produces<GeolocationStatus>().ProducesProblem(StatusCodes.Status403Forbidden);

        geolocation.MapGet("/lookup", async Task<IResult> (ApiCaller caller, HttpContext http, GeolocationQuery query, string? address) =>
                await query.LookupAsync(caller.Actor, address ?? "", http.RequestAborted) is { } found
                    ? TypedResults.Ok(found)
                    : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["address"] = ["Enter an IPv4 or IPv6 address, e.g. 203.0.113.7."] },
                        title: "The input is not valid."))
            .RequireRoles("Address lookups are for administrators, officers and auditors.", Readers)
            .WithName("LookUpAddress")
            .WithSummary("Where the database in force puts an address (an ISO 3166 code, or why it has none) and the known egress range it is in")
            .WithDescription("Private, loopback, link-local and reserved addresses are never given a country. The country is where the address block " +
                             "is registered or announced, not where a person sits (docs/operations/geolocation.md).")
            .Produces<AddressLookup>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        geolocation.MapPost("/databases", LoadAsync)
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(LoadGeolocationDatabaseValidator.MaxBytes + 1024 * 1024))
            .AcceptsFile("A country-level MaxMind-format database (.mmdb), e.g. geo-whois-asn-country.mmdb of ip-location-db.",
                new UploadField("version", "The version of the package the file comes from; the build date when left out."),
                new UploadField("licence", "The licence and attribution of the data; needed only when the portal does not know the database."))
            .Sends<LoadGeolocationDatabase>().WithName("LoadGeolocationDatabase")
            .WithSummary("Load a newer geolocation database; every instance uses it within Geolocation:RefreshEvery (this one at once)")
            .WithDescription("multipart/form-data with the file in a part named \"file\". A file that is not a MaxMind DB, gives no country for " +
                             "well-known public addresses, was loaded before or is not newer than the database in force is 400 with the reason. Administrators.")
            .Produces<GeolocationDatabaseView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> RemoveAsync(Guid id, string? reason, HttpContext http)
    {
        if (reason is null && http.Request.HasJsonContentType())
        {
            // Read with the API's own JSON options (strict, NUL-free text), as a bound body would be.
            var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value;
            try
            {
                reason = (await http.Request.ReadFromJsonAsync<RemovalBody>(json.SerializerOptions, http.RequestAborted))?.Reason;
            }
            catch (System.Text.Json.JsonException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Send the reason as JSON: {\"reason\": \"…\"}."] },
                    title: "The input is not valid.");
            }
        }
        return await ApiResults.SendAsync(http, new RemoveKnownEgressRange(id, reason ?? ""), r => TypedResults.Ok(r));
    }

    /// <summary>Refused (403) to any role but administrators before the upload is read; then the file, streamed from where the form reader spooled it.</summary>
    private static async Task<IResult> LoadAsync(HttpContext http, IGeolocator geolocator)
    {
        if (Actor.FromPrincipal(http.User) is not { IsAdministrator: true })
        {
            return ApiResults.Forbidden("Administrators load geolocation databases.");
        }
        if (!http.Request.HasFormContentType)
        {
            return UploadExpected();
        }
        // The form's own limit (128 MB by default) raised to the database's.
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = LoadGeolocationDatabaseValidator.MaxBytes + 1024 * 1024 }));
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form.Files.GetFile("file") is not { } file)
        {
            return UploadExpected();
        }
        if (file.Length > LoadGeolocationDatabaseValidator.MaxBytes)
        {
            return TypedResults.Problem($"The file is larger than {LoadGeolocationDatabaseValidator.MaxBytes / 1024 / 1024} MB.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large");
        }
        var version = form["version"].ToString();
        var licence = form["licence"].ToString();
        if (version.Contains('\0', StringComparison.Ordinal) || licence.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL cannot store a NUL; the query's values are checked before the endpoint runs (QueryProblems), the form's here.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [version.Contains('\0', StringComparison.Ordinal) ? "version" : "licence"] = ["Remove the NUL character from this value."],
            }, title: "The input is not valid.");
        }
        GeolocationDatabaseView? loaded = null;
        var result = await ApiResults.SendAsync(http, new LoadGeolocationDatabase(file.FileName, FileUpload.FromStream(file.OpenReadStream, file.Length),
                version.Length > 0 ? version : null, licence.Length > 0 ? licence : null),
            d =>
            {
                loaded = d;
                return TypedResults.Created($"/api/v1/geolocation/databases/{d.Id}", d);
            });
        if (loaded is not null)
        {
            await geolocator.RefreshAsync(http.RequestAborted); // this instance at once; the others at their next refresh
        }
        return result;
    }

    private static IResult UploadExpected() =>
        TypedResults.Problem("Upload the database as multipart/form-data with a part named \"file\" (a .mmdb file).",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
}
