using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>Starting a campaign: exactly the in-scope current grants frozen, digest, recommendations with reasons, routing, dry run.</summary>
public sealed class CampaignStartTests() : EngineReviewTest("arstart")
{
    private Guid alice;   // Acme, US, IL2 non-privileged (Casey) and IL4 privileged (Casey)
    private Guid bob;     // Acme, US, escorted on IL2, a session signed off today
    private Guid carol;   // Acme, US, attestation overdue
    private Guid dieter;  // Acme, German since the grant: suspended by ESCORT-REQUIRED, an open finding
    private Guid gina;    // Globex, US, IL4 DLA requested by its only responsible officer
    private Guid ron;     // Acme, US, IL2 requested by Acme's only representative
    private Guid escort;
    private readonly Dictionary<string, Guid> grants = [];

    protected override async Task ArrangeReviewAsync()
    {
        alice = await AddPersonAsync("US", name: "Alice Able", email: "alice@acme.example");
        bob = await AddPersonAsync("US", name: "Bob Baker", email: "bob@acme.example");
        carol = await AddPersonAsync("US", name: "Carol Clark", email: "carol@acme.example");
        dieter = await AddPersonAsync("US", name: "Dieter Dahl", email: "dieter@acme.example");
        gina = await AddPersonAsync("US", name: "Gina Gold", email: "gina@globex.example", vendorId: DemoSeeder.GlobexId);
        ron = await AddPersonAsync("US", name: "Ron Rep-Requested", email: "ron@acme.example");
        escort = await AddPersonAsync("US", name: "Eve Escort", email: "eve@acme.example", qualification: EscortQualification.Engineer);

        grants["alice-il2"] = await ActiveGrantAsync(Casey, alice, Il2);
        grants["alice-il4"] = await ActiveGrantAsync(Casey, alice, AcmeIl4, AccessType.Privileged);
        grants["bob-escorted"] = await ActiveGrantAsync(Casey, bob, Il2, escorted: true);
        grants["carol"] = await ActiveGrantAsync(Casey, carol, Il2);
        grants["dieter"] = await ActiveGrantAsync(Casey, dieter, Il2);
        grants["gina"] = await ActiveGrantAsync(GlobexDlaOfficer, gina, GlobexIl4);
        grants["ron"] = await ActiveGrantAsync(AcmeRiley, ron, Il2);

        var assignment = await SendAsync(Casey, new AssignEscort(escort, bob, Il2, Today.AddDays(-20), Today.AddDays(60)));
        Assert.True(assignment.IsOk, assignment.Message);
        var session = await SendAsync(Casey, new RecordEscortedSession(assignment.Value!.Id, Clock.GetUtcNow().AddHours(-3), Clock.GetUtcNow().AddHours(-1),
            "CHG-1", "Patching"));
        Assert.True(session.IsOk, session.Message);
        Assert.True((await SendAsync(Casey, new SignOffEscortedSession(session.Value!.Id))).IsOk);

        await ChangePersonAsync(carol, p => p.WithAttestation(Today.AddDays(-400)));
        await ChangePersonAsync(dieter, p => p.SetNationality(["DE"], "DE", false));
    }

