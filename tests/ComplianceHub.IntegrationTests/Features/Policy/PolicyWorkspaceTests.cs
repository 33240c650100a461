using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Policy;

/// <summary>The policy page's model: editing a draft (the editor becomes its author), the history with names, the impact with names.</summary>
public sealed class PolicyWorkspaceTests() : CommandPortalTest("policy-ws")
{
    private Actor casey = null!;
    private Actor morgan = null!;
    private Guid venezuelan;

    protected override async Task ArrangePeopleAsync()
    {
        (casey, morgan) = await DemoOfficersAsync();
        venezuelan = await AddPersonAsync("US,VE", birth: "US");
        Assert.True((await SendAsync(Co1, new RequestGrant(venezuelan, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Monitoring"))).IsOk);
    }

    private static PolicyParameters WithCovered(params string[] codes) => PolicyDefaults.Baseline2026 with
    {
        CountrySets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
        {
            [PolicyParameters.Covered] = codes.ToHashSet(),
        },
    };

    private async Task<T> QueryAsync<T>(Func<PolicyWorkspaceQuery, Task<T>> read)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PolicyWorkspaceQuery>());
    }

    [Fact]
    public async Task EditingADraft_MakesTheEditorItsAuthor_SoTheEditorCannotActivateIt()
    {
        var draft = (await SendAsync(casey, new DraftPolicyVersion("Venezuela covered", PolicyDefaults.Baseline2026))).Value!;

        var revised = await SendAsync(morgan, new RevisePolicyDraft(draft.Id, "Venezuela covered (VE added)", WithCovered("CN", "HK", "MO", "RU", "IR", "KP", "VE")));

        Assert.True(revised.IsOk, revised.Message);
        Assert.Equal(morgan.UserId, revised.Value!.DraftedBy);
        Assert.Contains("VE", revised.Value.Parameters.Set(PolicyParameters.Covered));
        Assert.Equal(2, revised.Value.Number); // edited in place, not a new version
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(morgan, new ActivatePolicyVersion(draft.Id))).Kind);
        var activated = await SendAsync(casey, new ActivatePolicyVersion(draft.Id));
        Assert.True(activated.IsOk, activated.Message);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(morgan, new RevisePolicyDraft(draft.Id, "Too late", PolicyDefaults.Baseline2026))).Kind);

        var history = await QueryAsync(q => q.HistoryAsync());
        Assert.Equal([2, 1], history.Select(h => h.Number));
        Assert.Equal(("Morgan Officer", "Casey Officer", PolicyStatus.Active), (history[0].DraftedByName, history[0].ActivatedByName, history[0].Status));
        Assert.Equal(("Seeded with the installation", PolicyStatus.Retired), (history[1].DraftedByName, history[1].Status));
        Assert.NotNull(history[1].RetiredAt);
        var audited = await SingleEventAsync(e => e.SubjectId == draft.Id.ToString() && e.Operation == "revise-policy-draft");
        Assert.Contains("VE", audited.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidEdit_NamesTheCountrySetItConcerns_AndChangesNothing()
    {
        var draft = (await SendAsync(casey, new DraftPolicyVersion("Draft", PolicyDefaults.Baseline2026))).Value!;

        var unknown = await SendAsync(morgan, new RevisePolicyDraft(draft.Id, "Broken", WithCovered("CN", "XX")));
        var empty = await SendAsync(morgan, new RevisePolicyDraft(draft.Id, "", WithCovered()));

        Assert.Equal(OutcomeKind.Invalid, unknown.Kind);
        Assert.Contains("XX", Assert.Single(unknown.Errors!, e => e.Key.EndsWith("CountrySets[COVERED]", StringComparison.Ordinal)).Value.Single(), StringComparison.Ordinal);
        Assert.Contains(empty.Errors!, e => e.Key.EndsWith("CountrySets[COVERED]", StringComparison.Ordinal) && e.Value.Any(m => m.Contains("cannot be empty", StringComparison.Ordinal)));
        Assert.Contains("Name", empty.Errors!.Keys);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new RevisePolicyDraft(draft.Id, "Read-only", PolicyDefaults.Baseline2026))).Kind);
        await using var db = await ContextAsync();
        var stored = await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == draft.Id);
        Assert.Equal(("Draft", casey.UserId), (stored.Name, stored.DraftedBy));
    }

    [Fact]
    public async Task TheImpact_NamesThePeopleVendorsAndSystems_AndCountsTheFindingsToOpen()
    {
        var stricter = PolicyDefaults.Baseline2026 with
        {
            Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-CONCERN"] = new(true, Severity.Block) },
        };
        var draft = (await SendAsync(casey, new DraftPolicyVersion("CIT-CONCERN blocks", stricter))).Value!;

        var report = await QueryAsync(q => q.ImpactAsync(morgan, draft.Id));

        var row = Assert.Single(report!.NewlyViolating, g => g.PersonId == venezuelan);
        Assert.Equal(("Test Person", "Acme Cloud Services", "milCloud Public Portal"), (row.PersonName, row.VendorName, row.SystemName));
        Assert.Equal(["CIT-CONCERN"], row.RuleIds);
        var acme = Assert.Single(report.ByVendor, v => v.VendorId == DemoSeeder.AcmeId);
        Assert.Equal(("Acme Cloud Services", 1, 1, 0), (acme.VendorName, acme.NewlyViolating, acme.FindingsToOpen, acme.Cured));
        Assert.Null(await QueryAsync(q => q.ImpactAsync(morgan, Guid.NewGuid())));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => QueryAsync(q => q.ImpactAsync(Auditor, draft.Id)));
    }

    [Fact]
    public async Task ADraftChangedAfterTheSecondOfficerOpenedIt_IsNotActivated_NorOverwritten()
    {
        var draft = (await SendAsync(casey, new DraftPolicyVersion("Add Belarus", WithCovered("CN", "RU", "IR", "KP", "BY")))).Value!;
        Assert.NotEqual("0", draft.Version); // the token the save produced, not a placeholder

        // Morgan opens the draft (reads its version); Casey then revises it.
        var seenByMorgan = draft.Version;
        var revised = await SendAsync(casey, new RevisePolicyDraft(draft.Id, "Add Belarus and Cuba", WithCovered("CN", "RU", "IR", "KP", "BY", "CU"), draft.Version));
        Assert.True(revised.IsOk, revised.Message);
        Assert.NotEqual(seenByMorgan, revised.Value!.Version);

        // Morgan's activation of what Morgan reviewed is refused: the content changed since.
        var activation = await SendAsync(morgan, new ActivatePolicyVersion(draft.Id, seenByMorgan));
        Assert.Equal(OutcomeKind.Conflict, activation.Kind);
        Assert.Contains("changed after you opened it", activation.Message, StringComparison.Ordinal);
        // A stale edit is refused as well, rather than silently overwriting.
        var staleEdit = await SendAsync(casey, new RevisePolicyDraft(draft.Id, "Stale", WithCovered("CN"), seenByMorgan));
        Assert.Equal(OutcomeKind.Conflict, staleEdit.Kind);

        await using (var db = await ContextAsync())
        {
            var stored = await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == draft.Id);
            Assert.Equal(PolicyStatus.Draft, stored.Status);
            Assert.Equal("Add Belarus and Cuba", stored.Name);
        }

        // With the current version, the other officer activates exactly what they reviewed.
        var activated = await SendAsync(morgan, new ActivatePolicyVersion(draft.Id, revised.Value.Version));
        Assert.True(activated.IsOk, activated.Message);
        Assert.Contains("CU", activated.Value!.Version.Parameters.Set(PolicyParameters.Covered));
    }
}
