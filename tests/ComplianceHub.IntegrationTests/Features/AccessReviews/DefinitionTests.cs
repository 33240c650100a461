using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>Access review definitions: saved with per-field errors for a bad scope or fallback, vendor scope of an office's officer, versions, retirement.</summary>
public sealed class DefinitionTests() : EngineReviewTest("ardefs")
{
    protected override Task ArrangeReviewAsync() => Task.CompletedTask;

    [Fact]
    public async Task ADefinition_IsSaved_WithItsSettings_AndAudited()
    {
        var outcome = await SendAsync(Casey, Definition("Quarterly review of Acme", Scope(vendors: [DemoSeeder.AcmeId])) with
        {
            Recurrence = Recurrence.Quarterly,
            NextStartOn = Today.AddDays(10),
            ReminderDays = [1, 7, 7],
        });

        Assert.True(outcome.IsOk, outcome.Message);
        var view = outcome.Value!;
        Assert.Equal("Quarterly review of Acme", view.Name);
        Assert.Equal([DemoSeeder.AcmeId], view.Scope.VendorIds);
        Assert.Equal([7, 1], view.ReminderDays);
        Assert.Equal(Today.AddDays(10), view.NextStartOn);
        Assert.Equal("Morgan Officer", view.FallbackOfficerName);
        Assert.NotEqual(0u, view.Version);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-definition' AND subject_id = '{view.Id}' AND event_type = 4400"));
    }

    [Fact]
    public async Task UnknownScopeIds_AndAFallbackWhoIsNoOfficer_AreRefused_FieldByField()
    {
        var outcome = await SendAsync(Casey, Definition("Bad", Scope(vendors: [Guid.NewGuid()], contracts: [Guid.NewGuid()], systems: [Guid.NewGuid()]))
            with { FallbackOfficerId = AcmeRiley.UserId });

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("Scope.VendorIds", outcome.Errors!.Keys);
        Assert.Contains("Scope.ContractIds", outcome.Errors.Keys);
        Assert.Contains("Scope.SystemIds", outcome.Errors.Keys);
        Assert.Contains("contracting officer", outcome.Errors["FallbackOfficerId"][0], StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM access_review_definitions"));
    }

    [Fact]
    public async Task AnOfficeOfficer_MayScopeOnlyToTheOfficesVendors_AndDoesNotFindAnotherOfficesDefinition()
    {
        // Drew (co3) acts for NAVWAR, which holds a Globex contract only.
        var acme = await SendAsync(Drew, Definition("NAVWAR on Acme", Scope(vendors: [DemoSeeder.AcmeId])));
        Assert.Equal(OutcomeKind.Invalid, acme.Kind);
        Assert.Contains("you work with", acme.Errors!["Scope.VendorIds"][0], StringComparison.Ordinal);

        var acmeContract = await SendAsync(Drew, Definition("NAVWAR on Acme's contract", Scope(contracts: [AcmeContract])));
        Assert.Equal(OutcomeKind.Invalid, acmeContract.Kind);
        Assert.Contains("Scope.ContractIds", acmeContract.Errors!.Keys);

        var globex = await SendAsync(Drew, Definition("NAVWAR on Globex", Scope(vendors: [DemoSeeder.GlobexId])));
        Assert.True(globex.IsOk, globex.Message);

        var caseys = await SendAsync(Casey, Definition("DITCO on Acme", Scope(vendors: [DemoSeeder.AcmeId])));
        Assert.True(caseys.IsOk, caseys.Message);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Drew, new RetireAccessReviewDefinition(caseys.Value!.Id, "Not ours"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(Drew, new StartAccessReviewCampaign(caseys.Value.Id))).Kind);
    }

    [Fact]
    public async Task AChange_NeedsTheVersionRead_AndAStaleOneIsAConflict()
    {
        var created = (await SendAsync(Casey, Definition("Versioned", Scope()))).Value!;

        var changed = await SendAsync(Casey, Definition("Versioned, renamed", Scope()) with { Id = created.Id, Version = created.Version.ToString(), DurationDays = 14 });
        Assert.True(changed.IsOk, changed.Message);
        Assert.Equal(14, changed.Value!.DurationDays);
        Assert.NotEqual(created.Version, changed.Value.Version);

        var stale = await SendAsync(Casey, Definition("Versioned, again", Scope()) with { Id = created.Id, Version = created.Version.ToString() });
        Assert.Equal(OutcomeKind.Conflict, stale.Kind);
        var missing = await SendAsync(Casey, Definition("Versioned, again", Scope()) with { Id = created.Id });
        Assert.Equal(OutcomeKind.Invalid, missing.Kind);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-definition' AND event_type = 4401"));
    }

    [Fact]
    public async Task ADuplicateName_IsRefused()
    {
        Assert.True((await SendAsync(Casey, Definition("Same name", Scope()))).IsOk);
        var again = await SendAsync(Morgan, Definition("Same name", Scope()));
        Assert.Equal(OutcomeKind.Invalid, again.Kind);
        Assert.Contains("Name", again.Errors!.Keys);
    }

    [Fact]
    public async Task ARetiredDefinition_StartsNoMoreCampaigns_AndCannotBeRetiredTwice()
    {
        var created = (await SendAsync(Casey, Definition("To retire", Scope()) with { Recurrence = Recurrence.Monthly, NextStartOn = Today })).Value!;

        var retired = await SendAsync(Casey, new RetireAccessReviewDefinition(created.Id, "Replaced by the quarterly review"));

        Assert.True(retired.IsOk, retired.Message);
        Assert.NotNull(retired.Value!.RetiredAt);
        Assert.Null(retired.Value.NextStartOn);
        var start = await SendAsync(Casey, new StartAccessReviewCampaign(created.Id));
        Assert.Equal(OutcomeKind.Conflict, start.Kind);
        Assert.Contains("retired", start.Message, StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.Conflict, (await SendAsync(Casey, new RetireAccessReviewDefinition(created.Id, "Again"))).Kind);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-definition' AND subject_id = '{created.Id}' AND event_type = 4401 AND operation = 'retire-access-review-definition'"));
    }
}
