using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>Records a contracting office (administrators: reference data).</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CreateContractingOffice(string Code, string Name) : ICommand<ContractingOfficeView>;

public sealed class ContractingOfficeValidator : AbstractValidator<CreateContractingOffice>
{
    public ContractingOfficeValidator() => OfficeRules.Apply(this, c => c.Code, c => c.Name);
}

internal sealed class CreateContractingOfficeHandler : ICommandHandler<CreateContractingOffice, ContractingOfficeView>
{
    public async Task<Outcome<ContractingOfficeView>> HandleAsync(CreateContractingOffice command, CommandContext context, CancellationToken ct)
    {
        var name = command.Name.Trim();
        var errors = await OfficeRules.DuplicatesAsync(context.Db, command.Code, name, null, ct);
        if (errors.Count > 0)
        {
            return Outcome<ContractingOfficeView>.Invalid(errors);
        }
        var office = new ContractingOffice(Guid.CreateVersion7(), command.Code, name);
        context.Db.ContractingOffices.Add(office);
        return Outcome<ContractingOfficeView>.Ok(new ContractingOfficeView(office.Id, office.Code, office.Name, 0, 0, 0, 0));
    }
}
