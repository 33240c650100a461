using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ComplianceHub.Web.Api;

/// <summary>
/// An endpoint kept for old callers carries <see cref="ObsoleteAttribute"/> metadata (<c>.WithMetadata(new ObsoleteAttribute(…))</c>,
/// saying since when and what replaces it); its operation in the OpenAPI document is marked <c>deprecated</c> from that, and
/// docs/api-changes.md records it.
/// </summary>
internal static class ApiDeprecation
{
    public static Task MarkDeprecatedAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ObsoleteAttribute>().FirstOrDefault() is { } obsolete)
        {
            operation.Deprecated = true;
            operation.Description = string.IsNullOrEmpty(operation.Description) ? obsolete.Message : $"{obsolete.Message} {operation.Description}";
        }
        return Task.CompletedTask;
    }
}
