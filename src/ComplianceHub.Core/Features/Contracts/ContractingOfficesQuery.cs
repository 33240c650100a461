using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
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
