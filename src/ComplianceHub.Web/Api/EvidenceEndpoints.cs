using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Evidence;
using Microsoft.Net.Http.Headers;

namespace ComplianceHub.Web.Api;

/// <summary>The evidence package download (API.md <c>GET /exports/evidence?from&amp;to</c>), streamed as it is built.</summary>
internal static class EvidenceEndpoints
{
    public static void MapEvidenceEndpoints(this RouteGroupBuilder api)
    {
        // A literal segment: routing prefers it to the grid exports' /exports/{kind}, whatever the mapping order.
        api.MapGet("/exports/evidence", async (HttpContext http, EvidencePackageBuilder builder, TimeProvider clock, string? from, string? to) =>
            {
                if (Actor.FromPrincipal(http.User) is not { } actor)
                {
                    return ApiResults.NoActor();
                }
                if (!(actor.IsAuditor || actor.IsAdministrator))
                {
                    return ApiResults.Forbidden("Evidence packages are for auditors and administrators.");
                }
                if (!actor.SeesEveryVendor)
                {
                    return ApiResults.Forbidden("An evidence package holds every vendor's rows and is built by installation-wide auditors and " +
                        "administrators; an auditor of a contracting office exports the audit trail of its vendors instead.");
                }
                var (range, errors) = EvidenceRange.Parse(from, to, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
                if (range is null)
                {
                    return TypedResults.ValidationProblem(errors, title: "The date range is not valid.");
                }
                // Streamed: the zip goes out as the rows come in from the database (no buffering, no length known up front).
                http.Response.ContentType = "application/zip";
                http.Response.Headers[HeaderNames.ContentDisposition] =
                    new ContentDispositionHeaderValue("attachment") { FileName = range.FileName }.ToString();
                http.Response.Headers[HeaderNames.CacheControl] = "no-store";
                await builder.BuildAsync(actor, range, http.Response.Body, http.RequestAborted);
                return Results.Empty;
            })
            .ForRoles(Roles.Auditor, Roles.Administrator).WithTags("Exports").WithName("GetEvidencePackage")
            .WithSummary("Evidence package for a date range: one zip with findings, roster, grants, escorts, attestations, policy versions, " +
                         "audit events, the chain head and a manifest of SHA-256 hashes")
            .WithDescription($"from and to are UTC days (YYYY-MM-DD), both inclusive; at most {EvidenceRange.MaxDays} days (ten years), ending no later than today. " +
                             "The zip is streamed as it is built and named evidence-YYYYMMDD-YYYYMMDD.zip. Building it is recorded in the audit trail " +
                             "(event 8200) with the SHA-256 of its manifest.json. Verify it offline with " +
                             "`dotnet run --project src/ComplianceHub.Cli -- verify-evidence <zip>` (docs/audit/evidence-package.md). " +
                             "Auditors and administrators only.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);
    }
}
