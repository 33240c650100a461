using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// What the decision tests share: the demo accounts as actors (real accounts, so that reviewer routing finds them), grants
/// made through the real commands (or, for the tests of many items, added through the gate in one save), and a campaign whose
/// items are frozen as the start freezes them (<see cref="ReviewerRouting.Start"/>) — written directly, so these tests do
/// not depend on the start command.
/// </summary>
public abstract class AccessReviewArrange(string prefix) : CommandPortalTest(prefix)
{
    /// <summary>The Acme contract's IL4 system (the demo contract covers IL2 5201, IL4 5401 and IL5 5502 for Acme).</summary>
    protected static readonly Guid AcmeIl4 = Guid.Parse("0199a000-0000-7000-8000-000000005401");

    protected Actor Casey { get; private set; } = null!;
    protected Actor Morgan { get; private set; } = null!;

    /// <summary>co3, an officer of the NAVWAR office: sees Globex only.</summary>
    protected Actor Drew { get; private set; } = null!;

    protected Actor Riley { get; private set; } = null!;
    protected Actor Taylor { get; private set; } = null!;
    protected Actor Jordan { get; private set; } = null!;
    protected Actor Avery { get; private set; } = null!;

    protected override async Task ArrangeAsync()
    {
        await Portal.SeedDemoAsync();
        await using (var db = await ContextAsync())
        {
            var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Email!, u => u);
            Actor Of(string email, string role)
            {
                var u = users[email];
                return new Actor(u.Id, u.DisplayName, role, u.VendorId, u.VendorId is null ? null : "vendor") { OfficeId = u.OfficeId };
            }
            Casey = Of("co1@demo.local", Roles.ContractingOfficer);
            Morgan = Of("co2@demo.local", Roles.ContractingOfficer);
            Drew = Of("co3@demo.local", Roles.ContractingOfficer) with
            {
                OfficeVendorIds = await db.Contracts.Where(c => c.OfficeId == DemoSeeder.NavwarId).Select(c => c.VendorId).Distinct().ToListAsync(),
            };
            Riley = Of("rep@acme.demo.local", Roles.VendorRepresentative);
            Taylor = Of("rep@globex.demo.local", Roles.VendorRepresentative);
            Jordan = Of("auditor@demo.local", Roles.Auditor);
            Avery = Of("admin@demo.local", Roles.Administrator);
        }
        await ArrangePeopleAsync();
    }

    protected static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.IsOk, $"{outcome.Kind}: {outcome.Message} {string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? [])} "
            + string.Join("; ", outcome.RefusedItems.Select(r => $"{r.Label}: {r.Reason}")));
        return outcome.Value!;
    }

    /// <summary>A grant through the real request, approved by a second officer when the two-person rule holds it.</summary>
    protected async Task<Guid> GrantAsync(Actor requester, Guid person, Guid system, AccessType type = AccessType.NonPrivileged, bool escorted = false,
        int days = 60)
    {
        var grant = Ok(await SendAsync(requester, new RequestGrant(person, system, type, escorted, Today, Today.AddDays(days), "Operations support")));
        if (grant.Status == GrantStatus.PendingApproval)
        {
            var approver = requester.UserId == Morgan.UserId ? Casey : Morgan;
            Ok(await SendAsync(approver, new ApproveGrant(grant.Id)));
        }
        return grant.Id;
    }

    /// <summary>A person who is not a US person (British), escorted on <paramref name="system"/> by a qualified US escort: an escorted grant can be approved.</summary>
    protected async Task<(Guid Person, Guid Grant)> EscortedForeignGrantAsync(Actor requester, Guid system, string name = "Fiona Foreign")
    {
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer, name: "Erin Escort", email: $"escort-{Guid.NewGuid():N}@acme.example");
        var person = await AddPersonAsync("GB", tier: InvestigationTier.T3, name: name, email: $"fn-{Guid.NewGuid():N}@acme.example");
        Ok(await SendAsync(Casey, new AssignEscort(escort, person, system, Today.AddDays(-1), Today.AddDays(90))));
        return (person, await GrantAsync(requester, person, system, AccessType.NonPrivileged, escorted: true, days: 60));
    }

    /// <summary>
    /// <paramref name="count"/> active grants on the IL2 system for <paramref name="people"/> new US people of Acme, requested by
    /// <paramref name="requester"/> (an officer), added through the gate in one save (rules, receipts and audit as always) —
    /// the many-item tests need thousands, which one request each would take minutes to make.
    /// </summary>
    protected async Task<List<Guid>> ManyGrantsAsync(int count, Actor requester, AccessType type = AccessType.NonPrivileged, int people = 50)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.add-grants");
        var persons = Enumerable.Range(0, people).Select(i => new Person(Guid.NewGuid(), DemoSeeder.AcmeId, $"M-{Guid.NewGuid():N}"[..12], $"Many Person {i:D3}",
                $"many{i}-{Guid.NewGuid():N}@acme.example", EmployerType.VendorEmployee, ["US"], "US", false, "US", "Reston")
            .WithVetting(InvestigationTier.T5, Today.AddYears(-1), true, Clearance.Secret, Today.AddMonths(-6))
            .WithAttestation(Today.AddDays(-3))).ToList();
        db.People.AddRange(persons);
        db.FactsEffectiveOn = Today.AddYears(-1);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var personIds = persons.Select(x => x.Id).ToList();
        var tracked = await db.People.Where(p => personIds.Contains(p.Id)).ToListAsync();
        await db.Systems.Where(s => s.Id == Il2).LoadAsync();
        var grants = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            var person = tracked[i % tracked.Count];
            db.KnownEmpty.EscortAssignments.Add((person.Id, Il2));
            var grant = AccessGrant.Request(Guid.CreateVersion7(), person.Id, Il2, type, false, Today, Today.AddDays(90), "Operations support",
                requester.UserId, Clock.GetUtcNow(), needsSecondApprover: false);
            db.Grants.Add(grant);
            grants.Add(grant.Id);
        }
        await db.SaveChangesAsync();
        return grants;
    }

    /// <summary>
    /// A running campaign over <paramref name="grantIds"/>, its items frozen as the start freezes them: who and what from the
    /// grant, reviewers and stage from <see cref="ReviewerRouting.Start"/>, the recommendation "keep".
    /// </summary>
    protected async Task<Guid> CampaignAsync(IReadOnlyCollection<Guid> grantIds, bool representativeStage = true, CommentRule commentRule = CommentRule.WhenSensitive,
        Actor? fallback = null, string? name = null)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Casey, "test.start-access-review-campaign");
        var now = Clock.GetUtcNow();
        var fallbackId = (fallback ?? Casey).UserId;
        name ??= $"Quarterly review {Guid.NewGuid():N}"[..30];
        var definition = new AccessReviewDefinition(Guid.CreateVersion7(), name, Casey.UserId, now);
        definition.Change(name, AccessReviewScope.Everything, representativeStage, fallbackId, 30, [7, 1], DeadlineAction.Escalate, 7, commentRule,
            Recurrence.None, null);
        db.AccessReviewDefinitions.Add(definition);
        var campaign = new AccessReviewCampaign(Guid.CreateVersion7(), definition, Casey.UserId, Casey.DisplayName, now);
        var routing = await ReviewerRouting.LoadAsync(db, fallbackId, Today, default);
        var ids = grantIds.ToList();
        var grants = await db.Grants.AsNoTracking().Where(g => ids.Contains(g.Id)).ToListAsync();
        var personIds = grants.Select(g => g.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
        var items = grants.OrderBy(g => g.Id).Select(g =>
        {
            var person = people[g.PersonId];
            var route = routing.Start(person.VendorId, g.SystemId, g.RequestedBy, representativeStage);
            return new AccessReviewItem(Guid.CreateVersion7(), campaign.Id, g.Id, g.PersonId, person.VendorId, g.SystemId,
                routing.ContractFor(person.VendorId, g.SystemId), g.AccessType, g.Escorted, !person.IsUsPerson, g.RequestedBy,
                AccessReviewRecommendation.Keep, "Nothing against it", route.Stage, route.Reviewers, route.Note);
        }).ToList();
        campaign.Frozen(items.Count, new string('0', 64));
        db.AccessReviewCampaigns.Add(campaign);
        db.AccessReviewItems.AddRange(items);
        await db.SaveChangesAsync();
        return campaign.Id;
    }

    /// <summary>The campaign's items, by grant id, as stored now.</summary>
    protected async Task<Dictionary<Guid, AccessReviewItem>> ItemsAsync(Guid campaignId)
    {
        await using var db = await ContextAsync();
        return await db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaignId).ToDictionaryAsync(i => i.GrantId);
    }

    protected async Task<AccessReviewCampaign> CampaignRowAsync(Guid campaignId)
    {
        await using var db = await ContextAsync();
        return await db.AccessReviewCampaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId);
    }

    protected async Task<AccessGrant> GrantRowAsync(Guid grantId)
    {
        await using var db = await ContextAsync();
        return await db.Grants.AsNoTracking().SingleAsync(g => g.Id == grantId);
    }

    protected async Task<long> AuditCountAsync()
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.LongCountAsync();
    }

    /// <summary>A decision by ids.</summary>
    protected static DecideAccessReviewItems Decide(Guid campaignId, AccessReviewDecision decision, string? comment, params Guid[] itemIds) =>
        new(campaignId, itemIds, null, decision, comment);
}
