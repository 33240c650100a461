using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Views;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Views;

/// <summary>
/// Saves the grid's current state as one of the actor's views: a new view, or — under a name they already use on that grid — the
/// same view with the new state. Every signed-in role may: a view is a personal preference, not a record of the vendors' people, so an
/// auditor saves views too (ADR 0034). The change is audited like any other.
/// </summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)]
public sealed record SaveView(string Grid, string Name, string Query, IReadOnlyList<string> HiddenColumns, bool MakeDefault = false) : ICommand<SavedViewItem>;

public sealed class SaveViewValidator : AbstractValidator<SaveView>
{
    public SaveViewValidator()
    {
        RuleFor(c => c.Grid).KnownGrid();
        RuleFor(c => c.Name).ViewName();
        RuleFor(c => c.Query).Must(q => (q ?? "").Length <= SavedView.QueryLength)
            .WithMessage($"The list's filters are too long to save (at most {SavedView.QueryLength} characters); remove a filter and save again.");
        RuleFor(c => c.HiddenColumns).Must(h => h is not null && h.Count <= 40 && h.All(c => !string.IsNullOrWhiteSpace(c) && c.Length <= 40))
            .WithMessage("The hidden columns are not columns of this list.");
    }
}

internal sealed class SaveViewHandler : ICommandHandler<SaveView, SavedViewItem>
{
    public async Task<Outcome<SavedViewItem>> HandleAsync(SaveView command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var name = command.Name.Trim();
        var query = (command.Query ?? "").TrimStart('?');
        var hidden = command.HiddenColumns.Select(c => c.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var view = await SavedViewRules.NamedAsync(db, context.Actor, command.Grid, name, ct);
        if (view is null)
        {
            var count = await db.SavedViews.CountAsync(v => v.UserId == context.Actor.UserId && v.Grid == command.Grid, ct);
            if (count >= SavedViewRules.MaxPerGrid)
            {
                return Outcome<SavedViewItem>.Invalid(new Dictionary<string, string[]>
                {
                    [nameof(SaveView.Name)] = [$"You keep {SavedViewRules.MaxPerGrid} views of this list already; delete one first, or save under the name of one to replace it."],
                });
            }
            view = new SavedView(Guid.CreateVersion7(), context.Actor.UserId, command.Grid, name, query, hidden, context.Now);
            db.SavedViews.Add(view);
        }
        else
        {
            view.Change(name, query, hidden, context.Now);
        }
        if (command.MakeDefault)
        {
            await SetDefaultViewHandler.MakeDefaultAsync(db, context, command.Grid, view, ct);
        }
        return Outcome<SavedViewItem>.Ok(SavedViewItem.From(view));
    }
}
