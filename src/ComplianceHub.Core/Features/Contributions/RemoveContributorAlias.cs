using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>Removes an alias; the gate re-matches the contributions by that address (to nobody, or to a roster e-mail).</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record RemoveContributorAlias(Guid PersonId, Guid AliasId) : ICommand<bool>;

internal sealed class RemoveContributorAliasHandler : ICommandHandler<RemoveContributorAlias, bool>
{
    public async Task<Outcome<bool>> HandleAsync(RemoveContributorAlias command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var visible = db.People.VisibleTo(context.Actor).Where(p => p.Id == command.PersonId).Select(p => p.Id);
        var alias = await db.ContributorAliases.SingleOrDefaultAsync(a => a.Id == command.AliasId && a.PersonId == command.PersonId && visible.Contains(a.PersonId), ct);
        if (alias is null)
        {
            return Outcome<bool>.NotFound("The alias");
        }
        db.ContributorAliases.Remove(alias);
        return Outcome<bool>.Ok(true);
    }
}
