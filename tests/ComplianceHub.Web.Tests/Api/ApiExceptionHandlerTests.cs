using System.Text.Json;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.Web.Tests.Api;

/// <summary>
/// What an API caller reads when a request fails unexpectedly: a problem with a trace id and nothing of the exception; a
/// value PostgreSQL cannot store is a 400, whether a query threw it or a save wrapped it. (The HTTP tests cannot reach
/// these any more: the NUL characters they sent are refused before the database since issue 18.)
/// </summary>
public sealed class ApiExceptionHandlerTests
{
    private static async Task<(bool Handled, int Status, string Body)> HandleAsync(string path, Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new ApiExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ApiExceptionHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);
        context.Response.Body.Position = 0;
        return (handled, context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    private static Npgsql.PostgresException Unstorable() =>
        new("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021");

    [Fact]
    public async Task ASaveRefusedForAValueThatCannotBeStored_IsA400()
    {
        var (handled, status, body) = await HandleAsync("/api/v1/vendors", new DbUpdateException("An error occurred while saving.", Unstorable()));
        Assert.True(handled);
        Assert.Equal(StatusCodes.Status400BadRequest, status);
        Assert.DoesNotContain("0x00", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueryRefusedForAValueThatCannotBeStored_IsA400() =>
        Assert.Equal(StatusCodes.Status400BadRequest, (await HandleAsync("/api/v1/vendors", Unstorable())).Status);

    [Fact]
    public async Task AnyOtherFailure_IsA500WithATraceId_AndNothingOfTheException()
    {
        var (handled, status, body) = await HandleAsync("/api/v1/vendors", new InvalidOperationException("secret detail at Some.Type.Method()"));
        Assert.True(handled);
        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task APageFailure_IsLeftToThePortalsErrorPage() =>
        Assert.False((await HandleAsync("/roster", new InvalidOperationException("boom"))).Handled);
}
