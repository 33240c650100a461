using System.Net;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>The audit trail over HTTP: the new filters bind, an event's detail and the filter options are served, to auditors and administrators only.</summary>
public sealed class ApiAuditTrailTests() : ApiTestBase("apiaudit")
{
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        var dual = await AddPersonAsync("US,VE", birth: "US");
        grant = (await SendAsync(Co1, new RequestGrant(dual, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Monitoring"))).Value!.Id;
    }

    [Fact]
    public async Task TheNewFilters_Bind()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var operation = (await SingleEventAsync(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString() && e.EventType == 4000)).Operation;
        var url = $"/api/v1/audit/events?ruleId=CIT-CONCERN&operation={Uri.EscapeDataString(operation)}&vendorId={DemoSeeder.AcmeId}" +
                  $"&actorName=casey&from={Uri.EscapeDataString(Clock.GetUtcNow().AddHours(-1).ToString("O"))}&desc=true&pageSize=50";
        var body = JsonDocument.Parse(await auditor.GetStringAsync(url)).RootElement;

        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(grant.ToString(), item.GetProperty("subjectId").GetString());
        Assert.Equal(1, body.GetProperty("total").GetInt32());

        var other = JsonDocument.Parse(await auditor.GetStringAsync($"/api/v1/audit/events?ruleId=CIT-CONCERN&vendorId={DemoSeeder.GlobexId}&from=" +
                                                                    Uri.EscapeDataString(Clock.GetUtcNow().AddHours(-1).ToString("O")))).RootElement;
        Assert.Equal(0, other.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnEventsDetail_AndTheFilterOptions()
    {
        var created = await SingleEventAsync(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString() && e.EventType == 4000);
        using var admin = await AsAsync(AdminEmail);
        var detail = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/audit/events/{created.Sequence}")).RootElement;
        Assert.Equal(created.Hash, detail.GetProperty("event").GetProperty("hash").GetString());
        Assert.Equal(DemoSeeder.AcmeId, detail.GetProperty("subject").GetProperty("vendorId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/audit/events/{created.Sequence + 100000}")).StatusCode);

        var options = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit/filters")).RootElement;
        Assert.Contains(options.GetProperty("operations").EnumerateArray(), o => o.GetString() == created.Operation);

        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.GetAsync($"/api/v1/audit/events/{created.Sequence}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.GetAsync("/api/v1/audit/filters")).StatusCode);
    }
}
