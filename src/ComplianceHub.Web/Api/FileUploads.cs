namespace ComplianceHub.Web.Api;

/// <summary>A text field sent beside the file of an upload (<see cref="FileUploads.AcceptsFile"/>).</summary>
/// <param name="Name">The form field's name.</param>
/// <param name="Description">What it says, for the OpenAPI document.</param>
/// <param name="Format">Its OpenAPI string format (<c>uuid</c>), when it has one.</param>
/// <param name="Required">Whether the upload is refused without it.</param>
public sealed record UploadField(string Name, string Description, string? Format = null, bool Required = false);

/// <summary>Endpoint metadata: the endpoint reads <c>multipart/form-data</c> with a file in the part <see cref="FilePart"/> and text fields.</summary>
public sealed record FileUploadMetadata(string FilePart, string Description, IReadOnlyList<UploadField> Fields);

/// <summary>
/// An upload endpoint reads its form itself (it streams the file from where the form reader spooled it), so the framework
/// sees no body parameter: this metadata declares the body, and <see cref="OpenApiConventions"/> writes it into the
/// OpenAPI document as <c>multipart/form-data</c> with a binary file, so that a generated client can send the file.
/// </summary>
internal static class FileUploads
{
    /// <summary>The endpoint takes <c>multipart/form-data</c> with the file in the part named <c>file</c>, and <paramref name="fields"/> beside it.</summary>
    public static RouteHandlerBuilder AcceptsFile(this RouteHandlerBuilder builder, string description, params UploadField[] fields) =>
        builder.WithMetadata(new FileUploadMetadata("file", description, fields));
}
