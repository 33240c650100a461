using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Views;
using ComplianceHub.Core.Features.Views;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Views;

/// <summary>
/// Saved views through the production pipeline on real PostgreSQL: each account saves, lists, defaults, renames and deletes its own
/// views of a grid, an auditor included; another account's view is not found (404) and never listed; every change is audited.
/// </summary>
public sealed class SavedViewsTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<Actor> ActorAsync(string email)
    {
        await using var db = await fixture.Portal.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();
        var (_, name, role, vendor) = DemoSeeder.Accounts.Single(a => a.Email == email);
        var id = await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).SingleAsync();
        return new Actor(id, name, role, vendor, vendor is null ? null : "vendor");
    }

    private async Task<Outcome<T>> SendAsync<T>(Actor actor, ICommand<T> command)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(actor, command);
    }

    private async Task<IReadOnlyList<SavedViewItem>> ListAsync(Actor actor, string grid)
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SavedViewsQuery>().ListAsync(actor, grid);
    }

    [Fact]
    public async Task AnOfficer_SavesAView_ListsIt_MakesItTheDefault_RenamesIt_AndDeletesIt()
    {
        var officer = await ActorAsync("co2@demo.local");
        var saved = await SendAsync(officer, new SaveView(SavedViewGrids.Findings, "  Overdue blocks ", "severity=Block&overdue=true&sort=dueOn", ["vendor"]));
        Assert.True(saved.IsOk, saved.Message);
        Assert.Equal("Overdue blocks", saved.Value!.Name);

        var listed = Assert.Single(await ListAsync(officer, SavedViewGrids.Findings));
        Assert.Equal(("severity=Block&overdue=true&sort=dueOn", false), (listed.Query, listed.IsDefault));
        Assert.Equal(["vendor"], listed.HiddenColumns);
        Assert.Empty(await ListAsync(officer, SavedViewGrids.Roster)); // views belong to one grid

        var other = await SendAsync(officer, new SaveView(SavedViewGrids.Findings, "Mine", "q=smith", [], MakeDefault: true));
        Assert.True(other.IsOk, other.Message);
        Assert.True((await SendAsync(officer, new SetDefaultView(SavedViewGrids.Findings, listed.Id))).IsOk); // the default moves in one save
        var views = await ListAsync(officer, SavedViewGrids.Findings);
        Assert.Equal(["Overdue blocks"], views.Where(v => v.IsDefault).Select(v => v.Name));
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            Assert.Equal(listed.Id, (await scope.ServiceProvider.GetRequiredService<SavedViewsQuery>().DefaultAsync(officer, SavedViewGrids.Findings))?.Id);
        }

        var taken = await SendAsync(officer, new RenameView(listed.Id, "MINE"));
        Assert.Equal(OutcomeKind.Invalid, taken.Kind);
        Assert.Contains("already have a view named", Assert.Single(taken.Errors![nameof(RenameView.Name)]), StringComparison.Ordinal);
        var renamed = await SendAsync(officer, new RenameView(listed.Id, "Overdue, blocking"));
        Assert.Equal("Overdue, blocking", renamed.Value!.Name);

        Assert.True((await SendAsync(officer, new DeleteView(listed.Id))).IsOk);
        Assert.Equal(["Mine"], (await ListAsync(officer, SavedViewGrids.Findings)).Select(v => v.Name));
    }

    [Fact]
    public async Task SavingUnderANameAlreadyUsed_ReplacesThatView()
    {
        var officer = await ActorAsync("co1@demo.local");
        var first = await SendAsync(officer, new SaveView(SavedViewGrids.Roster, "Covered", "group=CoveredNation", []));
        var again = await SendAsync(officer, new SaveView(SavedViewGrids.Roster, "covered", "group=CoveredNation&sort=workCountry&desc=true", ["employer"]));

        Assert.Equal(first.Value!.Id, again.Value!.Id);
        var view = Assert.Single(await ListAsync(officer, SavedViewGrids.Roster), v => v.Id == first.Value.Id);
        Assert.Equal("group=CoveredNation&sort=workCountry&desc=true", view.Query);
        Assert.Equal(["employer"], view.HiddenColumns);
    }

    [Fact]
    public async Task AnotherAccountsView_IsNotFound_ForReadingOrChanging()
    {
        var owner = await ActorAsync("rep@acme.demo.local");
        var stranger = await ActorAsync("rep@globex.demo.local");
        var view = (await SendAsync(owner, new SaveView(SavedViewGrids.Roster, "Acme overdue", "attestation=Overdue", []))).Value!;

        Assert.DoesNotContain(await ListAsync(stranger, SavedViewGrids.Roster), v => v.Id == view.Id);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(stranger, new RenameView(view.Id, "Stolen"))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(stranger, new DeleteView(view.Id))).Kind);
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(stranger, new SetDefaultView(SavedViewGrids.Roster, view.Id))).Kind);
        // Even an administrator reads and changes only their own.
        var admin = await ActorAsync("admin@demo.local");
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(admin, new DeleteView(view.Id))).Kind);

        var kept = Assert.Single(await ListAsync(owner, SavedViewGrids.Roster), v => v.Id == view.Id);
        Assert.Equal(("Acme overdue", false), (kept.Name, kept.IsDefault));
    }

    [Fact]
    public async Task AnAuditor_SavesTheirOwnViews_AndEveryChangeIsAudited()
    {
        var auditor = await ActorAsync("auditor@demo.local");
        var saved = await SendAsync(auditor, new SaveView(SavedViewGrids.Audit, "Casey's changes", "actorName=Casey", [], MakeDefault: true));
        Assert.True(saved.IsOk, saved.Message);
        Assert.True((await SendAsync(auditor, new DeleteView(saved.Value!.Id))).IsOk);

        var events = await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            $"SELECT string_agg(event_type::text || ' ' || operation, ',' ORDER BY sequence) FROM audit_events WHERE subject_type = 'saved-view' AND subject_id = '{saved.Value.Id}'");
        Assert.Equal("1900 save-view,1902 delete-view", events);
    }

    [Fact]
    public async Task BadInput_GetsAMessagePerField()
    {
        var officer = await ActorAsync("co1@demo.local");
        var outcome = await SendAsync(officer, new SaveView("people-everywhere", " ", new string('x', SavedView.QueryLength + 1), []));

        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal(["Grid", "Name", "Query"], outcome.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Give the view a name.", Assert.Single(outcome.Errors["Name"]));
    }
}
