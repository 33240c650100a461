using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Security;
using Microsoft.Net.Http.Headers;

namespace ComplianceHub.Web.Api;

/// <summary>The evidence package download (API.md <c>GET /exports/evidence?from&amp;to</c>), streamed as it is built.</summary>
internal static class EvidenceEndpoints
{
    public static void MapEvidenceEndpoints(this RouteGroupBuilder api)
    {
        // A literal segment: routing prefers it to the grid exports' /exports/{kind}, whatever the mapping order.
        api.MapGet("/exports/evidence", async (ApiCaller caller, HttpContext http, EvidencePackageBuilder builder, TimeProvider clock, string? from, string? to) =>
            {
                var actor = caller.Actor;
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
                if (!builder.CanSign)
                {
                    return NoSigningKey();
                }
                // Streamed: the zip goes out as the rows come in from the database (no buffering, no length known up front).
                http.Response.ContentType = "application/zip";
                http.Response.Headers[HeaderNames.ContentDisposition] =
                    new ContentDispositionHeaderValue("attachment") { FileName = range.FileName }.ToString();
                http.Response.Headers[HeaderNames.CacheControl] = "no-store";
                await builder.BuildAsync(actor, range, http.Response.Body, http.RequestAborted);
                return Results.Empty;
            })
            .RequireRoles("Evidence packages are for auditors and administrators.", Roles.Auditor, Roles.Administrator)
            .WithTags("Exports").WithName("GetEvidencePackage")
            .WithSummary("Evidence package for a date range: one zip with findings, roster, grants, escorts, attestations, policy versions, " +
                         "audit events, the chain head and a manifest of SHA-256 hashes")
            .WithDescription($"from and to are UTC days (YYYY-MM-DD), both inclusive; at most {EvidenceRange.MaxDays} days (ten years), ending no later than today. " +
                             "The zip is streamed as it is built and named evidence-YYYYMMDD-YYYYMMDD.zip; its manifest.json is signed (manifest.sig, " +
                             $"{EvidencePackage.SignatureAlgorithm}) with the audit signing key and carries the chain checkpoints of the range (format " +
                             $"{EvidencePackage.Format}). Building it is recorded in the audit trail (event 8200) with the SHA-256 of its manifest.json. " +
                             "Verify it offline with `verify-evidence <zip> --public-key <pem>`, or with sha256sum, openssl and the verify.py inside it " +
                             "(docs/audit/evidence-package.md). Auditors and administrators only; 503 when no signing key is configured.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);

        api.MapGet("/evidence/signing-key", (ApiCaller caller, EvidenceSigningKeyQuery keys) => SigningKey(caller, keys,
                key => TypedResults.Ok(new SigningKeyResponse(key.KeyId, key.Algorithm, key.PublicKeyPem, key.PreviousKeys, EvidenceSigningKey.TrustNote))))
            .RequireRoles(SigningKeyRefusal, Roles.Auditor, Roles.Administrator).WithTags("Exports").WithName("GetEvidenceSigningKey")
            .WithSummary("The public key that verifies evidence packages: its id (SHA-256 of the DER public key), PEM, and the keys rotated out")
            .WithDescription(EvidenceSigningKey.TrustNote + " Auditors and administrators only; 503 when no signing key is configured.")
            .Produces<SigningKeyResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/evidence/signing-key.pem", (ApiCaller caller, EvidenceSigningKeyQuery keys) => SigningKey(caller, keys,
                key => TypedResults.File(System.Text.Encoding.ASCII.GetBytes(key.PublicKeyPem + "\n"), "application/x-pem-file", KeyFiles.AuditSigningPublicKeyFile)))
            .RequireRoles(SigningKeyRefusal, Roles.Auditor, Roles.Administrator).WithTags("Exports").WithName("GetEvidenceSigningKeyPem")
            .WithSummary("The same public key as a file, audit-signing.pub.pem, for openssl and verify-evidence --public-key")
            .WithDescription(EvidenceSigningKey.TrustNote)
            .Produces(StatusCodes.Status200OK, contentType: "application/x-pem-file")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private const string SigningKeyRefusal = "The evidence signing key is shown to auditors and administrators.";

    /// <summary>The signing key's public half in the form <paramref name="answer"/> gives (the endpoints admit auditors and administrators only).</summary>
    private static IResult SigningKey(ApiCaller caller, EvidenceSigningKeyQuery keys, Func<EvidenceSigningKey, IResult> answer) =>
        keys.Get(caller.Actor) is { } key ? answer(key) : NoSigningKey();

    private static IResult NoSigningKey() => TypedResults.Problem(
        "Evidence packages are signed, and this installation has no audit signing key configured (docs/operations.md, \"Keys\").",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "No signing key");
}

/// <summary>The evidence signing key as the API gives it.</summary>
/// <param name="KeyId">Lower-case hex SHA-256 of the DER public key; the manifest's <c>signingKey.keyId</c>.</param>
/// <param name="Algorithm">How the manifest is signed: ECDSA P-256 SHA-256.</param>
/// <param name="PublicKeyPem">The public key, PEM.</param>
/// <param name="PreviousKeys">Keys rotated out, each with its id and PEM: packages and checkpoints signed before the rotation verify with them.</param>
/// <param name="Trust">That this is a convenience: verify with the key given out of band.</param>
public sealed record SigningKeyResponse(string KeyId, string Algorithm, string PublicKeyPem, IReadOnlyList<EvidenceVerificationKey> PreviousKeys, string Trust);
