using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>Corrects a vendor's name and identifiers (API.md <c>PUT /vendors/{id}</c>), with the version read.</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record UpdateVendor(Guid VendorId, string Version, string Name, string CageCode, string Uei) : ICommand<VendorView>;

public sealed class UpdateVendorValidator : AbstractValidator<UpdateVendor>
{
    public UpdateVendorValidator()
    {
        RuleFor(c => c.Version).NotEmpty().WithMessage("Send the version you read.");
        VendorFields.Apply(this, c => c.Name, c => c.CageCode, c => c.Uei);
    }
}

internal sealed class UpdateVendorHandler : ICommandHandler<UpdateVendor, VendorView>
{
    public async Task<Outcome<VendorView>> HandleAsync(UpdateVendor command, CommandContext context, CancellationToken ct)
    {
        var vendor = await context.Db.Vendors.VisibleTo(context.Actor).SingleOrDefaultAsync(v => v.Id == command.VendorId, ct);
        if (vendor is null)
        {
            return Outcome<VendorView>.NotFound("The vendor");
        }
        if (RowVersion.IsStale(vendor.Version, command.Version))
        {
            return Outcome<VendorView>.Conflict("Someone else changed this vendor since you read it; reload and try again.");
        }
        var errors = await VendorFields.DuplicatesAsync(context.Db, command.Name.Trim(), command.CageCode, command.Uei, vendor.Id, ct);
        if (errors.Count > 0)
        {
            return Outcome<VendorView>.Invalid(errors);
        }
        vendor.Change(command.Name.Trim(), command.CageCode, command.Uei);
        return Outcome<VendorView>.OkAfterSave(() => VendorView.From(vendor));
    }
}
