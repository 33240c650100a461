using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Views;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Views;

/// <summary>
/// Makes one of the actor's views the grid's default (opened when the grid is visited without a query), or, with no view, clears
/// the default. One default per grid and account (a unique index backs it).
/// </summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)]
public sealed record SetDefaultView(string Grid, Guid? ViewId) : ICommand<SavedViewItem?>;

public sealed class SetDefaultViewValidator : AbstractValidator<SetDefaultView>
{
    public SetDefaultViewValidator() =>
        RuleFor(c => c.Grid).KnownGrid();
}

internal sealed class SetDefaultViewHandler : ICommandHandler<SetDefaultView, SavedViewItem?>
{
    public async Task<Outcome<SavedViewItem?>> HandleAsync(SetDefaultView command, CommandContext context, CancellationToken ct)
    {
        SavedView? view = null;
        if (command.ViewId is { } id)
        {
            view = await SavedViewRules.FindMineAsync(context.Db, context.Actor, id, ct);
            if (view is null || view.Grid != command.Grid)
            {
                return Outcome<SavedViewItem?>.NotFound(SavedViewRules.NotFound);
            }
        }
        await MakeDefaultAsync(context.Db, context, command.Grid, view, ct);
        return Outcome<SavedViewItem?>.Ok(view is null ? null : SavedViewItem.From(view));
    }

    /// <summary>The view becomes the grid's default and the previous default stops being one (saved first, so the unique index holds).</summary>
    internal static async Task MakeDefaultAsync(ComplianceDbContext db, CommandContext context, string grid, SavedView? view, CancellationToken ct)
    {
        var previous = await db.SavedViews.Where(v => v.UserId == context.Actor.UserId && v.Grid == grid && v.IsDefault).ToListAsync(ct);
        foreach (var old in previous.Where(v => v != view))
        {
            old.MarkDefault(false, context.Now);
        }
        view?.MarkDefault(true, context.Now);
    }
}
