using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Contracts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Contracts;

/// <summary>Contracts: recorded by administrators and officers, with real officers and systems, audited.</summary>
public sealed class ContractTests() : CommandPortalTest("contracts")
{
    private static readonly Guid Il4 = Guid.Parse("0199a000-0000-7000-8000-000000005401");
    private List<Guid> officers = [];

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        officers = await db.AccountsInRole(Roles.ContractingOfficer).ToListAsync();
    }

    private CreateContract New(string number = "W52P1J-26-C-0001") =>
        new(DemoSeeder.InitechId, number, "Logistics enclave operations", Today, Today.AddYears(2), officers, [Il4, Il2]);

    [Fact]
    public async Task AnOfficerRecordsAContract_AndItIsAudited()
    {
        var created = await SendAsync(Co1, New());

        Assert.True(created.IsOk, created.Message);
        Assert.Equal([Il2, Il4], created.Value!.SystemIds.Order());
        var audited = await SingleEventAsync(e => e.SubjectId == created.Value.Id.ToString());
        Assert.Equal(2200, audited.EventType);
        Assert.Contains("W52P1J-26-C-0001", audited.Changes, StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TheDemoSeed_HasAContractPerVendor_WithOfficersResponsible()
    {
        await using var db = await ContextAsync();
        var contracts = await db.Contracts.AsNoTracking().ToListAsync();
        Assert.Equal(3, contracts.Select(c => c.VendorId).Distinct().Count());
        Assert.All(contracts, c => Assert.NotEmpty(c.ResponsibleOfficerIds));
        Assert.Contains(contracts, c => c.SystemIds.Contains(Il5));
    }

    [Fact]
    public async Task ADuplicateNumber_AnUnknownSystem_AndANonOfficer_AreFieldErrors()
    {
        Assert.True((await SendAsync(Co1, New())).IsOk);
        var rep = await (await ContextAsync()).Users.Where(u => u.VendorId != null).Select(u => u.Id).FirstAsync();

        var outcome = await SendAsync(Co1, New() with { SystemIds = [Guid.NewGuid()], ResponsibleOfficerIds = [rep] });

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(["Number", "ResponsibleOfficerIds", "SystemIds"], outcome.Errors!.Keys.Order());
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.Contracts.CountAsync(c => c.Number == "W52P1J-26-C-0001"));
    }

    [Fact]
    public async Task APeriodEndingBeforeItStarts_IsInvalid()
    {
        var outcome = await SendAsync(Co1, New() with { EndsOn = Today.AddDays(-1) });
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("EndsOn", outcome.Errors!.Keys);
    }

    [Fact]
    public async Task RepresentativesAndAuditors_CannotRecordContracts()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, New() with { VendorId = DemoSeeder.AcmeId })).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, New())).Kind);
        await using var db = await ContextAsync();
        Assert.False(await db.Contracts.AnyAsync(c => c.Number == "W52P1J-26-C-0001"));
    }

    [Fact]
    public async Task AnAdministratorChangesThePeriodAndSystems()
    {
        var admin = new Actor(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
        var created = (await SendAsync(admin, New())).Value!;

        var changed = await SendAsync(admin, new ChangeContract(created.Id, "Logistics enclave operations (option year 1)", Today, Today.AddYears(3), officers, [Il4]));

        Assert.True(changed.IsOk, changed.Message);
        Assert.Equal([Il4], changed.Value!.SystemIds);
        Assert.Equal(Today.AddYears(3), changed.Value.EndsOn);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(admin, new ChangeContract(Guid.NewGuid(), "x", Today, Today, officers, []))).Kind);
    }
}
