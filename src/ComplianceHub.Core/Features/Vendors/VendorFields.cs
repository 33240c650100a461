using ComplianceHub.Core.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>The checks a vendor's name and identifiers get, on create and on update.</summary>
internal static class VendorFields
{
    public static void Apply<T>(AbstractValidator<T> v, Func<T, string> name, Func<T, string> cage, Func<T, string> uei)
    {
        v.RuleFor(c => name(c)).NotEmpty().MaximumLength(200).OverridePropertyName("Name");
        v.RuleFor(c => cage(c)).NotEmpty().Matches("^[A-Z0-9]{5}$").WithMessage("A CAGE code is 5 capital letters or digits.").OverridePropertyName("CageCode");
        v.RuleFor(c => uei(c)).NotEmpty().Matches("^[A-Z0-9]{12}$").WithMessage("A UEI is 12 capital letters or digits.").OverridePropertyName("Uei");
    }

    public static async Task<Dictionary<string, string[]>> DuplicatesAsync(ComplianceDbContext db, string name, string cage, string uei, Guid? except,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (await db.Vendors.AnyAsync(v => v.Name == name && v.Id != except, ct)) { errors["Name"] = [$"A vendor named {name} is already recorded."]; }
        if (await db.Vendors.AnyAsync(v => v.CageCode == cage && v.Id != except, ct)) { errors["CageCode"] = [$"CAGE code {cage} is already recorded."]; }
        if (await db.Vendors.AnyAsync(v => v.Uei == uei && v.Id != except, ct)) { errors["Uei"] = [$"UEI {uei} is already recorded."]; }
        return errors;
    }
}
