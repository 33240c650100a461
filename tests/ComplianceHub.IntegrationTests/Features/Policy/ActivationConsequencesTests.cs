using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.Policy;

/// <summary>
/// The policy page's "see the findings it opened" and "see the people whose grants it suspended" (ActivationConsequences): the
/// findings filter <c>openedByPolicy</c> and the roster filter <c>suspendedByPolicy</c> select exactly what the activation's
/// re-evaluation did — over several batches — and nothing an ordinary change did, before the activation or after it under the
/// same version. Three US/IN dual nationals hold IL2 grants; the draft adds IN to the covered nations.
/// </summary>
public sealed class ActivationConsequencesTests() : CommandPortalTest("actcons")
{
    private readonly List<Guid> duals = [];
    private Guid movedBefore;
    private Guid movedAfter;
    private Guid draft;

    protected override async Task ArrangePeopleAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            duals.Add(await GrantedAsync(await AddPersonAsync("US,IN", name: $"Dual National {i}")));
        }
        movedBefore = await GrantedAsync(await AddPersonAsync("US", name: "Moved Before"));
        movedAfter = await GrantedAsync(await AddPersonAsync("US", name: "Moved After"));
        var drafted = await SendAsync(Co1, new DraftPolicyVersion("IN is covered", Tests.Shared.PolicyDrafts.BaselineCovering("IN")));
        Assert.True(drafted.IsOk, drafted.Message);
        draft = drafted.Value!.Id;
    }

    private async Task<Guid> GrantedAsync(Guid person)
    {
        var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Operations"));
        Assert.True(grant.IsOk, grant.Message);
        Assert.Equal(GrantStatus.Active, grant.Value!.Status);
        return person;
    }

    /// <summary>An ordinary change: the person moves to China; their grant is suspended and a LOC-COVERED finding opens.</summary>
    private async Task<IReadOnlyList<Guid>> MoveToChinaAsync(Guid person)
    {
        var moved = await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen"));
        Assert.True(moved.IsOk, moved.Message);
        Assert.NotEmpty(moved.Value!.Consequences.SuspendedGrants);
        Assert.NotEmpty(moved.Value.Consequences.FindingsOpened);
        return moved.Value.Consequences.FindingsOpened;
    }

    /// <summary>Activates the draft as the second officer and drives its run to the end two grants at a time (several batches).</summary>
    private async Task<ReevaluationProgress> ActivateAsync()
    {
        var activated = await SendOnlyAsync(Co2, new ActivatePolicyVersion(draft));
        Assert.True(activated.IsOk, activated.Message);
        var runner = new ReevaluationRunner(Portal.Services.GetRequiredService<IServiceScopeFactory>(),
            Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>(), 2, NullLogger<ReevaluationRunner>.Instance);
        var done = await runner.DriveAsync(activated.Value!.Run!.Id);
        Assert.True(done!.Run.Finished);
        Assert.True(done.Run.Batches >= 2, $"The run took {done.Run.Batches} batch(es).");
        return done;
    }

    private async Task<List<FindingRow>> FindingsAsync(FindingsWorkspaceFilter filter, Core.Authorization.Actor? actor = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FindingsWorkspaceQuery>().ListAsync(actor ?? Co1, filter, new PageRequest(1, 100))).Items.ToList();
    }

    private async Task<List<Guid>> RosterAsync(RosterFilter filter)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<RosterQuery>().ListAsync(Co1, filter, new PageRequest(1, 100))).Items.Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task TheFindingsFilter_ListsExactlyTheFindingsTheActivationsReevaluationOpened()
    {
        var before = await MoveToChinaAsync(movedBefore);
        var done = await ActivateAsync();
        var after = await MoveToChinaAsync(movedAfter);
        var version = done.Run.PolicyNumber;

        var listed = await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version });

        Assert.NotEmpty(done.Consequences.FindingsOpened);
        Assert.Equal(done.Run.FindingsOpened, done.Consequences.FindingsOpened.Count);
        Assert.Equal(done.Consequences.FindingsOpened.Order(), listed.Select(f => f.Id).Order());
        Assert.All(listed, f => Assert.Contains(f.PersonId, duals));
        // The finding the later move opened is under the same version, and still not the activation's.
        Assert.All(await FindingsAsync(new FindingsWorkspaceFilter { PersonId = movedAfter }), f => Assert.Equal(version, f.PolicyVersion));
        Assert.DoesNotContain(listed, f => after.Contains(f.Id) || before.Contains(f.Id));
        // It combines with the other filters, and a vendor representative sees only their own vendor's (all are Acme's here).
        Assert.Equal(listed.Count, (await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version, Open = true })).Count);
        Assert.Empty(await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version, PersonId = movedAfter }));
        Assert.Empty(await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version }, GlobexRep));
        Assert.Equal(listed.Count, (await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version }, AcmeRep)).Count);
        // A version no activation re-evaluated (the baseline, or one that does not exist) lists nothing, and fails nothing.
        Assert.Empty(await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = version - 1 }));
        Assert.Empty(await FindingsAsync(new FindingsWorkspaceFilter { OpenedByPolicy = 999 }));
    }

    [Fact]
    public async Task TheRosterFilter_ListsExactlyThePeopleWhoseGrantsTheActivationsReevaluationSuspended()
    {
        await MoveToChinaAsync(movedBefore);
        var done = await ActivateAsync();
        await MoveToChinaAsync(movedAfter);
        var version = done.Run.PolicyNumber;

        var listed = await RosterAsync(new RosterFilter { SuspendedByPolicy = version });

        Assert.Equal(3, done.Run.Suspended);
        Assert.Equal(duals.Order(), listed.Order());
        // Both moved people hold a suspended grant too, which the general filter lists and this one does not.
        var suspended = await RosterAsync(new RosterFilter { GrantStatus = GrantStatus.Suspended });
        Assert.Contains(movedBefore, suspended);
        Assert.Contains(movedAfter, suspended);
        Assert.Equal([duals[0]], await RosterAsync(new RosterFilter { SuspendedByPolicy = version, Search = "Dual National 0" }));
        Assert.Empty(await RosterAsync(new RosterFilter { SuspendedByPolicy = 999 }));
    }
}
