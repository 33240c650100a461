using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Who may decide an item, in one place for the campaign's start, stage one's confirmation, a reopened (stale) item, a
/// reassignment and the deadline's escalation (ADR 0040, "Must hold"):
/// <list type="bullet">
/// <item>stage one: every active representative of the person's vendor except the grant's requester; with none left, the item
///   goes straight to stage two with a note;</item>
/// <item>stage two: the responsible officers of the contracts in force that cover the system for the vendor (any one of them),
///   except the requester; with none left, the campaign's fallback officer; if the fallback requested the grant too, every
///   other active installation-wide officer.</item>
/// </list>
/// Loaded once per command (representatives, officers and contracts are thousands at most, never per item).
/// </summary>
public sealed class ReviewerRouting
{
    private readonly Dictionary<Guid, List<Guid>> representatives;
    private readonly Dictionary<(Guid Vendor, Guid System), (Guid Contract, List<Guid> Officers)> contracts;
    private readonly HashSet<Guid> officers;
    private readonly List<Guid> installationWideOfficers;
    private readonly Guid fallbackOfficerId;
    private readonly Func<Guid, Guid, bool> seesVendor;

    private ReviewerRouting(Dictionary<Guid, List<Guid>> representatives, Dictionary<(Guid, Guid), (Guid, List<Guid>)> contracts,
        HashSet<Guid> officers, List<Guid> installationWideOfficers, Guid fallbackOfficerId, Func<Guid, Guid, bool> seesVendor)
    {
        this.seesVendor = seesVendor;
        this.representatives = representatives;
        this.contracts = contracts;
        this.officers = officers;
        this.installationWideOfficers = installationWideOfficers;
        this.fallbackOfficerId = fallbackOfficerId;
    }

    /// <summary>What the note says when stage one is skipped for want of another representative.</summary>
    public const string NoOtherRepresentative = "No other representative of the vendor can confirm it (the grant was requested by its only representative): it went straight to the contracting officers.";

    public static async Task<ReviewerRouting> LoadAsync(ComplianceDbContext db, Guid fallbackOfficerId, DateOnly today, CancellationToken ct)
    {
        var repRole = db.AccountsInRole(Roles.VendorRepresentative);
        var reps = await db.Users.AsNoTracking()
            .Where(u => u.VendorId != null && u.DisabledAt == null && !u.IsServiceAccount && repRole.Contains(u.Id))
            .Select(u => new { u.Id, VendorId = u.VendorId!.Value }).ToListAsync(ct);
        var officerRole = db.AccountsInRole(Roles.ContractingOfficer);
        var activeOfficers = await db.Users.AsNoTracking()
            .Where(u => u.DisabledAt == null && !u.IsServiceAccount && officerRole.Contains(u.Id))
            .Select(u => new { u.Id, u.OfficeId }).ToListAsync(ct);
        var officerIds = activeOfficers.Select(o => o.Id).ToHashSet();
        // An officer of a contracting office sees only the vendors the office holds contracts with (ADR 0028): never a
        // reviewer of another vendor's item, even when a contract names them.
        var officeVendors = (await db.Contracts.AsNoTracking().Where(c => c.OfficeId != null)
                .Select(c => new { OfficeId = c.OfficeId!.Value, c.VendorId }).Distinct().ToListAsync(ct))
            .GroupBy(c => c.OfficeId).ToDictionary(g => g.Key, g => g.Select(c => c.VendorId).ToHashSet());
        var officeOf = activeOfficers.Where(o => o.OfficeId != null).ToDictionary(o => o.Id, o => o.OfficeId!.Value);
        bool SeesVendor(Guid officer, Guid vendor) =>
            !officeOf.TryGetValue(officer, out var office) || (officeVendors.TryGetValue(office, out var vendors) && vendors.Contains(vendor));
        var inForce = await db.Contracts.AsNoTracking()
            .Where(c => c.StartsOn <= today && c.EndsOn >= today)
            .OrderBy(c => c.Number)
            .Select(c => new { c.Id, c.VendorId, c.SystemIds, c.ResponsibleOfficerIds }).ToListAsync(ct);
        var covering = new Dictionary<(Guid, Guid), (Guid, List<Guid>)>();
        foreach (var contract in inForce)
        {
            foreach (var system in contract.SystemIds)
            {
                var key = (contract.VendorId, system);
                var responsible = contract.ResponsibleOfficerIds.Where(o => officerIds.Contains(o) && SeesVendor(o, contract.VendorId)).ToList();
                if (covering.TryGetValue(key, out var existing))
                {
                    covering[key] = (existing.Item1, existing.Item2.Union(responsible).Order().ToList());
                }
                else
                {
                    covering[key] = (contract.Id, responsible.Order().ToList());
                }
            }
        }
        return new ReviewerRouting(
            reps.GroupBy(r => r.VendorId).ToDictionary(g => g.Key, g => g.Select(r => r.Id).Order().ToList()),
            covering, officerIds, activeOfficers.Where(o => o.OfficeId == null).Select(o => o.Id).Order().ToList(), fallbackOfficerId, SeesVendor);
    }

