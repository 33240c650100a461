using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Escorts;

/// <summary>
/// The escort board: each escort's load against the policy's maximum and whether they still qualify, and the foreign
/// nationals holding a grant with no qualified escort supervising them.
/// </summary>
public sealed class EscortBoardQueryTests() : PostureTest("escortboard")
{
    private Guid busy;
    private Guid idle;
    private Guid german;
    private Guid french;
    private Guid indian;
    private Guid canadian;

    protected override async Task ArrangeVendorAsync()
    {
        busy = await AddAsync("Bea Busy", "US", qualification: EscortQualification.Engineer);
        idle = await AddAsync("Ivo Idle", "US", qualification: EscortQualification.Operator);
        await AddAsync("Una Unqualified", "US");
        german = await AddAsync("Greta German", "DE", work: "DE", tier: InvestigationTier.T3);
        french = await AddAsync("Felix French", "FR", work: "FR", tier: InvestigationTier.T3);
        indian = await AddAsync("Ishan Indian", "IN", work: "IN", tier: InvestigationTier.T3);
        canadian = await AddAsync("Cal Canadian", "CA", work: "CA", tier: InvestigationTier.T3);
        await AddAsync("Lia Resident", "MX", lpr: true); // a US person: needs no escort

        Ok(await SendAsync(Co1, new AssignEscort(busy, german, Il2, Today, Today.AddDays(120))));
        Ok(await SendAsync(Co1, new AssignEscort(busy, french, Il2, Today, Today.AddDays(120))));
        Ok(await SendAsync(Co1, new AssignEscort(busy, indian, Il2, Today.AddDays(200), Today.AddDays(230)))); // upcoming
        foreach (var person in new[] { german, french })
        {
            var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(90), "Escorted patching"));
            Ok(grant);
            Ok(await SendAsync(Co2, new ApproveGrant(grant.Value!.Id)));
        }
        // The Canadian's escorted grant awaits a second officer.
        Ok(await SendAsync(Co1, new AssignEscort(idle, canadian, Il2, Today, Today.AddDays(120))));
        Ok(await SendAsync(Co1, new RequestGrant(canadian, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(90), "Escorted support")));
    }

    private static void Ok<T>(Outcome<T> outcome) => Assert.True(outcome.IsOk, $"{outcome.Kind}: {outcome.Message}");

    /// <summary>The escort's qualification is withdrawn (a fact the rules of existing grants do not re-check).</summary>
    private async Task WithdrawQualificationAsync(Guid id)
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Co1, "test.withdraw-qualification");
        (await db.People.SingleAsync(p => p.Id == id)).WithEscortQualification(EscortQualification.None, null);
        await db.SaveChangesAsync();
    }

    private Task<PagedResult<EscortRow>> EscortsAsync(EscortBoardFilter? filter = null, PageRequest? page = null) =>
        Query<EscortBoardQuery>().EscortsAsync(Co1, filter ?? new EscortBoardFilter(VendorId: Zenith), page ?? new PageRequest());

    [Fact]
    public async Task EachEscort_ShowsTheirLoad_AgainstThePolicyMaximum()
    {
        var board = await EscortsAsync();

        Assert.Equal(["Bea Busy", "Ivo Idle"], board.Items.Select(e => e.FullName)); // Una has no qualification and no assignment
        var bea = board.Items[0];
        Assert.Equal((2, 1, 2), (bea.Supervising, bea.Upcoming, bea.MaxSupervised));
        Assert.True(bea.AtCapacity);
        Assert.False(bea.OverCapacity);
        Assert.True(bea.Valid);
        Assert.Empty(bea.Problems);
        Assert.Equal(EscortQualification.Engineer, bea.Qualification);
        Assert.Equal(Today.AddMonths(-2), bea.TrainedOn);
        Assert.Equal("Zenith Orbital", bea.VendorName);
        Assert.Equal(1, board.Items[1].Supervising);

        var full = await EscortsAsync(new EscortBoardFilter(VendorId: Zenith, AtCapacity: true));
        Assert.Equal([busy], full.Items.Select(e => e.PersonId));
        var bySupervisingDesc = await EscortsAsync(page: new PageRequest(Sort: "supervising", Desc: true));
        Assert.Equal(busy, bySupervisingDesc.Items[0].PersonId);
    }

    [Fact]
    public async Task AnEscortWhoLeftTheUsAreas_IsShownInvalid_WithTheReason()
    {
        Ok(await SendAsync(Co1, new ChangePersonFacts(idle, "MX", "Monterrey")));

        var invalid = await EscortsAsync(new EscortBoardFilter(VendorId: Zenith, Valid: false));
        var ivo = Assert.Single(invalid.Items);
        Assert.Equal(idle, ivo.PersonId);
        Assert.Equal(["works in Mexico (MX), outside the US areas"], ivo.Problems);
        Assert.Equal(1, ivo.Supervising); // still assigned: the board shows whom they leave without a valid escort

        // The gate suspended the Canadian's grant at once, so the Canadian holds no current grant to list.
        var unescorted = await Query<EscortBoardQuery>().UnescortedAsync(Co1, new UnescortedFilter(VendorId: Zenith), new PageRequest());
        Assert.DoesNotContain(unescorted.Items, r => r.PersonId == canadian);
    }

    [Fact]
    public async Task AnEscortWhoseQualificationIsWithdrawn_LeavesTheirPeopleListedAsUnescorted()
    {
        Assert.Empty((await Query<EscortBoardQuery>().UnescortedAsync(Co1, new UnescortedFilter(VendorId: Zenith), new PageRequest())).Items);

        await WithdrawQualificationAsync(idle);

        var ivo = Assert.Single((await EscortsAsync(new EscortBoardFilter(VendorId: Zenith, Valid: false))).Items);
        Assert.Equal(["no escort qualification"], ivo.Problems);
        var unescorted = await Query<EscortBoardQuery>().UnescortedAsync(Co1, new UnescortedFilter(VendorId: Zenith), new PageRequest());
        var cal = Assert.Single(unescorted.Items);
        Assert.Equal(canadian, cal.PersonId);
        Assert.Equal((0, 1, 1), (cal.ActiveGrants, cal.PendingGrants, cal.AssignedEscorts)); // assigned, but not by a qualified escort
        Assert.Equal(["CA"], cal.Citizenships);
        Assert.Equal("CA", cal.WorkCountry);
    }

    [Fact]
    public async Task TheSupervisedPeople_OfAnEscort_ListSystemPeriodAndState()
    {
        var supervised = await Query<EscortBoardQuery>().SupervisedAsync(Co1, busy);

        Assert.NotNull(supervised);
        Assert.Equal(["Felix French", "Greta German", "Ishan Indian"], supervised.Select(s => s.FullName).Order());
        var upcoming = Assert.Single(supervised, s => s.PersonId == indian);
        Assert.Equal(("Upcoming", Today.AddDays(200), ImpactLevel.IL2), (upcoming.State, upcoming.StartsOn, upcoming.ImpactLevel));
        Assert.All(supervised.Where(s => s.PersonId != indian), s => Assert.Equal("In force", s.State));
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_SeesNoneOfTheseEscortsOrPeople()
    {
        var escorts = await Query<EscortBoardQuery>().EscortsAsync(GlobexRep, new EscortBoardFilter(), new PageRequest(PageSize: 500));
        Assert.DoesNotContain(escorts.Items, e => e.VendorId == Zenith);
        Assert.Empty((await Query<EscortBoardQuery>().EscortsAsync(GlobexRep, new EscortBoardFilter(VendorId: Zenith), new PageRequest())).Items);
        Assert.Null(await Query<EscortBoardQuery>().SupervisedAsync(GlobexRep, busy));

        await WithdrawQualificationAsync(busy);
        var unescorted = await Query<EscortBoardQuery>().UnescortedAsync(GlobexRep, new UnescortedFilter(), new PageRequest(PageSize: 500));
        Assert.DoesNotContain(unescorted.Items, r => r.VendorId == Zenith);
        Assert.Equal(2, (await Query<EscortBoardQuery>().UnescortedAsync(ZenithRep, new UnescortedFilter(), new PageRequest())).Total);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheBoard_ButCannotAssignAnEscort()
    {
        Assert.Equal(2, (await Query<EscortBoardQuery>().EscortsAsync(Auditor, new EscortBoardFilter(VendorId: Zenith), new PageRequest())).Total);
        var outcome = await SendAsync(Auditor, new AssignEscort(idle, indian, Il2, Today, Today.AddDays(30)));
        Assert.Equal(OutcomeKind.Forbidden, outcome.Kind);
    }
}
