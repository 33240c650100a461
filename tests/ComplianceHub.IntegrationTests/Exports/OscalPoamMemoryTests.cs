using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// A POA&amp;M of 20,000 findings streams: each finding's observation, risk and item reach the client while the live managed
/// memory stays far below the document (sampled with a full collection every 2 MB written, as <see cref="ExportMemoryTests"/>).
/// Not a timing test; runs alone, since the managed heap is the whole process's.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class OscalPoamMemoryTests(ITestOutputHelper output) : CommandPortalTest("oscalmem")
{
    private const int Clones = 20_000;

    protected override async Task ArrangePeopleAsync()
    {
        var person = await AddPersonAsync("US", name: "Bulk Finding");
        var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Operations"));
        Assert.True(grant.IsOk, grant.Message);
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen"))).IsOk);
        Guid template;
        await using (var db = await ContextAsync())
        {
            template = await db.Findings.Where(f => f.PersonId == person && f.Status == FindingStatus.Open).Select(f => f.Id).FirstAsync();
        }
        // The gate's finding cloned in SQL as the owner role, each on a subject of its own (one open finding per rule and subject):
        // test data only (no audit events for the clones, and no grant behind their subjects).
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        var rest = await ExportMemoryTests.ColumnsAsync(connection, "findings", "id", "subject_id");
        await using var clone = new NpgsqlCommand(
            $"INSERT INTO findings (id, subject_id, {rest}) SELECT gen_random_uuid(), gen_random_uuid(), {rest} FROM findings, generate_series(1, {Clones}) AS g WHERE findings.id = @template",
            connection) { CommandTimeout = 300 };
        clone.Parameters.AddWithValue("template", template);
        Assert.Equal(Clones, await clone.ExecuteNonQueryAsync());
        await using var analyze = new NpgsqlCommand("ANALYZE findings", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TwentyThousandFindings_StreamWithBoundedMemory()
    {
        int expected;
        await using (var db = await ContextAsync())
        {
            expected = await db.Findings.CountAsync(f => f.Status == FindingStatus.Open);
        }
        await using var scope = Portal.Services.CreateAsyncScope();
        var exports = scope.ServiceProvider.GetRequiredService<OscalPoamExport>();
        var poam = (await exports.ScopeAsync(Auditor, new OscalPoamRequest()))!;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var sink = new ExportMemoryTests.SamplingSink(baseline);

        var result = await exports.WriteAsync(Auditor, poam, sink);

        output.WriteLine($"{result.Rows:N0} findings, {sink.Written:N0} bytes, live managed memory high-water {sink.HighWater / 1e6:N1} MB above " +
                         $"the baseline ({sink.Samples} samples)");
        Assert.Equal(expected, result.Rows);
        Assert.True(expected > Clones);
        Assert.Equal(sink.Written, result.Bytes);
        Assert.True(sink.Samples >= 20, "Memory was sampled while the document was being written.");
        // The document is ~10 kB per finding; holding the findings (or the document) would take far more than one batch.
        Assert.True(sink.HighWater < sink.Written / 4, $"High-water {sink.HighWater:N0} bytes is not far below the document's {sink.Written:N0} bytes.");
        Assert.True(sink.HighWater < 48_000_000, $"High-water {sink.HighWater:N0} bytes.");
    }
}