    /// <summary>The contract that covers <paramref name="systemId"/> for <paramref name="vendorId"/> (the first by number), if any.</summary>
    public Guid? ContractFor(Guid vendorId, Guid systemId) => contracts.TryGetValue((vendorId, systemId), out var c) ? c.Contract : null;

    /// <summary>Where a new item starts: stage one with the vendor's other representatives, or stage two (with a note when stage one was skipped).</summary>
    public Route Start(Guid vendorId, Guid systemId, Guid requestedBy, bool representativeStage)
    {
        if (representativeStage)
        {
            var reps = StageOne(vendorId, requestedBy);
            if (reps.Count > 0)
            {
                return new Route(1, reps, null);
            }
            var two = StageTwo(vendorId, systemId, requestedBy);
            return two with { Note = two.Note is null ? NoOtherRepresentative : $"{NoOtherRepresentative} {two.Note}" };
        }
        return StageTwo(vendorId, systemId, requestedBy);
    }

    /// <summary>The representatives of <paramref name="vendorId"/> who may confirm an item of a grant <paramref name="requestedBy"/> requested.</summary>
    public List<Guid> StageOne(Guid vendorId, Guid requestedBy) =>
        representatives.TryGetValue(vendorId, out var reps) ? reps.Where(r => r != requestedBy).ToList() : [];

    /// <summary>The officers who may decide an item in stage two.</summary>
    public Route StageTwo(Guid vendorId, Guid systemId, Guid requestedBy)
    {
        if (contracts.TryGetValue((vendorId, systemId), out var c))
        {
            var responsible = c.Officers.Where(o => o != requestedBy).ToList();
            if (responsible.Count > 0)
            {
                return new Route(2, responsible, null);
            }
        }
        var note = c.Officers is { Count: > 0 }
            ? "The contract's only responsible officer requested the grant: the fallback officer decides."
            : "No contract in force names a responsible officer for this system and vendor: the fallback officer decides.";
        return Fallback(requestedBy, note);
    }

    /// <summary>The fallback officer (an escalation), or every other installation-wide officer when the fallback requested the grant.</summary>
    public Route Fallback(Guid requestedBy, string note)
    {
        if (fallbackOfficerId != requestedBy && officers.Contains(fallbackOfficerId))
        {
            return new Route(2, [fallbackOfficerId], note);
        }
        // Installation-wide officers see every vendor.
        var others = installationWideOfficers.Where(o => o != requestedBy).ToList();
        return new Route(2, others, $"{note} The fallback officer cannot decide it (they requested the grant, or their account is disabled): any other installation-wide officer may.");
    }

    /// <summary>Whether <paramref name="accountId"/> may take an item of a grant <paramref name="requestedBy"/> requested in <paramref name="stage"/> (a reassignment's target).</summary>
    public bool Eligible(Guid accountId, int stage, Guid vendorId, Guid requestedBy) =>
        accountId != requestedBy && (stage == 1
            ? representatives.TryGetValue(vendorId, out var reps) && reps.Contains(accountId)
            : officers.Contains(accountId) && seesVendor(accountId, vendorId));
}

/// <summary>An item's stage, its reviewers there, and what the portal noted about the routing (null when nothing unusual).</summary>
public sealed record Route(int Stage, List<Guid> Reviewers, string? Note);
