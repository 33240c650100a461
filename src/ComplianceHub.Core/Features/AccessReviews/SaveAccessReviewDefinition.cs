using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Records or changes a definition (<see cref="SaveAccessReviewDefinition"/>): the fallback must be an active contracting
/// officer; every vendor, contract and system of the scope must exist and, for an officer of a contracting office, be in the
/// office's vendor scope (ADR 0028) — otherwise a per-field error names it. A change needs the version read.
/// </summary>
internal sealed class SaveAccessReviewDefinitionHandler : ICommandHandler<SaveAccessReviewDefinition, AccessReviewDefinitionView>
{
    public async Task<Outcome<AccessReviewDefinitionView>> HandleAsync(SaveAccessReviewDefinition command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var actor = context.Actor;
        AccessReviewDefinition? definition = null;
        if (command.Id is { } id)
        {
            definition = await db.AccessReviewDefinitions.SingleOrDefaultAsync(d => d.Id == id, ct);
            if (definition is null || !await DefinitionAccess.MayActOnAsync(db, actor, definition.Scope, ct))
            {
                return Outcome<AccessReviewDefinitionView>.NotFound("The access review");
            }
            if (command.Version is null)
            {
                return Outcome<AccessReviewDefinitionView>.Invalid(new Dictionary<string, string[]>
                {
                    [nameof(SaveAccessReviewDefinition.Version)] = ["Send the version you read."],
                });
            }
            if (RowVersion.IsStale(definition.Version, command.Version))
            {
                return Outcome<AccessReviewDefinitionView>.Conflict("Someone else changed this access review since you read it; reload and try again.");
            }
            if (definition.RetiredAt is not null)
            {
                return Outcome<AccessReviewDefinitionView>.Conflict("This access review is retired and can no longer be changed. Define a new one instead.");
            }
        }

        var name = command.Name.Trim();
        var scope = Normalized(command.Scope);
        var errors = await DefinitionAccess.ScopeErrorsAsync(db, actor, scope, ct);
        var fallback = await db.Users.AsNoTracking()
            .Where(u => u.Id == command.FallbackOfficerId && u.DisabledAt == null && !u.IsServiceAccount
                        && db.AccountsInRole(Roles.ContractingOfficer).Contains(u.Id))
            .Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        if (fallback is null)
        {
            errors[nameof(SaveAccessReviewDefinition.FallbackOfficerId)] =
                ["Choose an active contracting officer as the fallback officer; this account is not one."];
        }
        if (await db.AccessReviewDefinitions.AnyAsync(d => d.Name == name && d.Id != (command.Id ?? Guid.Empty), ct))
        {
            errors[nameof(SaveAccessReviewDefinition.Name)] = ["Another access review already has this name; choose another."];
        }
        if (errors.Count > 0)
        {
            return Outcome<AccessReviewDefinitionView>.Invalid(errors);
        }

        var campaigns = 0;
        if (definition is null)
        {
            definition = new AccessReviewDefinition(Guid.CreateVersion7(), name, actor.UserId, context.Now);
            db.AccessReviewDefinitions.Add(definition);
        }
        else
        {
            campaigns = await db.AccessReviewCampaigns.CountAsync(c => c.DefinitionId == definition.Id, ct);
        }
        definition.Change(name, scope, command.RepresentativeStage, command.FallbackOfficerId, command.DurationDays, command.ReminderDays,
            command.DeadlineAction, command.EscalationDays, command.CommentRule, command.Recurrence, command.NextStartOn);
        var saved = definition;
        return Outcome<AccessReviewDefinitionView>.OkAfterSave(() => DefinitionAccess.View(saved, fallback!, campaigns));
    }

    /// <summary>The scope as stored: each list without duplicates.</summary>
    private static AccessReviewScope Normalized(AccessReviewScope scope) => scope with
    {
        VendorIds = scope.VendorIds.Distinct().ToList(),
        ContractIds = scope.ContractIds.Distinct().ToList(),
        SystemIds = scope.SystemIds.Distinct().ToList(),
        ImpactLevels = scope.ImpactLevels.Distinct().Order().ToList(),
        AccessTypes = scope.AccessTypes.Distinct().Order().ToList(),
    };
}

