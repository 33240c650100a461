using ComplianceHub.Core.Exports;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ComplianceHub.Web.Api;

/// <summary>
/// How an export reaches the client while it is being made (the grid exports, the OSCAL POA&amp;M): the headers go first — a 200,
/// the content type, the file name as an attachment, no caching, no response buffering — then the file as it is written. Once
/// part of the file is out an error can no longer be a problem response, so the connection is ended and the client sees a failed
/// download, not a short file; a client that went away is logged and nothing more (the writer records nothing it did not finish).
/// </summary>
internal static class StreamedDownload
{
    /// <param name="http">The request being answered.</param>
    /// <param name="category">Whose logger reports the export (the endpoint class).</param>
    /// <param name="what">What is exported, for the log ("findings as csv").</param>
    /// <param name="contentType">The file's content type.</param>
    /// <param name="fileName">The attachment's file name.</param>
    /// <param name="write">Writes the file into the response body and records it.</param>
    public static async Task SendAsync(HttpContext http, Type category, string what, string contentType, string fileName,
        Func<Stream, CancellationToken, Task<ExportResult>> write)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        http.Response.Headers[HeaderNames.CacheControl] = "no-store";
        try
        {
            var result = await write(http.Response.Body, http.RequestAborted);
            logger.LogInformation("Exported {What}: {Rows} rows ({Bytes} bytes, SHA-256 {Sha256}), audit event {Sequence}",
                what, result.Rows, result.Bytes, result.Sha256, result.AuditSequence);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing complete left, nothing is recorded.
            logger.LogInformation("Export of {What} aborted by the client", what);
        }
        catch (Exception ex) when (http.Response.HasStarted)
        {
            // Part of the file is out: end the connection so the client sees a failed download, not a short file.
            logger.LogError(ex, "Export of {What} failed after it started", what);
            http.Abort();
        }
    }
}
