using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>Changes a contract's title, period, responsible officers and systems (the number and vendor never change).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record ChangeContract(Guid ContractId, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds) : ICommand<ContractView>;

public sealed class ChangeContractValidator : AbstractValidator<ChangeContract>
{
    public ChangeContractValidator()
    {
        RuleFor(c => c.ContractId).NotEmpty();
        RuleFor(c => c.Title).NotEmpty().MaximumLength(300);
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).WithMessage("The period of performance ends before it starts.");
        RuleFor(c => c.ResponsibleOfficerIds).NotEmpty().WithMessage("Name at least one responsible contracting officer.");
    }
}

internal sealed class ChangeContractHandler : ICommandHandler<ChangeContract, ContractView>
{
    public async Task<Outcome<ContractView>> HandleAsync(ChangeContract command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var contract = await db.Contracts.VisibleTo(context.Actor).SingleOrDefaultAsync(c => c.Id == command.ContractId, ct);
        if (contract is null)
        {
            return Outcome<ContractView>.NotFound("The contract");
        }
        var errors = await ContractReferences.CheckAsync(db, command.ResponsibleOfficerIds, command.SystemIds, ct);
        if (errors.Count > 0)
        {
            return Outcome<ContractView>.Invalid(errors);
        }
        contract.Change(command.Title.Trim(), command.StartsOn, command.EndsOn, command.ResponsibleOfficerIds, command.SystemIds);
        return Outcome<ContractView>.Ok(ContractView.From(contract));
    }
}
