using System.Diagnostics;
using System.Text;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>A 50,000-row roster imports through the one executor and gate, and the audit chain still verifies (timing in the test log only).</summary>
public sealed class RosterImportScaleTests(ITestOutputHelper output) : CommandPortalTest("importscale")
{
    private static readonly int RowCount = int.TryParse(Environment.GetEnvironmentVariable("IMPORT_SCALE_ROWS"), out var n) ? n : 50_000;
    private string moverId = "";
    private Guid moverGrant;

    protected override async Task ArrangePeopleAsync()
    {
        var mover = await AddPersonAsync("US");
        moverGrant = (await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        await using var db = await ContextAsync();
        moverId = (await db.People.SingleAsync(p => p.Id == mover)).EmployeeId;
    }

    private byte[] File()
    {
        var text = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        text.Append(moverId).Append(",Test Person,test@acme.example,VendorEmployee,US,US,false,CN,Shenzhen,T5,2025-01-01,true,Secret,2025-06-01,None,,Active\n");
        for (var i = 1; i < RowCount; i++)
        {
            text.Append("S-").Append(i.ToString("D6")).Append(",Person Number").Append(i).Append(",p").Append(i)
                .Append("@acme.example,VendorEmployee,US;CA,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task FiftyThousandRows_Import_AndTheChainVerifies()
    {
        var file = File();
        var watch = Stopwatch.StartNew();
        var dry = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "big.csv", file, DryRun: true));
        output.WriteLine($"dry run of {RowCount:N0} rows: {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(dry.IsOk, dry.Message);
        Assert.Empty(dry.Value!.Errors);
        Assert.Equal(RowCount - 1, dry.Value.Added);

        watch.Restart();
        var applied = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "big.csv", file, DryRun: false));
        output.WriteLine($"import of {RowCount:N0} rows: {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(applied.IsOk, applied.Message);
        Assert.True(applied.Value!.Applied);
        Assert.Equal((RowCount - 1, 1), (applied.Value.Added, applied.Value.Updated));
        Assert.Equal([moverGrant], applied.Value.Consequences.SuspendedGrants);

        await using var db = await ContextAsync();
        Assert.Equal(RowCount - 1, await db.People.CountAsync(p => p.VendorId == DemoSeeder.AcmeId && p.EmployeeId.StartsWith("S-")));
        watch.Restart();
        Assert.True((await VerifyChainAsync()).Valid);
        output.WriteLine($"chain verified in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
