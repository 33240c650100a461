using System.Net;
using System.Text.Json;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.IntegrationTests.Hosting;

/// <summary>
/// The audit trail's retention (ADR 0046, AU-11): <c>/healthz</c> names the oldest event and when its retention ends, turns
/// Degraded (still 200) once events are past it, and a portal told to keep the trail less than a year does not start.
/// </summary>
public sealed class RetentionHealthTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync("retentionhealth");

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Overall, string Retention, string Description)> HealthAsync(HttpClient client)
    {
        var response = await client.GetAsync("/healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").GetProperty("retention");
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString()!, check.GetProperty("status").GetString()!,
            check.GetProperty("description").GetString()!);
    }

    [Fact]
    public async Task Healthz_SaysUntilWhenTheOldestEventIsKept_AndIsDegradedOncePastIt()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var portal = new PortalFactory(database, clock);
        using var client = portal.CreateClient();

        var empty = await HealthAsync(client);
        Assert.Equal(("Healthy", "no audit events yet; each is kept 6 year(s)"), (empty.Retention, empty.Description));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditNotes>().AppendAsync(Actor.ServerOperator, "export", AuditEventTypes.Export, "export",
                Guid.NewGuid().ToString(), "{}");
        }

        var today = await HealthAsync(client);
        Assert.Equal((HttpStatusCode.OK, "Healthy", "Healthy"), (today.Status, today.Overall, today.Retention));
        var now = clock.GetUtcNow().UtcDateTime;
        Assert.Equal($"oldest audit event {now:yyyy-MM-dd}; kept 6 year(s), so until {now.AddDays(6 * 365 + 2):yyyy-MM-dd}", today.Description);

        clock.Advance(TimeSpan.FromDays(6 * 365 + 10));
        var later = await HealthAsync(client);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "Degraded"), (later.Status, later.Overall, later.Retention));
        Assert.Contains("events are past their retention — dispose of them with the records officer", later.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortalToldToKeepTheTrailUnderAYear_DoesNotStart_AndSaysWhichSetting()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:ComplianceHub"] = database.AppConnectionString;
        builder.Configuration["Keys:Folder"] = PortalFactory.TestKeys.Folder;
        builder.Configuration["Scheduler:Enabled"] = "false";
        builder.Configuration["Retention:AuditEvents"] = "90.00:00:00";
        builder.AddComplianceHubPortal();
        await using var app = builder.Build();
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Retention:AuditEvents is 90 days: keep the audit trail for at least a year", refused.Message, StringComparison.Ordinal);
    }
}
