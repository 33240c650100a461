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

/// <summary>A stricter policy is drafted, its impact previewed, and activated by a second officer with its consequences.</summary>
public sealed class PolicyActivationTests() : CommandPortalTest("policy")
{
    private Guid dualVenezuelan;
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        dualVenezuelan = await AddPersonAsync("US,VE", birth: "US");
        var requested = await SendAsync(Co1, new RequestGrant(dualVenezuelan, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Monitoring"));
        Assert.Equal(GrantStatus.Active, requested.Value!.Status); // CIT-CONCERN only warns under version 1
        grant = requested.Value.Id;
    }

    private static PolicyParameters Stricter() => PolicyDefaults.Baseline2026 with
    {
        Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-CONCERN"] = new(true, Severity.Block) },
    };

    [Fact]
    public async Task ADraft_IsPreviewed_ThenActivatedByASecondOfficer_AndSuspendsWhatItNowRefuses()
    {
        var draft = await SendAsync(Co1, new DraftPolicyVersion("CIT-CONCERN blocks", Stricter()));
        Assert.True(draft.IsOk, draft.Message);
        Assert.Equal(2, draft.Value!.Number);
        Assert.Equal(PolicyStatus.Draft, draft.Value.Status);

        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var impact = await scope.ServiceProvider.GetRequiredService<PolicyImpactQuery>().PreviewAsync(Co1, draft.Value.Id);
            var newly = Assert.Single(impact!.NewlyViolating);
            Assert.Equal(grant, newly.GrantId);
            Assert.Equal(["CIT-CONCERN"], newly.RuleIds);
            Assert.Equal(new VendorImpact(DemoSeeder.AcmeId, 1, 0), Assert.Single(impact.CountsByVendor));
        }
        await using (var db = await ContextAsync())
        {
            Assert.Equal(GrantStatus.Active, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant)).Status); // preview changed nothing
        }

        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Co1, new ActivatePolicyVersion(draft.Value.Id))).Kind);

        var activated = await SendAsync(Co2, new ActivatePolicyVersion(draft.Value.Id));
        Assert.True(activated.IsOk, activated.Message);
        Assert.Equal([grant], activated.Value!.Consequences.SuspendedGrants);
        Assert.Equal(PolicyStatus.Active, activated.Value.Version.Status);

        await using (var db = await ContextAsync())
        {
            var versions = await db.PolicyVersions.AsNoTracking().OrderBy(v => v.Number).ToListAsync();
            Assert.Equal([PolicyStatus.Retired, PolicyStatus.Active], versions.Select(v => v.Status).ToArray());
            var suspended = await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grant);
            Assert.Equal(GrantStatus.Suspended, suspended.Status);
            Assert.Contains("policy version 2", suspended.StatusReason, StringComparison.Ordinal);
        }

        var refused = await SendAsync(Co1, new RequestGrant(dualVenezuelan, Il2, AccessType.Data, false, Today, Today.AddDays(30), "Reports"));
        Assert.Equal(OutcomeKind.Refused, refused.Kind);
        Assert.Equal(2, Assert.Single(refused.Violations!, v => v.RuleId == "CIT-CONCERN").PolicyVersion);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task OnlyDrafts_CanBeActivated()
    {
        await using var db = await ContextAsync();
        var v1 = await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Number == 1);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Co2, new ActivatePolicyVersion(v1.Id))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Co2, new ActivatePolicyVersion(Guid.NewGuid()))).Kind);
    }

    [Fact]
    public async Task AnInvalidDraft_GetsPerFieldErrors_AndWritesNothing()
    {
        var sets = new Dictionary<string, IReadOnlySet<string>>(PolicyDefaults.Baseline2026.CountrySets)
        {
            [PolicyParameters.Covered] = new HashSet<string> { "CN", "XX" },
        };
        var rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["NO-SUCH-RULE"] = new(true, Severity.Warn) };
        var outcome = await SendAsync(Co1, new DraftPolicyVersion("Broken", PolicyDefaults.Baseline2026 with { CountrySets = sets, Rules = rules, EscortMaxSupervised = 0 }));

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains(outcome.Errors!, e => e.Value.Any(m => m.Contains("XX", StringComparison.Ordinal)));
        Assert.Contains(outcome.Errors!, e => e.Value.Any(m => m.Contains("NO-SUCH-RULE", StringComparison.Ordinal)));
        Assert.Contains("Parameters.EscortMaxSupervised", outcome.Errors!.Keys);
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.PolicyVersions.CountAsync());
    }

    [Fact]
    public async Task OnlyOfficers_DraftActivateOrPreview()
    {
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, new DraftPolicyVersion("x", Stricter()))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(AcmeRep, new ActivatePolicyVersion(Guid.NewGuid()))).Kind);
        await using var scope = Portal.Services.CreateAsyncScope();
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            scope.ServiceProvider.GetRequiredService<PolicyImpactQuery>().PreviewAsync(Auditor, Guid.NewGuid()));
    }
}