/// <summary>
/// Which definitions an officer may change, retire and start, and whether a scope's ids are ones they may name: an
/// installation-wide officer any; an officer of a contracting office only scopes within the office's vendors (a scope that
/// names no vendor or contract reaches only those vendors when it starts).
/// </summary>
internal static class DefinitionAccess
{
    /// <summary>Whether <paramref name="actor"/> may act on a definition of <paramref name="scope"/> (else it is not found).</summary>
    public static async Task<bool> MayActOnAsync(ComplianceDbContext db, Actor actor, AccessReviewScope scope, CancellationToken ct)
    {
        if (actor.SeesEveryVendor)
        {
            return true;
        }
        if (!scope.VendorIds.All(actor.Sees))
        {
            return false;
        }
        if (scope.ContractIds.Count == 0)
        {
            return true;
        }
        var ids = scope.ContractIds.ToArray();
        var vendors = await db.Contracts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.VendorId).ToListAsync(ct);
        return vendors.All(actor.Sees);
    }

    /// <summary>Per-field errors for scope ids that do not exist or are outside the actor's vendor scope.</summary>
    public static async Task<Dictionary<string, string[]>> ScopeErrorsAsync(ComplianceDbContext db, Actor actor, AccessReviewScope scope,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (scope.VendorIds.Count > 0)
        {
            var ids = scope.VendorIds.ToArray();
            var known = await db.Vendors.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => v.Id).ToListAsync(ct);
            var bad = ids.Count(v => !known.Contains(v) || !actor.Sees(v));
            if (bad > 0)
            {
                errors["Scope.VendorIds"] = [bad == 1
                    ? "One of the chosen vendors does not exist or is not one you work with; choose from the list."
                    : $"{bad} of the chosen vendors do not exist or are not ones you work with; choose from the list."];
            }
        }
        if (scope.ContractIds.Count > 0)
        {
            var ids = scope.ContractIds.ToArray();
            var known = await db.Contracts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.VendorId }).ToListAsync(ct);
            var bad = ids.Count(c => known.SingleOrDefault(k => k.Id == c) is not { } k || !actor.Sees(k.VendorId));
            if (bad > 0)
            {
                errors["Scope.ContractIds"] = [bad == 1
                    ? "One of the chosen contracts does not exist or is not one you work with; choose from the list."
                    : $"{bad} of the chosen contracts do not exist or are not ones you work with; choose from the list."];
            }
        }
        if (scope.SystemIds.Count > 0)
        {
            var ids = scope.SystemIds.ToArray();
            var known = await db.Systems.AsNoTracking().CountAsync(s => ids.Contains(s.Id), ct);
            if (known < ids.Length)
            {
                errors["Scope.SystemIds"] = [ids.Length - known == 1
                    ? "One of the chosen systems does not exist; choose from the list."
                    : $"{ids.Length - known} of the chosen systems do not exist; choose from the list."];
            }
        }
        if (scope.ImpactLevels.Any(l => !Enum.IsDefined(l)))
        {
            errors["Scope.ImpactLevels"] = ["Choose impact levels from the list."];
        }
        if (scope.AccessTypes.Any(a => !Enum.IsDefined(a)))
        {
            errors["Scope.AccessTypes"] = ["Choose access types from the list."];
        }
        return errors;
    }

    /// <summary>The definition as pages and the API show it.</summary>
    public static AccessReviewDefinitionView View(AccessReviewDefinition d, string fallbackOfficerName, int campaigns) =>
        new(d.Id, d.Name, d.Scope, d.RepresentativeStage, d.FallbackOfficerId, fallbackOfficerName, d.DurationDays, d.ReminderDays,
            d.DeadlineAction, d.EscalationDays, d.CommentRule, d.Recurrence, d.NextStartOn, d.CreatedAt, d.RetiredAt, campaigns, d.Version);

    /// <summary>The definition's view, with the fallback officer's name and its campaigns counted.</summary>
    public static async Task<AccessReviewDefinitionView> ViewAsync(ComplianceDbContext db, AccessReviewDefinition d, CancellationToken ct)
    {
        var fallback = await db.Users.AsNoTracking().Where(u => u.Id == d.FallbackOfficerId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        var campaigns = await db.AccessReviewCampaigns.CountAsync(c => c.DefinitionId == d.Id, ct);
        return View(d, fallback ?? "An account no longer on the portal", campaigns);
    }
}
