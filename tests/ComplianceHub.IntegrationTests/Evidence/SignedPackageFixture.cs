using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>
/// One real signed package for a test class: the demo installation seeded and changed yesterday (the range), chain
/// checkpoints signed with the portal's key through it — the last on the range's last event — more events today, one more
/// checkpoint after the range; then the package of yesterday built by the production builder. Built once per class.
/// </summary>
public sealed class SignedPackageFixture : IAsyncLifetime
{
    private static readonly Actor Officer = new(Guid.NewGuid(), "Casey Officer", Roles.ContractingOfficer, null, null);
    private static readonly Actor Auditor = new(Guid.NewGuid(), "Jordan Auditor", Roles.Auditor, null, null);

    private FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow().AddDays(-1));
    private TestDatabase database = null!;
    private PortalFactory portal = null!;

    /// <summary>The package's bytes.</summary>
    public byte[] Zip { get; private set; } = [];

    /// <summary>Its files, unpacked.</summary>
    public IReadOnlyList<(string Name, byte[] Bytes)> Entries { get; private set; } = [];

    /// <summary>The sequence of each line of audit-events.jsonl.</summary>
    public IReadOnlyList<long> Sequences { get; private set; } = [];

    /// <summary>The checkpoints the database held for the range's events, and the one after it.</summary>
    public IReadOnlyList<long> Checkpoints { get; private set; } = [];

    public long CheckpointAfterRange { get; private set; }

    public EvidenceRange Range { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("evsig");
        portal = new PortalFactory(database, Clock);
        await portal.SeedDemoAsync();
        var yesterday = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        Range = new EvidenceRange(yesterday, yesterday);

        // More history in the range: people move between offices, each move an audited fact change.
        List<Guid> people;
        await using (var db = await ContextAsync())
        {
            people = await db.People.OrderBy(p => p.Id).Select(p => p.Id).Take(12).ToListAsync();
        }
        foreach (var (person, i) in people.Select((p, i) => (p, i)))
        {
            Clock.Advance(TimeSpan.FromSeconds(30));
            var moved = await SendAsync(new ChangePersonFacts(person, "US", i % 2 == 0 ? "Arlington" : "Reston"));
            Assert.True(moved.IsOk, moved.Message);
        }

        // Checkpoints as the signer takes them: every so many events and at the head, signed with the portal's key.
        var last = await HeadAsync();
        var every = Math.Max(1, last / 6);
        var sequences = Enumerable.Range(1, 5).Select(n => n * every).Where(s => s < last).Append(last).ToList();
        foreach (var sequence in sequences)
        {
            await CheckpointAsync(sequence);
        }

        // Today, after the range: more events and a checkpoint that the package carries as the first after its range.
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await SendAsync(new ChangePersonFacts(people[0], "US", "Reston"))).IsOk);
        CheckpointAfterRange = await HeadAsync();
        await CheckpointAsync(CheckpointAfterRange);
        Checkpoints = sequences;

        using var output = new MemoryStream();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EvidencePackageBuilder>().BuildAsync(Auditor, Range, output);
        }
        Zip = output.ToArray();
        Entries = EvidenceZip.Read(Zip);
        Sequences = EvidenceZip.Text(Zip, EvidencePackage.AuditEvents).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (long)JsonNode.Parse(l)!["sequence"]!).ToList();
        Assert.Equal(last, Sequences[^1]);
    }

    private async Task<ComplianceDbContext> ContextAsync() =>
        await portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();

    private async Task<Outcome<T>> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(Officer, command);
    }

    private async Task<long> HeadAsync()
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.MaxAsync(e => e.Sequence);
    }

    /// <summary>Signs event <paramref name="sequence"/>'s hash and stores the checkpoint as the application role, as the signer does.</summary>
    private async Task CheckpointAsync(long sequence)
    {
        await using var db = await ContextAsync();
        var hash = await db.AuditEvents.Where(e => e.Sequence == sequence).Select(e => e.Hash).SingleAsync();
        db.ChainCheckpoints.Add(ChainCheckpoint.Sign(PortalFactory.TestKeys.SigningKey, sequence, hash, Clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await database.DisposeAsync();
    }
}
