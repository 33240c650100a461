using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Vendors;
using FluentValidation;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>Records a vendor (API.md <c>POST /vendors</c>).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateVendor(string Name, string CageCode, string Uei) : ICommand<VendorView>;

public sealed class CreateVendorValidator : AbstractValidator<CreateVendor>
{
    public CreateVendorValidator() => VendorFields.Apply(this, c => c.Name, c => c.CageCode, c => c.Uei);
}

internal sealed class CreateVendorHandler : ICommandHandler<CreateVendor, VendorView>
{
    public async Task<Outcome<VendorView>> HandleAsync(CreateVendor command, CommandContext context, CancellationToken ct)
    {
        var errors = await VendorFields.DuplicatesAsync(context.Db, command.Name.Trim(), command.CageCode, command.Uei, null, ct);
        if (errors.Count > 0)
        {
            return Outcome<VendorView>.Invalid(errors);
        }
        var vendor = new Vendor(Guid.CreateVersion7(), command.Name.Trim(), command.CageCode, command.Uei);
        context.Db.Vendors.Add(vendor);
        return Outcome<VendorView>.OkAfterSave(() => VendorView.From(vendor));
    }
}
