using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>A vendor as the API shows it.</summary>
public sealed record VendorView(Guid Id, string Name, string CageCode, string Uei, VendorStatus Status, string Version)
{
    public static VendorView From(Vendor v) => new(v.Id, v.Name, v.CageCode, v.Uei, v.Status, v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A cloud system as the API shows it.</summary>
public sealed record SystemView(Guid Id, string Name, string Provider, string Environment, ImpactLevel ImpactLevel, string Version)
{
    public static SystemView From(CloudSystem s) => new(s.Id, s.Name, s.Provider, s.Environment, s.ImpactLevel,
        s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A system and what changing it caused (a new impact level re-evaluates every grant on it).</summary>
public sealed record SystemSaved(SystemView System, ConsequencesView Consequences);

/// <summary>Records a vendor (API.md <c>POST /vendors</c>).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateVendor(string Name, string CageCode, string Uei) : ICommand<VendorView>;

/// <summary>Corrects a vendor's name and identifiers (API.md <c>PUT /vendors/{id}</c>), with the version read.</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record UpdateVendor(Guid VendorId, string Version, string Name, string CageCode, string Uei) : ICommand<VendorView>;

/// <summary>Records a cloud system (API.md <c>POST /systems</c>).</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record CreateSystem(string Name, string Provider, string Environment, ImpactLevel ImpactLevel) : ICommand<SystemView>;

/// <summary>Changes a cloud system (API.md <c>PUT /systems/{id}</c>); a new impact level is a fact change with consequences.</summary>
[AllowedRoles(Roles.Administrator, Roles.ContractingOfficer)]
public sealed record UpdateSystem(Guid SystemId, string Version, string Name, string Provider, string Environment, ImpactLevel ImpactLevel)
    : ICommand<SystemSaved>;

internal static class VendorRules
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

    public static void SystemFields<T>(AbstractValidator<T> v, Func<T, string> name, Func<T, string> provider, Func<T, string> environment, Func<T, ImpactLevel> level)
    {
        v.RuleFor(c => name(c)).NotEmpty().MaximumLength(200).OverridePropertyName("Name");
        v.RuleFor(c => provider(c)).NotEmpty().MaximumLength(200).OverridePropertyName("Provider");
        v.RuleFor(c => environment(c)).NotEmpty().MaximumLength(100).OverridePropertyName("Environment");
        v.RuleFor(c => level(c)).IsInEnum().OverridePropertyName("ImpactLevel");
    }

    public static bool Stale(uint current, string version) =>
        !uint.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var read) || read != current;
}

public sealed class CreateVendorValidator : AbstractValidator<CreateVendor>
{
    public CreateVendorValidator() => VendorRules.Apply(this, c => c.Name, c => c.CageCode, c => c.Uei);
}

public sealed class UpdateVendorValidator : AbstractValidator<UpdateVendor>
{
    public UpdateVendorValidator()
    {
        RuleFor(c => c.Version).NotEmpty().WithMessage("Send the version you read.");
        VendorRules.Apply(this, c => c.Name, c => c.CageCode, c => c.Uei);
    }
}

public sealed class CreateSystemValidator : AbstractValidator<CreateSystem>
{
    public CreateSystemValidator() => VendorRules.SystemFields(this, c => c.Name, c => c.Provider, c => c.Environment, c => c.ImpactLevel);
}

public sealed class UpdateSystemValidator : AbstractValidator<UpdateSystem>
{
    public UpdateSystemValidator()
    {
        RuleFor(c => c.Version).NotEmpty().WithMessage("Send the version you read.");
        VendorRules.SystemFields(this, c => c.Name, c => c.Provider, c => c.Environment, c => c.ImpactLevel);
    }
}

internal sealed class CreateVendorHandler : ICommandHandler<CreateVendor, VendorView>
{
    public async Task<Outcome<VendorView>> HandleAsync(CreateVendor command, CommandContext context, CancellationToken ct)
    {
        var errors = await VendorRules.DuplicatesAsync(context.Db, command.Name.Trim(), command.CageCode, command.Uei, null, ct);
        if (errors.Count > 0)
        {
            return Outcome<VendorView>.Invalid(errors);
        }
        var vendor = new Vendor(Guid.CreateVersion7(), command.Name.Trim(), command.CageCode, command.Uei);
        context.Db.Vendors.Add(vendor);
        return Outcome<VendorView>.OkAfterSave(() => VendorView.From(vendor));
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
        if (VendorRules.Stale(vendor.Version, command.Version))
        {
            return Outcome<VendorView>.Conflict("Someone else changed this vendor since you read it; reload and try again.");
        }
        var errors = await VendorRules.DuplicatesAsync(context.Db, command.Name.Trim(), command.CageCode, command.Uei, vendor.Id, ct);
        if (errors.Count > 0)
        {
            return Outcome<VendorView>.Invalid(errors);
        }
        vendor.Change(command.Name.Trim(), command.CageCode, command.Uei);
        return Outcome<VendorView>.OkAfterSave(() => VendorView.From(vendor));
    }
}

internal sealed class CreateSystemHandler : ICommandHandler<CreateSystem, SystemView>
{
    public Task<Outcome<SystemView>> HandleAsync(CreateSystem command, CommandContext context, CancellationToken ct)
    {
        var system = new CloudSystem(Guid.CreateVersion7(), command.Name.Trim(), command.Provider.Trim(), command.Environment.Trim(), command.ImpactLevel);
        context.Db.Systems.Add(system);
        return Task.FromResult(Outcome<SystemView>.OkAfterSave(() => SystemView.From(system)));
    }
}

internal sealed class UpdateSystemHandler : ICommandHandler<UpdateSystem, SystemSaved>
{
    public async Task<Outcome<SystemSaved>> HandleAsync(UpdateSystem command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var system = await db.Systems.SingleOrDefaultAsync(s => s.Id == command.SystemId, ct);
        if (system is null)
        {
            return Outcome<SystemSaved>.NotFound("The system");
        }
        if (!context.Actor.SeesEveryVendor)
        {
            // A new impact level re-evaluates every grant on the system, other offices' vendors' too (ADR 0028).
            return Outcome<SystemSaved>.Forbidden("Cloud systems are shared by every contracting office: an administrator or an " +
                "installation-wide contracting officer changes them.");
        }
        if (VendorRules.Stale(system.Version, command.Version))
        {
            return Outcome<SystemSaved>.Conflict("Someone else changed this system since you read it; reload and try again.");
        }
        system.Change(command.Name.Trim(), command.Provider.Trim(), command.Environment.Trim(), command.ImpactLevel);
        return Outcome<SystemSaved>.OkAfterSave(() => new SystemSaved(SystemView.From(system), db.Consequences.ToView()));
    }
}
