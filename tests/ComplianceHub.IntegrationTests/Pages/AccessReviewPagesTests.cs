using System.Net;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>
/// The access review pages as the server renders them (issue 23: "vendor isolation (404) and auditor read-only on every new
/// page"): a campaign over Acme grants is not found for Globex's representative and for NAVWAR's officer, a definition is not
/// even offered to representatives, and an auditor reads the campaign and the definition without a write action.
/// </summary>
public sealed class AccessReviewPagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private Guid definitionId;
    private Guid campaignId;

    public async Task InitializeAsync()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var db = await services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();
        var co1 = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "co1@demo.local");
        var co2 = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "co2@demo.local");
        var officer = new Actor(co1.Id, co1.DisplayName, Roles.ContractingOfficer, null, null);
        // Acme people the policy lets an officer grant IL2 at once: US citizens, attested within the last half year.
        var recent = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-180);
        var acmePeople = await db.People.AsNoTracking().Where(p => p.VendorId == DemoSeeder.AcmeId && p.Citizenships.Contains("US")
                && p.Citizenships.Count == 1 && p.LocationAttestedOn >= recent && p.EmploymentStatus == EmploymentStatus.Active)
            .OrderBy(p => p.EmployeeId).Select(p => p.Id).Take(2).ToListAsync();
        Assert.NotEmpty(acmePeople);
        var executor = services.GetRequiredService<CommandExecutor>();
        var il2 = await db.Systems.AsNoTracking().Where(s => s.ImpactLevel == ImpactLevel.IL2).OrderBy(s => s.Name).Select(s => s.Id).FirstAsync();
        foreach (var person in acmePeople)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var grant = await executor.SendAsync(officer, new RequestGrant(person, il2, AccessType.NonPrivileged, false, today, today.AddDays(90), "Operations"));
            Assert.True(grant.IsOk, grant.Message);
        }
        var definition = await executor.SendAsync(officer, new SaveAccessReviewDefinition(null, $"Page review {Guid.NewGuid():N}"[..24],
            new AccessReviewScope { VendorIds = [DemoSeeder.AcmeId] }, true, co2.Id, 30, [7, 1], DeadlineAction.Escalate, 7, CommentRule.WhenSensitive,
            Recurrence.None, null));
        Assert.True(definition.IsOk, definition.Message);
        definitionId = definition.Value!.Id;
        var campaign = await executor.SendAsync(officer, new StartAccessReviewCampaign(definitionId));
        Assert.True(campaign.IsOk, campaign.Message);
        campaignId = campaign.Value!.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Theory]
    [InlineData("rep@globex.demo.local")]
    [InlineData("co3@demo.local")]
    public async Task AnotherVendorsRepresentative_AndAnotherOfficesOfficer_FindNoCampaign(string email)
    {
        using var outsider = await SignInAsync(email);
        var response = await outsider.Client.GetAsync($"/access-reviews/campaigns/{campaignId}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Page review", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Representatives_AreNotOfferedDefinitions()
    {
        using var rep = await SignInAsync("rep@acme.demo.local");
        var response = await rep.Client.GetAsync($"/access-reviews/definitions/{definitionId}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync($"/access-reviews/campaigns/{campaignId}")).StatusCode);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheCampaignAndTheDefinition_WithoutAWriteAction()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var campaign = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/access-reviews/campaigns/{campaignId}"));
        Assert.Contains("Page review", campaign, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"ar-bulk-bar\"", campaign, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"ar-select-", campaign, StringComparison.Ordinal);

        var definition = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/access-reviews/definitions/{definitionId}"));
        Assert.Contains("Page review", definition, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"ar-def-save\"", definition, StringComparison.Ordinal);

        var missing = await auditor.Client.GetAsync($"/access-reviews/campaigns/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var queue = await auditor.Client.GetAsync("/access-reviews/queue");
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode); // auditors review nothing
    }
}
