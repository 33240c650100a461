using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Contracts;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>A contract as the API shows it: its vendor, the systems it covers and the contracting office holding it (none: no office).</summary>
public sealed record ContractView(Guid Id, Guid VendorId, string Number, string Title, DateOnly StartsOn, DateOnly EndsOn,
    IReadOnlyList<Guid> ResponsibleOfficerIds, IReadOnlyList<Guid> SystemIds, Guid? OfficeId = null)
{
    public static ContractView From(Contract c) => new(c.Id, c.VendorId, c.Number, c.Title, c.StartsOn, c.EndsOn, c.ResponsibleOfficerIds, c.SystemIds,
        c.OfficeId);
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