    [Fact]
    public async Task Start_FreezesEveryCurrentGrantInScope_WithTheDigest_AndALaterGrantIsNotInIt()
    {
        var definition = await DefineAsync(Casey, "Everything", Scope());

        var outcome = await SendAsync(Casey, new StartAccessReviewCampaign(definition));

        Assert.True(outcome.IsOk, outcome.Message);
        var campaign = outcome.Value!;
        var items = await ItemsAsync(campaign.Id);
        Assert.Equal(grants.Values.Order(), items.Select(i => i.GrantId).Order());
        Assert.Equal(7, campaign.ItemCount);
        Assert.Equal(7, campaign.PendingCount);
        Assert.Equal(CampaignStatus.Open, campaign.Status);
        Assert.Equal(Clock.GetUtcNow().AddDays(30), campaign.Deadline, TimeSpan.FromMilliseconds(1));
        Assert.Equal("Casey Officer", campaign.StartedByName);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Concat(items.OrderBy(i => i.Id).Select(i => $"{i.Id}:{i.GrantId}\n")))));
        Assert.Equal(expected, campaign.ItemsDigest);
        var dieters = Assert.Single(items, i => i.PersonId == dieter);
        Assert.True(dieters.ForeignNational);
        Assert.True(Assert.Single(items, i => i.PersonId == bob).Escorted);
        Assert.Equal(AcmeContract, Assert.Single(items, i => i.GrantId == grants["alice-il2"]).ContractId);

        await ActiveGrantAsync(Casey, alice, AcmeIl5);
        Assert.Equal(7, (await ItemsAsync(campaign.Id)).Count);
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-campaign' AND subject_id = '{campaign.Id}'"));
        Assert.Equal(7L, await CountAsync($"SELECT count(*) FROM audit_events e JOIN access_review_items i ON e.subject_id = i.id::text WHERE e.subject_type = 'access-review-item' AND e.event_type = 4600 AND i.campaign_id = '{campaign.Id}'"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Theory]
    [InlineData("vendor")]
    [InlineData("contract")]
    [InlineData("system")]
    [InlineData("impact")]
    [InlineData("access")]
    [InlineData("foreign")]
    [InlineData("escorted")]
    [InlineData("failing")]
    public async Task EachFilter_NarrowsTheItems(string filter)
    {
        var (scope, expected) = filter switch
        {
            "vendor" => (Scope(vendors: [DemoSeeder.GlobexId]), new[] { "gina" }),
            "contract" => (Scope(contracts: [AcmeContract]), new[] { "alice-il2", "alice-il4", "bob-escorted", "carol", "dieter", "ron" }),
            "system" => (Scope(systems: [AcmeIl4]), new[] { "alice-il4" }),
            "impact" => (Scope() with { ImpactLevels = [ImpactLevel.IL4] }, new[] { "alice-il4", "gina" }),
            "access" => (Scope() with { AccessTypes = [AccessType.Privileged] }, new[] { "alice-il4" }),
            "foreign" => (Scope() with { OnlyForeignNationals = true }, new[] { "dieter" }),
            "escorted" => (Scope() with { OnlyEscorted = true }, new[] { "bob-escorted" }),
            _ => (Scope() with { OnlyFailingRules = true }, new[] { "carol", "dieter" }),
        };
        var definition = await DefineAsync(Casey, $"Filter {filter}", scope);

        var dry = await SendAsync(Casey, new StartAccessReviewCampaign(definition, DryRun: true));
        Assert.True(dry.IsOk, dry.Message);
        Assert.True(dry.Value!.Preview);
        Assert.Equal(expected.Length, dry.Value.ItemCount);

        var outcome = await SendAsync(Casey, new StartAccessReviewCampaign(definition));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal(expected.Select(e => grants[e]).Order(), (await ItemsAsync(outcome.Value!.Id)).Select(i => i.GrantId).Order());
    }

    [Fact]
    public async Task Recommendations_SayWhy()
    {
        var campaign = (await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, "Why", Scope())))).Value!;
        var items = (await ItemsAsync(campaign.Id)).ToDictionary(i => i.GrantId);

        var dieters = items[grants["dieter"]];
        Assert.Equal(AccessReviewRecommendation.Revoke, dieters.Recommendation);
        Assert.Contains("Fails ESCORT-REQUIRED: Non-US person without an escort covering the grant", dieters.RecommendationReason, StringComparison.Ordinal);
        var carols = items[grants["carol"]];
        Assert.Equal(AccessReviewRecommendation.Revoke, carols.Recommendation);
        Assert.Contains("Location attestation overdue", carols.RecommendationReason, StringComparison.Ordinal);
        var bobs = items[grants["bob-escorted"]];
        Assert.Equal(AccessReviewRecommendation.Keep, bobs.Recommendation);
        Assert.StartsWith("Nothing against it: no open finding, attestation current, escorted session on ", bobs.RecommendationReason, StringComparison.Ordinal);
        var alices = items[grants["alice-il2"]];
        Assert.Equal(AccessReviewRecommendation.Keep, alices.Recommendation);
        Assert.Equal("Nothing against it: no open finding, attestation current", alices.RecommendationReason);

        // 91 days on, Bob's last session is too old (and every attestation of the class is overdue).
        Clock.Advance(TimeSpan.FromDays(91));
        var later = (await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, "Later", Scope(systems: [Il2]) with { OnlyEscorted = true })))).Value!;
        var bobLater = Assert.Single(await ItemsAsync(later.Id));
        Assert.Equal(AccessReviewRecommendation.Revoke, bobLater.Recommendation);
        Assert.Contains("No escorted session in 90 days", bobLater.RecommendationReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routing_StageOneGoesToTheVendorsOtherRepresentatives_AndStageTwoNeverToTheRequester()
    {
        var withReps = (await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, "Two stages", Scope())))).Value!;
        var items = (await ItemsAsync(withReps.Id)).ToDictionary(i => i.GrantId);

        // An officer's request: stage one, Acme's representative.
        var alices = items[grants["alice-il2"]];
        Assert.Equal(1, alices.Stage);
        Assert.Equal([AcmeRiley.UserId], alices.ReviewerIds);
        // Requested by Acme's only representative: straight to stage two, with the note, the contract's officers.
        var rons = items[grants["ron"]];
        Assert.Equal(2, rons.Stage);
        Assert.Equal(ReviewerRouting.NoOtherRepresentative, rons.Note);
        Assert.Equal(AcmeOfficers.Order(), rons.ReviewerIds.Order());
        // Globex's representative confirms Gina's in stage one.
        Assert.Equal([GlobexTaylor.UserId], items[grants["gina"]].ReviewerIds);

        var officersOnly = (await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, "Officers only", Scope(), representativeStage: false)))).Value!;
        var second = (await ItemsAsync(officersOnly.Id)).ToDictionary(i => i.GrantId);
        // Casey requested Alice's grant: the contract's other officers decide.
        Assert.Equal(AcmeOfficers.Where(o => o != Casey.UserId).Order(), second[grants["alice-il2"]].ReviewerIds.Order());
        Assert.DoesNotContain(Casey.UserId, second[grants["alice-il2"]].ReviewerIds);
        // Gina's grant was requested by the DLA contract's only responsible officer: the fallback (Morgan, or another when Morgan requested it).
        var ginas = second[grants["gina"]];
        Assert.Equal(2, ginas.Stage);
        Assert.DoesNotContain(GlobexDlaOfficer.UserId, ginas.ReviewerIds);
        Assert.StartsWith("The contract's only responsible officer requested the grant", ginas.Note, StringComparison.Ordinal);
        if (GlobexDlaOfficer.UserId != Morgan.UserId)
        {
            Assert.Equal([Morgan.UserId], ginas.ReviewerIds);
        }
    }

    [Fact]
    public async Task ADryRun_CountsAndWritesNothing_AndAnEmptyScopeIsAConflict()
    {
        var definition = await DefineAsync(Casey, "Dry", Scope());
        var events = await CountAsync("SELECT count(*) FROM audit_events");

        var dry = await SendAsync(Casey, new StartAccessReviewCampaign(definition, DryRun: true));

        Assert.True(dry.IsOk, dry.Message);
        Assert.True(dry.Value!.Preview);
        Assert.Equal(7, dry.Value.ItemCount);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM access_review_campaigns"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM access_review_items"));
        Assert.Equal(events, await CountAsync("SELECT count(*) FROM audit_events"));

        var empty = await SendAsync(Casey, new StartAccessReviewCampaign(await DefineAsync(Casey, "Empty", Scope(systems: [Il5]))));
        Assert.Equal(OutcomeKind.Conflict, empty.Kind);
        Assert.StartsWith("No current grant is in the review's scope", empty.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM access_review_campaigns"));
    }

    [Fact]
    public async Task AnOfficeOfficer_FreezesOnlyTheOfficesVendors()
    {
        var definition = await DefineAsync(Drew, "NAVWAR everything", Scope());

        var outcome = await SendAsync(Drew, new StartAccessReviewCampaign(definition));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal([grants["gina"]], (await ItemsAsync(outcome.Value!.Id)).Select(i => i.GrantId));
    }
}

