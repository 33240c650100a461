using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data.Seeding;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// <c>GET /api/v1/exports/{kind}</c> over HTTP: the file as an attachment, the screen's filters bound, a representative
/// kept to their own vendor and out of the audit trail, a bad kind or format a 400 naming the field, and the audit event
/// holding the hash of exactly the bytes the client received.
/// </summary>
public sealed class ApiExportTests() : ApiTestBase("apiexport")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static List<string[]> Csv(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes.AsSpan(3)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("\",\"").Select(c => c.Trim('"')).ToArray()).ToList();

    [Fact]
    public async Task ARepresentative_GetsOnlyTheirVendorsRows_WhateverTheFilterSays()
    {
        using var rep = await AsAsync(AcmeEmail);
        var own = await rep.GetAsync("/api/v1/exports/roster?format=csv");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var rows = Csv(await own.Content.ReadAsByteArrayAsync()).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Acme Cloud Services", r[2]));

        var other = await rep.GetAsync($"/api/v1/exports/roster?format=csv&vendor={DemoSeeder.GlobexId}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Single(Csv(await other.Content.ReadAsByteArrayAsync())); // the header only

        using var officer = await AsAsync(Co1Email);
        var globex = Csv(await (await officer.GetAsync($"/api/v1/exports/roster?format=csv&vendor={DemoSeeder.GlobexId}")).Content.ReadAsByteArrayAsync());
        Assert.True(globex.Count > 1);
        Assert.All(globex.Skip(1), r => Assert.Equal("Globex Federal", r[2]));
    }

    [Fact]
    public async Task TheAuditTrail_IsRefusedToARepresentativeAndAnOfficer_AndExportedForAnAuditor()
    {
        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/exports/audit?format=json")).StatusCode);
        using var officer = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/exports/audit?format=csv")).StatusCode);

        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync("/api/v1/exports/audit?format=json&subjectType=vendor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("vendor", r.GetProperty("subjectType").GetString()));
        Assert.Equal("vendor", document.RootElement.GetProperty("filters").GetProperty("subjectType").GetString());
    }

    [Fact]
    public async Task AnUnknownKindOrFormat_IsA400_NamingTheField()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var format = await auditor.GetAsync("/api/v1/exports/findings?format=docx");
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        var errors = (await BodyAsync(format)).GetProperty("errors");
        Assert.Contains("docx", errors.GetProperty("format")[0].GetString());

        var kind = await auditor.GetAsync("/api/v1/exports/salaries?format=csv");
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("salaries", (await BodyAsync(kind)).GetProperty("errors").GetProperty("kind")[0].GetString());

        var missing = await auditor.GetAsync("/api/v1/exports/roster");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await BodyAsync(missing)).GetProperty("errors").TryGetProperty("format", out _));

        var malformed = await auditor.GetAsync("/api/v1/exports/audit?format=csv&actorUserId=nobody&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var fields = (await BodyAsync(malformed)).GetProperty("errors");
        Assert.True(fields.TryGetProperty("actorUserId", out _));
        Assert.True(fields.TryGetProperty("from", out _));
    }

    [Fact]
    public async Task TheFile_IsAnAttachment_AndItsAuditEventHoldsTheHashOfTheBytesReceived()
    {
        using var officer = await AsAsync(Co1Email);
        var response = await officer.GetAsync("/api/v1/exports/roster?format=xlsx&group=UsCitizen");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Matches(@"^roster-\d{8}-\d{4}\.xlsx$", disposition.FileName!.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        await using var db = await ContextAsync();
        var recorded = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.EventType == AuditEventTypes.Export);
        using var changes = JsonDocument.Parse(recorded.Changes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), changes.RootElement.GetProperty("sha256").GetProperty("after").GetString());
        Assert.Equal("xlsx", changes.RootElement.GetProperty("format").GetProperty("after").GetString());
        Assert.Equal("UsCitizen", changes.RootElement.GetProperty("filters").GetProperty("after").GetProperty("groups").GetString());
        Assert.Equal("Casey Officer", recorded.ActorName);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task APdfReport_Downloads()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync($"/api/v1/exports/escorts?format=pdf&vendor={DemoSeeder.AcmeId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfSharp.Pdf.IO.PdfReader.Open(await response.Content.ReadAsStreamAsync(), PdfSharp.Pdf.IO.PdfDocumentOpenMode.Import);
        Assert.True(pdf.PageCount >= 1);
    }
}
