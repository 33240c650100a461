using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>
/// Records a contract of a vendor: number, title, period of performance, responsible officers, the systems it covers and the
/// contracting office holding it (by default the recording officer's own; an officer of an office records for it only).
/// </summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateContract(Guid VendorId, string Number, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds, Guid? OfficeId = null) : ICommand<ContractView>;

public sealed class CreateContractValidator : AbstractValidator<CreateContract>
{
    public CreateContractValidator()
    {
        RuleFor(c => c.VendorId).NotEmpty();
        RuleFor(c => c.Number).NotEmpty().MaximumLength(40)
            .Matches("^[A-Z0-9][A-Z0-9-]*$").WithMessage("Use capital letters, digits and hyphens, e.g. HC1028-26-C-0042.");
        RuleFor(c => c.Title).NotEmpty().MaximumLength(300);
        RuleFor(c => c.EndsOn).GreaterThanOrEqualTo(c => c.StartsOn).WithMessage("The period of performance ends before it starts.");
        RuleFor(c => c.ResponsibleOfficerIds).NotEmpty().WithMessage("Name at least one responsible contracting officer.");
    }
}

internal sealed class CreateContractHandler : ICommandHandler<CreateContract, ContractView>
{
    public async Task<Outcome<ContractView>> HandleAsync(CreateContract command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        // A vendor in the recorder's sight: an officer of an office cannot bring another office's vendor into it by recording a
        // contract; an administrator or an installation-wide officer records the first contract of a vendor with an office.
        if (!await db.Vendors.VisibleTo(context.Actor).AnyAsync(v => v.Id == command.VendorId, ct))
        {
            return Outcome<ContractView>.NotFound("The vendor");
        }
        var errors = await ContractReferences.CheckAsync(db, command.ResponsibleOfficerIds, command.SystemIds, ct);
        var officeId = command.OfficeId ?? context.Actor.OfficeId;
        if (context.Actor.OfficeId is { } own && officeId != own)
        {
            errors[nameof(CreateContract.OfficeId)] = ["You record contracts for your own contracting office only."];
        }
        else if (officeId is { } office && !await db.ContractingOffices.AnyAsync(o => o.Id == office, ct))
        {
            errors[nameof(CreateContract.OfficeId)] = ["The contracting office does not exist."];
        }
        if (await db.Contracts.AnyAsync(c => c.Number == command.Number, ct))
        {
            errors[nameof(CreateContract.Number)] = [$"Contract {command.Number} is already recorded."];
        }
        if (errors.Count > 0)
        {
            return Outcome<ContractView>.Invalid(errors);
        }
        var contract = new Contract(Guid.CreateVersion7(), command.VendorId, command.Number, command.Title.Trim(), command.StartsOn, command.EndsOn,
            command.ResponsibleOfficerIds, command.SystemIds, officeId);
        db.Contracts.Add(contract);
        return Outcome<ContractView>.Ok(ContractView.From(contract));
    }
}