/// <summary>
/// What the access review engine's tests share: the demo's real accounts as actors (routing reads accounts, roles and
/// contracts), active grants made through the pipeline, definitions, and the stored items.
/// </summary>
public abstract class EngineReviewTest(string prefix) : CommandPortalTest(prefix)
{
    protected static readonly Guid AcmeIl4 = Guid.Parse("0199a000-0000-7000-8000-000000005401");
    protected static readonly Guid AcmeIl5 = Guid.Parse("0199a000-0000-7000-8000-000000005502");
    protected static readonly Guid GlobexIl4 = Guid.Parse("0199a000-0000-7000-8000-000000005402");
    protected static readonly Guid AcmeContract = Guid.Parse("0199a000-0000-7000-8000-00000000c001");
    protected static readonly Guid GlobexDlaContract = Guid.Parse("0199a000-0000-7000-8000-00000000c002");

    protected Actor Casey { get; private set; } = null!;
    protected Actor Morgan { get; private set; } = null!;
    protected Actor Drew { get; private set; } = null!;
    protected Actor AcmeRiley { get; private set; } = null!;
    protected Actor GlobexTaylor { get; private set; } = null!;

    /// <summary>The DLA contract's only responsible officer (the first officer account by id).</summary>
    protected Actor GlobexDlaOfficer { get; private set; } = null!;

