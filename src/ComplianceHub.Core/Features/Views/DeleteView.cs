using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Features.Views;

/// <summary>Deletes one of the actor's saved views (the grid then opens as it did before, if it was the default).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)]
public sealed record DeleteView(Guid ViewId) : ICommand<Guid>;

internal sealed class DeleteViewHandler : ICommandHandler<DeleteView, Guid>
{
    public async Task<Outcome<Guid>> HandleAsync(DeleteView command, CommandContext context, CancellationToken ct)
    {
        var view = await SavedViewRules.FindMineAsync(context.Db, context.Actor, command.ViewId, ct);
        if (view is null)
        {
            return Outcome<Guid>.NotFound(SavedViewRules.NotFound);
        }
        context.Db.SavedViews.Remove(view);
        return Outcome<Guid>.Ok(view.Id);
    }
}
