using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>Corrects a contracting office's code and name.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ChangeContractingOffice(Guid OfficeId, string Code, string Name) : ICommand<ContractingOfficeView>;

public sealed class ChangeContractingOfficeValidator : AbstractValidator<ChangeContractingOffice>
{
    public ChangeContractingOfficeValidator()
    {
        RuleFor(c => c.OfficeId).NotEmpty();
        OfficeRules.Apply(this, c => c.Code, c => c.Name);
    }
}

internal sealed class ChangeContractingOfficeHandler : ICommandHandler<ChangeContractingOffice, ContractingOfficeView>
{
    public async Task<Outcome<ContractingOfficeView>> HandleAsync(ChangeContractingOffice command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var office = await db.ContractingOffices.SingleOrDefaultAsync(o => o.Id == command.OfficeId, ct);
        if (office is null)
        {
            return Outcome<ContractingOfficeView>.NotFound("The contracting office");
        }
        var name = command.Name.Trim();
        var errors = await OfficeRules.DuplicatesAsync(db, command.Code, name, office.Id, ct);
        if (errors.Count > 0)
        {
            return Outcome<ContractingOfficeView>.Invalid(errors);
        }
        office.Change(command.Code, name);
        return Outcome<ContractingOfficeView>.Ok(new ContractingOfficeView(office.Id, office.Code, office.Name, 0, 0, 0, 0));
    }
}
