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

        clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(15));
        await cut.WaitForAssertionAsync(() => Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars));
        Assert.DoesNotContain("timed-out", Navigation.Uri, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromMinutes(1));
        await cut.WaitForAssertionAsync(() => Assert.EndsWith("/account/timed-out", Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdleAdministrator_IsSignedOut_After10Minutes()
    {
        SignIn(Roles.Administrator);
        var cut = Render<IdleTimeout>(p => p.Add(x => x.CheckEvery, TimeSpan.FromSeconds(15)));

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(15));
        await cut.WaitForAssertionAsync(() => Assert.EndsWith("/account/timed-out", Navigation.Uri, StringComparison.Ordinal));
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

    private void SignIn(string role)
    {
        auth.SetAuthorized("someone@demo.local");
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()));
    }
}
