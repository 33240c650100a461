using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>A contract as the API shows it.</summary>
public sealed record ContractView(Guid Id, Guid VendorId, string Number, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds)
{
    public static ContractView From(Contract c) => new(c.Id, c.VendorId, c.Number, c.Title, c.StartsOn, c.EndsOn, c.ResponsibleOfficerIds, c.SystemIds);
}

/// <summary>
/// Records a contract of a vendor: number, title, period of performance, responsible officers, the systems it covers and the
/// contracting office holding it (by default the recording officer's own; an officer of an office records for it only).
/// </summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateContract(Guid VendorId, string Number, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds, Guid? OfficeId = null) : ICommand<ContractView>;

/// <summary>Changes a contract's title, period, responsible officers and systems (the number and vendor never change).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record ChangeContract(Guid ContractId, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds) : ICommand<ContractView>;

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

/// <summary>Checks that named officers are contracting officers and named systems exist (per-field errors otherwise).</summary>
internal static class ContractReferences
{
    public static async Task<Dictionary<string, string[]>> CheckAsync(ComplianceDbContext db, IReadOnlyList<Guid> officers, IReadOnlyList<Guid> systems,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var knownOfficers = await db.AccountsInRole(Roles.ContractingOfficer).Where(id => officers.Contains(id)).ToListAsync(ct);
        var notOfficers = officers.Except(knownOfficers).ToList();
        if (notOfficers.Count > 0)
        {
            errors[nameof(CreateContract.ResponsibleOfficerIds)] = [$"Not contracting officers: {string.Join(", ", notOfficers)}."];
        }
        var knownSystems = await db.Systems.Where(s => systems.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        var unknown = systems.Except(knownSystems).ToList();
        if (unknown.Count > 0)
        {
            errors[nameof(CreateContract.SystemIds)] = [$"No such systems: {string.Join(", ", unknown)}."];
        }
        return errors;
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
