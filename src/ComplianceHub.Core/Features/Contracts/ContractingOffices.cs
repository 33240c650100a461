using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>A contracting office as the portal shows it, with what it holds and who acts for it.</summary>
public sealed record ContractingOfficeView(Guid Id, string Code, string Name, int Contracts, int Vendors, int Officers, int Auditors)
{
    /// <summary>"DITCO-Scott (HC1028)": how the office is named everywhere.</summary>
    public string Label => $"{Name} ({Code})";
}

/// <summary>A contract on the offices page: which office holds it.</summary>
public sealed record OfficeContractRow(Guid Id, string Number, string Title, Guid VendorId, string VendorName, DateOnly StartsOn, DateOnly EndsOn,
    Guid? OfficeId, string? OfficeLabel);

/// <summary>Records a contracting office (administrators: reference data).</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record CreateContractingOffice(string Code, string Name) : ICommand<ContractingOfficeView>;

/// <summary>Corrects a contracting office's code and name.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ChangeContractingOffice(Guid OfficeId, string Code, string Name) : ICommand<ContractingOfficeView>;

/// <summary>
/// Moves a contract to the office that holds it (or to none): the vendor comes into the sight of that office's officers and
/// auditors and, unless another contract holds it there, leaves the sight of the former office's on their next click.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record MoveContract(Guid ContractId, Guid? OfficeId) : ICommand<OfficeContractRow>;

public sealed class ContractingOfficeValidator : AbstractValidator<CreateContractingOffice>
{
    public ContractingOfficeValidator() => OfficeRules.Apply(this, c => c.Code, c => c.Name);
}

public sealed class ChangeContractingOfficeValidator : AbstractValidator<ChangeContractingOffice>
{
    public ChangeContractingOfficeValidator()
    {
        RuleFor(c => c.OfficeId).NotEmpty();
        OfficeRules.Apply(this, c => c.Code, c => c.Name);
    }
}

internal static class OfficeRules
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, string> code, Func<T, string> name)
    {
        v.RuleFor(c => code(c)).NotEmpty().WithMessage("Give the office's DoDAAC, e.g. HC1028.")
            .Matches("^[A-Z0-9]{6}$").WithMessage("A DoDAAC is 6 capital letters or digits, e.g. HC1028.").OverridePropertyName("Code");
        v.RuleFor(c => name(c)).NotEmpty().WithMessage("Give the office's name.").MaximumLength(200).OverridePropertyName("Name");
    }

    public static async Task<Dictionary<string, string[]>> DuplicatesAsync(ComplianceDbContext db, string code, string name, Guid? except, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (await db.ContractingOffices.AnyAsync(o => o.Code == code && o.Id != except, ct)) { errors["Code"] = [$"An office with DoDAAC {code} is already recorded."]; }
        if (await db.ContractingOffices.AnyAsync(o => o.Name == name && o.Id != except, ct)) { errors["Name"] = [$"An office named {name} is already recorded."]; }
        return errors;
    }
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

internal sealed class MoveContractHandler : ICommandHandler<MoveContract, OfficeContractRow>
{
    public async Task<Outcome<OfficeContractRow>> HandleAsync(MoveContract command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var contract = await db.Contracts.SingleOrDefaultAsync(c => c.Id == command.ContractId, ct);
        if (contract is null)
        {
            return Outcome<OfficeContractRow>.NotFound("The contract");
        }
        ContractingOffice? office = null;
        if (command.OfficeId is { } officeId)
        {
            office = await db.ContractingOffices.AsNoTracking().SingleOrDefaultAsync(o => o.Id == officeId, ct);
            if (office is null)
            {
                return Outcome<OfficeContractRow>.Invalid(new Dictionary<string, string[]> { ["OfficeId"] = ["The contracting office does not exist; reload the page."] });
            }
        }
        if (contract.OfficeId == command.OfficeId)
        {
            return Outcome<OfficeContractRow>.Conflict(office is null ? "No office holds the contract already." : $"{office.Name} already holds the contract.");
        }
        contract.MoveTo(command.OfficeId);
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Id == contract.VendorId).Select(v => v.Name).SingleAsync(ct);
        return Outcome<OfficeContractRow>.Ok(new OfficeContractRow(contract.Id, contract.Number, contract.Title, contract.VendorId, vendor,
            contract.StartsOn, contract.EndsOn, office?.Id, office is null ? null : $"{office.Name} ({office.Code})"));
    }
}

/// <summary>The offices page's data: every office with its counts, and every contract with the office holding it.</summary>
public sealed class ContractingOfficesQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>Every office, by name, with how many contracts and vendors it holds and how many officers and auditors act for it.</summary>
    public async Task<IReadOnlyList<ContractingOfficeView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var officers = db.AccountsInRole(Roles.ContractingOfficer);
        var auditors = db.AccountsInRole(Roles.Auditor);
        return await db.ContractingOffices.AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new ContractingOfficeView(o.Id, o.Code, o.Name,
                db.Contracts.Count(c => c.OfficeId == o.Id),
                db.Contracts.Where(c => c.OfficeId == o.Id).Select(c => c.VendorId).Distinct().Count(),
                db.Users.Count(u => u.OfficeId == o.Id && officers.Contains(u.Id)),
                db.Users.Count(u => u.OfficeId == o.Id && auditors.Contains(u.Id))))
            .ToListAsync(ct);
    }

    /// <summary>Every contract, by vendor then number, with the office holding it.</summary>
    public async Task<IReadOnlyList<OfficeContractRow>> ContractsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from c in db.Contracts.AsNoTracking()
                      join v in db.Vendors.AsNoTracking() on c.VendorId equals v.Id
                      join o in db.ContractingOffices.AsNoTracking() on c.OfficeId equals o.Id into held
                      from o in held.DefaultIfEmpty()
                      orderby v.Name, c.Number
                      select new OfficeContractRow(c.Id, c.Number, c.Title, v.Id, v.Name, c.StartsOn, c.EndsOn, c.OfficeId,
                          o == null ? null : o.Name + " (" + o.Code + ")"))
            .ToListAsync(ct);
    }
}
