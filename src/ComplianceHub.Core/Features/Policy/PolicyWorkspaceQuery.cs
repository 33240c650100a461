using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>One version in the policy's history: who drafted it and when, who activated it and when, when it was retired.</summary>
public sealed record PolicyHistoryEntry(Guid Id, int Number, string Name, PolicyStatus Status, string DraftedByName, DateTimeOffset DraftedAt,
    Guid? DraftedBy, string? ActivatedByName, DateTimeOffset? ActivatedAt, DateTimeOffset? RetiredAt);

/// <summary>A grant the draft would change, with the names an officer reads.</summary>
public sealed record ImpactedGrantRow(Guid GrantId, Guid PersonId, string PersonName, Guid VendorId, string VendorName, string SystemName,
    ImpactLevel ImpactLevel, AccessType AccessType, GrantStatus Status, IReadOnlyList<string> RuleIds);

/// <summary>Per vendor: grants the draft would suspend or refuse (each opens a finding per failing rule) and grants it would cure.</summary>
public sealed record VendorImpactRow(Guid VendorId, string VendorName, int NewlyViolating, int FindingsToOpen, int Cured);

/// <summary>The impact preview of a draft, with names: each grant, and counts per vendor.</summary>
public sealed record PolicyImpactReport(IReadOnlyList<ImpactedGrantRow> NewlyViolating, IReadOnlyList<ImpactedGrantRow> Cured,
    IReadOnlyList<VendorImpactRow> ByVendor)
{
    public int FindingsToOpen => NewlyViolating.Sum(g => g.RuleIds.Count);

    /// <summary>Grants of vendors outside the reader's contracting office the draft would suspend or refuse: counted, not listed.</summary>
    public int OtherOfficesNewlyViolating { get; init; }

    /// <summary>Grants of vendors outside the reader's office the draft would cure: counted, not listed.</summary>
    public int OtherOfficesCured { get; init; }
}

/// <summary>
/// The policy page's read model: the version history with people's names, and the impact preview of a draft resolved to
/// people, vendors and systems (<see cref="PolicyImpactQuery"/> computes it).
/// </summary>
public sealed class PolicyWorkspaceQuery(IDbContextFactory<ComplianceDbContext> contexts, PolicyImpactQuery impacts)
{
    /// <summary>Every version, newest first. The rules in force are public to every role, as is who set them.</summary>
    public async Task<IReadOnlyList<PolicyHistoryEntry>> HistoryAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from v in db.PolicyVersions.AsNoTracking()
                      from d in db.Users.Where(u => u.Id == v.DraftedBy).DefaultIfEmpty()
                      from a in db.Users.Where(u => u.Id == v.ActivatedBy).DefaultIfEmpty()
                      orderby v.Number descending
                      select new PolicyHistoryEntry(v.Id, v.Number, v.Name, v.Status,
                          v.DraftedBy == null ? "Seeded with the installation" : d == null ? "Unknown account" : d.DisplayName, v.DraftedAt, v.DraftedBy,
                          v.ActivatedAt == null ? null : v.ActivatedBy == null ? "Seeded with the installation" : a == null ? "Unknown account" : a.DisplayName,
                          v.ActivatedAt, v.RetiredAt))
            .ToListAsync(ct);
    }

    /// <summary>The impact of activating a draft, with names; null when the draft is missing or not a draft. Officers only.</summary>
    public async Task<PolicyImpactReport?> ImpactAsync(Actor actor, Guid draftId, CancellationToken ct = default)
    {
        var impact = await impacts.PreviewAsync(actor, draftId, ct);
        if (impact is null)
        {
            return null;
        }
        var grantIds = impact.NewlyViolating.Concat(impact.Cured).Select(g => g.GrantId).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from g in db.Grants.AsNoTracking()
                          where grantIds.Contains(g.Id)
                          join p in db.People on g.PersonId equals p.Id
                          join v in db.Vendors on p.VendorId equals v.Id
                          join s in db.Systems on g.SystemId equals s.Id
                          select new { g.Id, PersonId = p.Id, p.FullName, VendorId = v.Id, VendorName = v.Name, SystemName = s.Name, s.ImpactLevel, g.AccessType, g.Status })
            .ToDictionaryAsync(r => r.Id, ct);
        ImpactedGrantRow Row(ImpactedGrant g)
        {
            var r = rows[g.GrantId];
            return new ImpactedGrantRow(g.GrantId, r.PersonId, r.FullName, r.VendorId, r.VendorName, r.SystemName, r.ImpactLevel, r.AccessType, r.Status, g.RuleIds);
        }
        var newly = impact.NewlyViolating.Select(Row).OrderBy(r => r.VendorName).ThenBy(r => r.PersonName).ToList();
        var cured = impact.Cured.Select(Row).OrderBy(r => r.VendorName).ThenBy(r => r.PersonName).ToList();
        var byVendor = impact.CountsByVendor
            .Select(c => new VendorImpactRow(c.VendorId, newly.Concat(cured).First(r => r.VendorId == c.VendorId).VendorName, c.NewlyViolating,
                newly.Where(r => r.VendorId == c.VendorId).Sum(r => r.RuleIds.Count), c.Cured))
            .ToList();
        return new PolicyImpactReport(newly, cured, byVendor)
        {
            OtherOfficesNewlyViolating = impact.OtherOfficesNewlyViolating,
            OtherOfficesCured = impact.OtherOfficesCured,
        };
    }
}
