using ComplianceHub.Core.Data;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

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
