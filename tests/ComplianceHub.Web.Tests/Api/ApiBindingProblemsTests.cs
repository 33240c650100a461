using System.Text.Json;
using ComplianceHub.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Web.Tests.Api;

/// <summary>
/// Kestrel refuses a body over an endpoint's size limit (the uploads') by throwing when the body is first read; the API
/// answers 413 with a problem saying the limit, not the 400 of an invalid field (issue 18). The test server does not
/// enforce size limits, so the middleware is driven here with the exception Kestrel throws.
/// </summary>
public sealed class ApiBindingProblemsTests
{
    private sealed class SizeLimit(long? bytes) : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => true;
        public long? MaxRequestBodySize { get => bytes; set => throw new InvalidOperationException(); }
    }

    private static async Task<(int Status, string Body)> RunAsync(string path, Exception thrown, long? limit)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().AddOptions().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseApiBindingProblems();
        app.Run(_ => throw thrown);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new SizeLimit(limit));
        await app.Build()(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsA413ProblemNamingTheLimit()
    {
        var (status, body) = await RunAsync("/api/v1/vendors/0199a000-0000-7000-8000-00000000ac01/roster-imports",
            new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), 51L * 1024 * 1024);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, status);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("limit of 51 MB", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidBody_StaysA400()
    {
        var (status, _) = await RunAsync("/api/v1/vendors", new BadHttpRequestException("Failed to read parameter from the request body.", 400), null);
        Assert.Equal(StatusCodes.Status400BadRequest, status);
    }

    [Fact]
    public async Task OutsideTheApi_TheStatusIsBare()
    {
        var (status, body) = await RunAsync("/roster", new BadHttpRequestException("Request body too large.", 413), 1024);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, status);
        Assert.Equal("", body);
    }
}
