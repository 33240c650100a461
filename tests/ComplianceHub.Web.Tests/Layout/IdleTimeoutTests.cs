using System.Security.Claims;
using Bunit;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Layout;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Bunit.TestDoubles;
using MudBlazor.Services;

namespace ComplianceHub.Web.Tests.Layout;

public sealed class IdleTimeoutTests : BunitContext, IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    public IdleTimeoutTests()
    {
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton(new CircuitActivity(clock));
        auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private readonly BunitAuthorizationContext auth;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    [Fact]
    public async Task IdleOfficer_IsWarned_ThenSentToTheTimedOutPage_After15Minutes()
    {
        SignIn(Roles.ContractingOfficer);
        var cut = Render<IdleTimeout>(p => p.Add(x => x.CheckEvery, TimeSpan.FromSeconds(15)));

        await PassAsync(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(15));
        await cut.WaitForAssertionAsync(() => Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars), Patience);
        Assert.DoesNotContain("timed-out", Navigation.Uri, StringComparison.Ordinal);

        await PassAsync(TimeSpan.FromMinutes(1));
        await cut.WaitForAssertionAsync(() => Assert.EndsWith("/account/timed-out", Navigation.Uri, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task IdleAdministrator_IsSignedOut_After10Minutes()
    {
        SignIn(Roles.Administrator);
        var cut = Render<IdleTimeout>(p => p.Add(x => x.CheckEvery, TimeSpan.FromSeconds(15)));

        await PassAsync(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(15));
        await cut.WaitForAssertionAsync(() => Assert.EndsWith("/account/timed-out", Navigation.Uri, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public async Task Activity_KeepsTheSessionAlive()
    {
        SignIn(Roles.Auditor);
        var activity = Services.GetRequiredService<CircuitActivity>();
        var cut = Render<IdleTimeout>(p => p.Add(x => x.CheckEvery, TimeSpan.FromSeconds(15)));

        clock.Advance(TimeSpan.FromMinutes(13));
        activity.Touch();
        clock.Advance(TimeSpan.FromMinutes(13));
        await cut.WaitForAssertionAsync(() => Assert.Equal(TimeSpan.FromMinutes(13), activity.Idle));
        Assert.DoesNotContain("timed-out", Navigation.Uri, StringComparison.Ordinal);
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>Generous for a busy machine; a passing check returns at once.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lets <paramref name="span"/> of fake time pass one check interval at a time, yielding between steps. The component
    /// starts its timer on its own after rendering; one jump of many minutes could come before the timer exists, which then
    /// never ticks (seen as a flaky failure on a busy machine). Stepping, every tick after the timer starts fires.
    /// </summary>
    private async Task PassAsync(TimeSpan span)
    {
        var step = TimeSpan.FromSeconds(15);
        for (var passed = TimeSpan.Zero; passed < span; passed += step)
        {
            clock.Advance(passed + step > span ? span - passed : step);
            await Task.Delay(1);
        }
    }

    private void SignIn(string role)
    {
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()));
    }
}
