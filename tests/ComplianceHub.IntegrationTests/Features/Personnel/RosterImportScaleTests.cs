using System.Diagnostics;
using System.Text;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>
/// A 50,000-row roster imports through the one executor and gate — matched and saved 5,000 rows at a time in one
/// transaction — and the audit chain still verifies (timing in the test log only); a bad row in a later chunk writes nothing.
/// </summary>
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
        var progress = new List<ImportProgress>();
        Outcome<RosterImportReport> applied;
        using (ImportProgressScope.Begin(new Collect(progress)))
        {
            applied = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "big.csv", file, DryRun: false));
        }
        output.WriteLine($"import of {RowCount:N0} rows: {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(applied.IsOk, applied.Message);
        Assert.True(applied.Value!.Applied);
        Assert.Equal((RowCount - 1, 1), (applied.Value.Added, applied.Value.Updated));
        Assert.Equal([moverGrant], applied.Value.Consequences.SuspendedGrants);
        // The mover is row 2 (the first chunk): the row names the grant it suspends and the rule.
        var moverRow = applied.Value.RowReports.Single(r => r.Row == 2);
        Assert.Equal(ImportAction.Change, moverRow.Action);
        Assert.Contains(moverRow.Consequences, c => c.StartsWith("Suspends the", StringComparison.Ordinal));
        Assert.Contains(moverRow.Outcomes, o => o.RuleId == "LOC-COVERED");
        Assert.All(applied.Value.RowReports.Where(r => r.Row > 2), r => Assert.Empty(r.Consequences));
        // Saved a chunk at a time, with progress after each.
        var saving = progress.Where(p => p.Phase == ImportPhase.Saving && p.Done > 0).Select(p => p.Done).ToList();
        Assert.Equal(Enumerable.Range(1, (RowCount + 4_999) / 5_000).Select(i => Math.Min(i * 5_000, RowCount)), saving);

        await using var db = await ContextAsync();
        Assert.Equal(RowCount - 1, await db.People.CountAsync(p => p.VendorId == DemoSeeder.AcmeId && p.EmployeeId.StartsWith("S-")));
        watch.Restart();
        Assert.True((await VerifyChainAsync()).Valid);
        output.WriteLine($"chain verified in {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ABadRowInALaterChunk_WritesNothing_NotEvenTheEarlierChunks()
    {
        // 6,000 good new people (two chunks), then a row that offboards somebody not on the roster.
        var text = new StringBuilder(string.Join(',', RosterFile.Columns)).Append('\n');
        for (var i = 1; i <= 6_000; i++)
        {
            text.Append("B-").Append(i.ToString("D6")).Append(",Person Number").Append(i).Append(",b").Append(i)
                .Append("@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n");
        }
        text.Append("NOBODY-1,Nobody Here,nobody@acme.example,VendorEmployee,US,US,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Terminated\n");
        var eventsBefore = await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events");

        var outcome = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "late-error.csv", Encoding.UTF8.GetBytes(text.ToString()), DryRun: false));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.False(outcome.Value!.Applied);
        var error = Assert.Single(outcome.Value.Errors);
        Assert.Equal(6_002, error.Row);
        Assert.Contains("nobody to offboard", error.Message, StringComparison.Ordinal);
        Assert.Equal(ImportAction.Error, outcome.Value.RowReports.Single(r => r.Row == 6_002).Action);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM people WHERE employee_id LIKE 'B-%'"));
        Assert.Equal(eventsBefore, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM audit_events"));
    }

    private sealed class Collect(List<ImportProgress> into) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }
}
