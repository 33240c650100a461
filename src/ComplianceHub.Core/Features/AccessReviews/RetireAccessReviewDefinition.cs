using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Retires a definition (<see cref="RetireAccessReviewDefinition"/>): it starts no more campaigns, its campaigns stay. The
/// reason is the retirement's audit event's request. Retiring a retired definition is a conflict.
/// </summary>
internal sealed class RetireAccessReviewDefinitionHandler : ICommandHandler<RetireAccessReviewDefinition, AccessReviewDefinitionView>
{
    public async Task<Outcome<AccessReviewDefinitionView>> HandleAsync(RetireAccessReviewDefinition command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var definition = await db.AccessReviewDefinitions.SingleOrDefaultAsync(d => d.Id == command.DefinitionId, ct);
        if (definition is null || !await DefinitionAccess.MayActOnAsync(db, context.Actor, definition.Scope, ct))
        {
            return Outcome<AccessReviewDefinitionView>.NotFound("The access review");
        }
        if (definition.RetiredAt is not null)
        {
            return Outcome<AccessReviewDefinitionView>.Conflict("This access review is already retired.");
        }
        definition.Retire(context.Now);
        var view = await DefinitionAccess.ViewAsync(db, definition, ct);
        return Outcome<AccessReviewDefinitionView>.OkAfterSave(() => view with { Version = definition.Version, RetiredAt = definition.RetiredAt, NextStartOn = null });
    }
}
