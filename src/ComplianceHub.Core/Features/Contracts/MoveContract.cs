using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>
/// Moves a contract to the office that holds it (or to none): the vendor comes into the sight of that office's officers and
/// auditors and, unless another contract holds it there, leaves the sight of the former office's on their next click.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record MoveContract(Guid ContractId, Guid? OfficeId) : ICommand<OfficeContractRow>;

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
