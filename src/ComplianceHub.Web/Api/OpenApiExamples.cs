using System.Text.Json.Nodes;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ComplianceHub.Web.Api;

/// <summary>Examples in the OpenAPI document for the request bodies vendor systems and scripts send most.</summary>
internal static class OpenApiExamples
{
    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(TokenRequest)] = () => new JsonObject { ["email"] = "rep@acme.demo.local", ["password"] = "••••••••" },
        [typeof(PersonFields)] = Person,
        [typeof(PersonUpdateBody)] = () => Person().AsObject().Also(o =>
        {
            o["version"] = "1234";
            o["effectiveOn"] = null;
        }),
        [typeof(GrantRequestBody)] = () => new JsonObject
        {
            ["systemId"] = "0199a000-0000-7000-8000-000000005201", ["accessType"] = "NonPrivileged", ["escorted"] = false,
            ["startsOn"] = "2026-12-01", ["endsOn"] = "2027-05-31", ["justification"] = "Patch management for the public portal",
        },
        [typeof(VendorBody)] = () => new JsonObject { ["name"] = "Umbrella Systems", ["cageCode"] = "9UMB1", ["uei"] = "UMBRELLA0001", ["version"] = null },
        [typeof(SystemBody)] = () => new JsonObject { ["name"] = "Records", ["provider"] = "Acme", ["environment"] = "DoD-only region", ["impactLevel"] = "IL5", ["version"] = null },
        [typeof(EscortAssignmentBody)] = () => new JsonObject
        {
            ["escortId"] = "0199a000-0000-7000-8000-00000000e001", ["personId"] = "0199a000-0000-7000-8000-00000000e002",
            ["systemId"] = "0199a000-0000-7000-8000-000000005201", ["startsOn"] = "2026-12-01", ["endsOn"] = "2027-02-28",
        },
        [typeof(AttestationBody)] = () => new JsonObject
        {
            ["statement"] = "I attest that these people work where stated and hold these citizenships.",
            ["items"] = new JsonArray(new JsonObject
            {
                ["personId"] = "0199a000-0000-7000-8000-00000000e002",
                ["workLocation"] = new JsonObject { ["country"] = "US", ["city"] = "Reston" },
                ["citizenships"] = new JsonArray("US"),
            }),
        },
        [typeof(EgressRangeBody)] = () => new JsonObject { ["range"] = "203.0.113.0/24", ["reason"] = "Acme's corporate VPN concentrator, Ashburn" },
        [typeof(RemovalBody)] = () => new JsonObject { ["reason"] = "The VPN concentrator was decommissioned in November" },
        [typeof(WaiverBody)] = () => new JsonObject
        {
            ["findingId"] = "0199a000-0000-7000-8000-00000000f001", ["justification"] = "Renunciation of the second citizenship is in progress.",
            ["expiresOn"] = "2027-01-31",
        },
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [example()];
        }
        return Task.CompletedTask;
    }

    private static JsonNode Person() => new JsonObject
    {
        ["employeeId"] = "E-1001", ["fullName"] = "Jane Roe", ["email"] = "jane@vendor.example", ["employerType"] = "VendorEmployee",
        ["citizenships"] = new JsonArray("US"), ["countryOfBirth"] = "US", ["usLawfulPermanentResident"] = false,
        ["workLocation"] = new JsonObject { ["country"] = "US", ["city"] = "Reston" },
        ["investigationTier"] = "T5", ["adjudicatedOn"] = "2024-03-01", ["continuousVetting"] = true, ["clearance"] = "Secret",
        ["ndaSignedOn"] = "2025-01-15", ["escortQualification"] = "None", ["escortTrainingOn"] = null,
    };

    private static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
