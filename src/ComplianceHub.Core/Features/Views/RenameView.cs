using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;

namespace ComplianceHub.Core.Features.Views;

/// <summary>Renames one of the actor's saved views; another account's view is not found (404).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)]
public sealed record RenameView(Guid ViewId, string Name) : ICommand<SavedViewItem>;

public sealed class RenameViewValidator : AbstractValidator<RenameView>
{
    public RenameViewValidator() => RuleFor(c => c.Name).ViewName();
}

internal sealed class RenameViewHandler : ICommandHandler<RenameView, SavedViewItem>
{
    public async Task<Outcome<SavedViewItem>> HandleAsync(RenameView command, CommandContext context, CancellationToken ct)
    {
        var view = await SavedViewRules.FindMineAsync(context.Db, context.Actor, command.ViewId, ct);
        if (view is null)
        {
            return Outcome<SavedViewItem>.NotFound(SavedViewRules.NotFound);
        }
        var same = await SavedViewRules.NamedAsync(context.Db, context.Actor, view.Grid, command.Name, ct);
        if (same is not null && same.Id != view.Id)
        {
            return Outcome<SavedViewItem>.Invalid(SavedViewRules.NameTaken(command.Name));
        }
        view.Rename(command.Name.Trim(), context.Now);
        return Outcome<SavedViewItem>.Ok(SavedViewItem.From(view));
    }
}
