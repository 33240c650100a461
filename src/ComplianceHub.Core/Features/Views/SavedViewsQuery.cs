using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Views;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Views;

/// <summary>A saved view as its owner's menu lists it.</summary>
public sealed record SavedViewItem(Guid Id, string Grid, string Name, string Query, IReadOnlyList<string> HiddenColumns, bool IsDefault)
{
    public static SavedViewItem From(SavedView v) => new(v.Id, v.Grid, v.Name, v.Query, v.HiddenColumns, v.IsDefault);
}

/// <summary>
/// The signed-in account's own saved views of a grid (ADR 0034). Always filtered by the actor's account: there is no way to
/// read another account's views, whatever the role.
/// </summary>
public sealed class SavedViewsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The actor's views of the grid, by name.</summary>
    public async Task<IReadOnlyList<SavedViewItem>> ListAsync(Actor actor, string grid, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var views = await Mine(db, actor, grid).OrderBy(v => v.Name).ToListAsync(ct);
        return [.. views.Select(SavedViewItem.From)];
    }

    /// <summary>The actor's default view of the grid, if they chose one.</summary>
    public async Task<SavedViewItem?> DefaultAsync(Actor actor, string grid, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var view = await Mine(db, actor, grid).Where(v => v.IsDefault).FirstOrDefaultAsync(ct);
        return view is null ? null : SavedViewItem.From(view);
    }

    private static IQueryable<SavedView> Mine(ComplianceDbContext db, Actor actor, string grid) =>
        db.SavedViews.AsNoTracking().Where(v => v.UserId == actor.UserId && v.Grid == grid);
}

/// <summary>What the saved-view commands share: the name's rules, and finding a view only among the actor's own.</summary>
internal static class SavedViewRules
{
    /// <summary>The most views one account keeps of one grid.</summary>
    public const int MaxPerGrid = 50;

    public static IRuleBuilderOptions<T, string> ViewName<T>(this IRuleBuilder<T, string> name) =>
        name.Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the view a name.")
            .Must(n => (n ?? "").Trim().Length <= SavedView.NameLength).WithMessage($"A view's name is at most {SavedView.NameLength} characters.");

    public static IRuleBuilderOptions<T, string> KnownGrid<T>(this IRuleBuilder<T, string> grid) =>
        grid.Must(g => g is not null && SavedViewGrids.All.Contains(g)).WithMessage("Views can be saved only for the portal's lists.");

    /// <summary>The actor's own view, tracked; another account's view is not found, exactly as a view that does not exist.</summary>
    public static Task<SavedView?> FindMineAsync(ComplianceDbContext db, Actor actor, Guid id, CancellationToken ct) =>
        db.SavedViews.SingleOrDefaultAsync(v => v.Id == id && v.UserId == actor.UserId, ct);

    /// <summary>The actor's view of the grid with this name (names compare without case), tracked.</summary>
    public static Task<SavedView?> NamedAsync(ComplianceDbContext db, Actor actor, string grid, string name, CancellationToken ct)
    {
        var lower = name.Trim().ToLowerInvariant();
        return db.SavedViews.FirstOrDefaultAsync(v => v.UserId == actor.UserId && v.Grid == grid && v.Name.ToLower() == lower, ct);
    }

    public static Dictionary<string, string[]> NameTaken(string name) =>
        new() { ["Name"] = [$"You already have a view named \u201c{name.Trim()}\u201d on this list; choose another name."] };

    public const string NotFound = "The saved view";
}

/// <summary>
/// The commands that change only the sender's own preferences (their saved grid views, ADR 0034): open to every role,
/// auditors included — an auditor's saved view changes no roster, access, policy or evidence data, and is audited like
/// every change. <c>AuditorWritesNothingTests</c> allows the auditor role on exactly these and <see cref="Contributions.AuditorWork"/>.
/// </summary>
public static class OwnPreferences
{
    public static IReadOnlySet<Type> Commands { get; } = new HashSet<Type> { typeof(SaveView), typeof(RenameView), typeof(SetDefaultView), typeof(DeleteView) };
}
