using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Common;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Roster files are recorded by SHA-256 per vendor (ADR 0041): the same file again is refused with a pointer to the first import and
/// changes nothing (an old file would revert newer edits); a different file applies; reapply=true applies it again on purpose.
/// </summary>
public sealed class ApiRosterImportHashTests() : ApiTestBase("apihash")
{
    private const string Header = "employeeId,fullName,email,employerType,citizenships,countryOfBirth,usLawfulPermanentResident,workCountry,workCity," +
                                  "investigationTier,adjudicatedOn,continuousVetting,clearance,ndaSignedOn,escortQualification,escortTrainingOn,employmentStatus\n";

    private static byte[] File(string city) => Encoding.UTF8.GetBytes(Header +
        $"H-1,Hana Hash,hana@acme.example,VendorEmployee,US,US,false,US,{city},T3,2025-02-01,true,None,2025-03-01,None,,Active\n" +
        "H-2,Hugo Hash,hugo@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static MultipartFormDataContent Upload(byte[] content, string name = "roster.csv")
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { part, "file", name } };
    }

    private static string Imports(string query = "") => $"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports{query}";

    private async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;

    private async Task<(long People, long Events, string City)> StateAsync() =>
        (await CountAsync($"SELECT count(*) FROM people WHERE vendor_id = '{DemoSeeder.AcmeId}'"), await CountAsync("SELECT count(*) FROM audit_events"),
            (string)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT work_city FROM people WHERE employee_id = 'H-1'"))!);

    [Fact]
    public async Task TheSameFileTwice_IsRefusedWithAPointerToTheFirst_AndChangesNothing()
    {
        using var rep = await AsAsync(AcmeEmail);
        var first = await rep.PostAsync(Imports(), Upload(File("Reston"), "monday.csv"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var applied = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var importId = applied["importId"]!.GetValue<Guid>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File("Reston"))), applied["sha256"]!.GetValue<string>());
        using var co = await AsAsync(Co1Email);
        var before = await StateAsync();

        var dry = await rep.PostAsync(Imports("?dryRun=true"), Upload(File("Reston"), "monday-again.csv"));
        var again = await rep.PostAsync(Imports(), Upload(File("Reston"), "monday-again.csv"));

        // The dry run says so before the apply.
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var preview = JsonNode.Parse(await dry.Content.ReadAsStringAsync())!;
        Assert.Equal(importId, preview["alreadyApplied"]!["importId"]!.GetValue<Guid>());
        // The apply is refused with the pointer, in words.
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        var detail = problem["detail"]!.GetValue<string>();
        Assert.StartsWith("This file was already applied on ", detail, StringComparison.Ordinal);
        Assert.Matches(@" UTC by \S.* \(import ", detail);
        Assert.Contains($"(import /api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports/{importId})", detail, StringComparison.Ordinal);
        Assert.Contains("nothing was changed. ", detail, StringComparison.Ordinal);
        Assert.Contains("reapply=true", detail, StringComparison.Ordinal);
        Assert.Equal(importId, problem["alreadyApplied"]!["importId"]!.GetValue<Guid>());
        Assert.Equal(before, await StateAsync()); // no person, no audit event

        // The pointer leads to the first import, for the vendor's representative.
        var pointed = JsonNode.Parse(await rep.GetStringAsync(problem["import"]!.GetValue<string>()))!;
        Assert.Equal(("monday.csv", 2, 2, 1), (pointed["fileName"]!.GetValue<string>(), pointed["rows"]!.GetValue<int>(), pointed["added"]!.GetValue<int>(),
            pointed["timesApplied"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, (await co.GetAsync(problem["import"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_CannotFollowThePointer()
    {
        using var acme = await AsAsync(AcmeEmail);
        using var globex = await AsAsync(GlobexEmail);
        var importId = JsonNode.Parse(await (await acme.PostAsync(Imports(), Upload(File("Reston")))).Content.ReadAsStringAsync())!["importId"]!.GetValue<Guid>();

        var viaAcme = await globex.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports/{importId}");
        var viaGlobex = await globex.GetAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}/roster-imports/{importId}");

        Assert.Equal(HttpStatusCode.NotFound, viaAcme.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, viaGlobex.StatusCode);
        // The same bytes are another vendor's file: Globex may import them (a hash is per vendor) — refused here only for its rows' content.
        var globexImport = await globex.PostAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}/roster-imports?dryRun=true", Upload(File("Reston")));
        Assert.Null(JsonNode.Parse(await globexImport.Content.ReadAsStringAsync())!["alreadyApplied"]);
    }

    [Fact]
    public async Task ADifferentFileApplies_AndReapplyAppliesTheSameFileAgainOnPurpose()
    {
        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.OK, (await rep.PostAsync(Imports(), Upload(File("Reston")))).StatusCode);

        var different = await rep.PostAsync(Imports(), Upload(File("Herndon")));
        Assert.Equal(HttpStatusCode.OK, different.StatusCode);
        Assert.Equal(1, JsonNode.Parse(await different.Content.ReadAsStringAsync())!["updated"]!.GetValue<int>());
        Assert.Equal("Herndon", (await StateAsync()).City);

        // The old file again, on purpose: it reverts the newer edit, as asked, and the record counts the second application.
        var reapplied = await rep.PostAsync(Imports("?reapply=true"), Upload(File("Reston"), "monday.csv"));
        Assert.Equal(HttpStatusCode.OK, reapplied.StatusCode);
        var report = JsonNode.Parse(await reapplied.Content.ReadAsStringAsync())!;
        Assert.True(report["applied"]!.GetValue<bool>());
        Assert.Equal("Reston", (await StateAsync()).City);
        Assert.Equal(2, (int)(await TestDatabase.ScalarAsync(Database.AppConnectionString,
            $"SELECT times_applied FROM roster_imports WHERE id = '{report["importId"]!.GetValue<Guid>()}'"))!);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM audit_events WHERE event_type = 3101"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TheSameFileThroughTheExecutor_IsRefusedForTheWizardToo()
    {
        var content = File("Reston");
        var first = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "roster.csv", content, DryRun: false));
        Assert.True(first.Value!.Applied);
        var before = await StateAsync();

        var second = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "roster.csv", content, DryRun: false));

        Assert.Equal(OutcomeKind.Ok, second.Kind);
        Assert.False(second.Value!.Applied);
        Assert.Equal(first.Value.ImportId, second.Value.AlreadyApplied!.ImportId);
        Assert.Equal(AcmeRep.DisplayName, second.Value.AlreadyApplied.AppliedBy);
        Assert.Equal(before, await StateAsync());
    }
}
