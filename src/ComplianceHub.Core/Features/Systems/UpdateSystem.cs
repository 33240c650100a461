using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Systems;

/// <summary>A system and what changing it caused (a new impact level re-evaluates every grant on it).</summary>
public sealed record SystemSaved(SystemView System, ConsequencesView Consequences);

/// <summary>Changes a cloud system (API.md <c>PUT /systems/{id}</c>); a new impact level is a fact change with consequences.</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record UpdateSystem(Guid SystemId, string Version, string Name, string Provider, string Environment, ImpactLevel ImpactLevel)
    : ICommand<SystemSaved>;

public sealed class UpdateSystemValidator : AbstractValidator<UpdateSystem>
{
    public UpdateSystemValidator()
    {
        RuleFor(c => c.Version).NotEmpty().WithMessage("Send the version you read.");
        SystemFields.Apply(this, c => c.Name, c => c.Provider, c => c.Environment, c => c.ImpactLevel);
    }
}

internal sealed class UpdateSystemHandler : ICommandHandler<UpdateSystem, SystemSaved>
{
    public async Task<Outcome<SystemSaved>> HandleAsync(UpdateSystem command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var system = await db.Systems.SingleOrDefaultAsync(s => s.Id == command.SystemId, ct);
        if (system is null)
        {
            return Outcome<SystemSaved>.NotFound("The system");
        }
        if (!context.Actor.SeesEveryVendor)
        {
            // A new impact level re-evaluates every grant on the system, other offices' vendors' too (ADR 0028).
            return Outcome<SystemSaved>.Forbidden("Cloud systems are shared by every contracting office: an administrator or an " +
                "installation-wide contracting officer changes them.");
        }
        if (RowVersion.IsStale(system.Version, command.Version))
        {
            return Outcome<SystemSaved>.Conflict("Someone else changed this system since you read it; reload and try again.");
        }
        system.Change(command.Name.Trim(), command.Provider.Trim(), command.Environment.Trim(), command.ImpactLevel);
        return Outcome<SystemSaved>.OkAfterSave(() => new SystemSaved(SystemView.From(system), db.Consequences.ToView()));
    }
}
