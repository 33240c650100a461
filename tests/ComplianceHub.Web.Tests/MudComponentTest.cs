using Bunit;
using MudBlazor.Services;

namespace ComplianceHub.Web.Tests;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop, disposed asynchronously as MudBlazor's services require.</summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