    /// <summary>The Acme contract's responsible officers (every officer account).</summary>
    protected IReadOnlyList<Guid> AcmeOfficers { get; private set; } = [];

    protected sealed override async Task ArrangePeopleAsync()
    {
        await using (var db = await ContextAsync())
        {
            var ids = await db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id);
            Casey = new Actor(ids["co1@demo.local"], "Casey Officer", Roles.ContractingOfficer, null, null);
            Morgan = new Actor(ids["co2@demo.local"], "Morgan Officer", Roles.ContractingOfficer, null, null);
            Drew = new Actor(ids["co3@demo.local"], "Drew Officer", Roles.ContractingOfficer, null, null)
            {
                OfficeId = DemoSeeder.NavwarId,
                OfficeName = "NAVWAR",
                OfficeVendorIds = [DemoSeeder.GlobexId],
            };
            AcmeRiley = new Actor(ids["rep@acme.demo.local"], "Riley Acme", Roles.VendorRepresentative, DemoSeeder.AcmeId, "Acme Cloud Services");
            GlobexTaylor = new Actor(ids["rep@globex.demo.local"], "Taylor Globex", Roles.VendorRepresentative, DemoSeeder.GlobexId, "Globex Federal");
            var dla = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == GlobexDlaContract);
            var officer = Assert.Single(dla.ResponsibleOfficerIds);
            GlobexDlaOfficer = new[] { Casey, Morgan, Drew with { OfficeId = null, OfficeVendorIds = null } }.Single(a => a.UserId == officer);
            AcmeOfficers = (await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == AcmeContract)).ResponsibleOfficerIds;
        }
        await ArrangeReviewAsync();
    }

    /// <summary>Creates what the class's tests review.</summary>
    protected abstract Task ArrangeReviewAsync();

    /// <summary>An active grant through the pipeline: requested by <paramref name="requester"/>, approved by another officer when it waits for one.</summary>
    protected async Task<Guid> ActiveGrantAsync(Actor requester, Guid person, Guid system, AccessType access = AccessType.NonPrivileged, bool escorted = false)
    {
        var requested = await SendAsync(requester, new RequestGrant(person, system, access, escorted, Today, Today.AddDays(365), "Access review test"));
        Assert.True(requested.IsOk, requested.Message);
        if (requested.Value!.Status == GrantStatus.PendingApproval)
        {
            var approver = new[] { Casey, Morgan }.First(o => o.UserId != requester.UserId);
            var approved = await SendAsync(approver, new ApproveGrant(requested.Value.Id));
            Assert.True(approved.IsOk, approved.Message);
            Assert.Equal(GrantStatus.Active, approved.Value!.Status);
        }
        return requested.Value.Id;
    }

    /// <summary>Changes a person's facts through the gate, as the server operator.</summary>
    protected async Task ChangePersonAsync(Guid personId, Action<Person> change)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.change-person");
        change(await db.People.SingleAsync(p => p.Id == personId));
        await db.SaveChangesAsync();
    }

    protected static AccessReviewScope Scope(IReadOnlyList<Guid>? vendors = null, IReadOnlyList<Guid>? contracts = null, IReadOnlyList<Guid>? systems = null) =>
        new() { VendorIds = vendors ?? [], ContractIds = contracts ?? [], SystemIds = systems ?? [] };

    /// <summary>A definition's command with the defaults: two stages, Morgan the fallback, 30 days, reminders 7 and 1 days before, escalate.</summary>
    protected SaveAccessReviewDefinition Definition(string name, AccessReviewScope scope, bool representativeStage = true) =>
        new(null, name, scope, representativeStage, Morgan.UserId, 30, [7, 1], DeadlineAction.Escalate, 7, CommentRule.WhenSensitive, Recurrence.None, null);

    protected async Task<Guid> DefineAsync(Actor officer, string name, AccessReviewScope scope, bool representativeStage = true,
        Func<SaveAccessReviewDefinition, SaveAccessReviewDefinition>? adjust = null)
    {
        var command = Definition(name, scope, representativeStage);
        var outcome = await SendAsync(officer, adjust is null ? command : adjust(command));
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!.Id;
    }

    protected async Task<List<AccessReviewItem>> ItemsAsync(Guid campaignId)
    {
        await using var db = await ContextAsync();
        return await db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaignId).OrderBy(i => i.Id).ToListAsync();
    }

    protected async Task<AccessReviewCampaign> CampaignAsync(Guid campaignId)
    {
        await using var db = await ContextAsync();
        return await db.AccessReviewCampaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId);
    }

    protected async Task<long> CountAsync(string sql) => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, sql))!;
}
