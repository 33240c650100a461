using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Systems;
using FluentValidation;

namespace ComplianceHub.Core.Features.Systems;

/// <summary>Records a cloud system (API.md <c>POST /systems</c>).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateSystem(string Name, string Provider, string Environment, ImpactLevel ImpactLevel) : ICommand<SystemView>;

public sealed class CreateSystemValidator : AbstractValidator<CreateSystem>
{
    public CreateSystemValidator() => SystemFields.Apply(this, c => c.Name, c => c.Provider, c => c.Environment, c => c.ImpactLevel);
}

internal sealed class CreateSystemHandler : ICommandHandler<CreateSystem, SystemView>
{
    public Task<Outcome<SystemView>> HandleAsync(CreateSystem command, CommandContext context, CancellationToken ct)
    {
        var system = new CloudSystem(Guid.CreateVersion7(), command.Name.Trim(), command.Provider.Trim(), command.Environment.Trim(), command.ImpactLevel);
        context.Db.Systems.Add(system);
        return Task.FromResult(Outcome<SystemView>.OkAfterSave(() => SystemView.From(system)));
    }
}
