using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// Gives pending items of a campaign to another reviewer (<see cref="ReassignAccessReviewItems"/>), all or nothing. Each item
/// must be in sight and pending, and the actor one of its reviewers now — a representative in stage one, an officer in stage
/// two; an installation-wide officer may reassign any stage-two item. The new reviewer must be able to decide every item
/// (<see cref="ReviewerRouting.Eligible"/>: an active representative of the item's vendor in stage one, an active officer in
/// stage two, never the grant's requester) and, in stage two, see the item's vendor (an officer of a contracting office sees
/// only the vendors the office holds contracts with); otherwise the reviewer field is refused in words. The item's note
/// records who reassigned it and why; the change is audited with the item.
/// </summary>
internal sealed class ReassignAccessReviewItemsHandler : ICommandHandler<ReassignAccessReviewItems, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(ReassignAccessReviewItems command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var actor = context.Actor;
        var campaign = await db.AccessReviewCampaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == command.CampaignId, ct);
        if (campaign is null || !await DecideAccessReviewItemsHandler.SeesCampaignAsync(db, actor, campaign.Id, ct))
        {
            return Outcome<BulkResult>.NotFound("The access review");
        }
        if (!campaign.IsOpen)
        {
            return Outcome<BulkResult>.Conflict($"The access review closed on {campaign.ClosedAt:yyyy-MM-dd} (UTC): its items can no longer be reassigned.");
        }
        var ids = command.Ids;
        var items = await db.AccessReviewItems.VisibleTo(actor).Where(i => i.CampaignId == campaign.Id && ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var personIds = items.Values.Select(i => i.PersonId).Distinct().ToList();
        var systemIds = items.Values.Select(i => i.SystemId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        var systems = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string Label(AccessReviewItem i) => $"{people.GetValueOrDefault(i.PersonId, "A person")} on {systems.GetValueOrDefault(i.SystemId, "a system")}";

        var me = actor.UserId;
        var stage = actor.IsVendorRepresentative ? 1 : 2;
        var installationWide = actor.IsContractingOfficer && actor.OfficeId is null;
        var refused = Bulk.Check(ids, items, Label, i => !i.IsPending
            ? "It is already decided: only a pending item can go to another reviewer."
            : i.Stage != stage
                ? stage == 1
                    ? "The contracting officers decide it now: a representative reassigns items in the first stage only."
                    : "It waits for the vendor's representative: an officer reassigns items once they reach the officers."
                : !i.ReviewerIds.Contains(me) && !(installationWide && i.Stage == 2)
                    ? "It is not yours to reassign: only its reviewers (or an installation-wide officer) may give it to someone else."
                    : null);
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, items.Count < ids.Count);
        }

        // The new reviewer: who they are, and whether they can decide every item.
        var target = await db.Users.AsNoTracking().Where(u => u.Id == command.ReviewerId)
            .Select(u => new { u.Id, u.DisplayName, u.OfficeId }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return ReviewerError("Choose an active account to review the items; the one chosen does not exist.");
        }
        var routing = await ReviewerRouting.LoadAsync(db, campaign.FallbackOfficerId, context.Today, ct);
        var theirs = items.Values.Where(i => i.GrantRequestedBy == target.Id).ToList();
        if (theirs.Count > 0)
        {
            return ReviewerError($"{target.DisplayName} requested the grant of {Describe(theirs, Label)}, and nobody reviews access they requested: choose someone else.");
        }
        var ineligible = items.Values.Where(i => !routing.Eligible(target.Id, i.Stage, i.VendorId, i.GrantRequestedBy)).ToList();
        if (ineligible.Count > 0)
        {
            return ReviewerError(stage == 1
                ? $"{target.DisplayName} is not an active representative of the vendor of {Describe(ineligible, Label)}: choose another representative of the same vendor."
                : $"{target.DisplayName} is not an active contracting officer, so cannot decide {Describe(ineligible, Label)}: choose an active contracting officer.");
        }
        if (stage == 2 && target.OfficeId is { } office)
        {
            var vendorsOfOffice = await db.Contracts.AsNoTracking().Where(c => c.OfficeId == office).Select(c => c.VendorId).Distinct().ToListAsync(ct);
            var outOfSight = items.Values.Where(i => !vendorsOfOffice.Contains(i.VendorId)).ToList();
            if (outOfSight.Count > 0)
            {
                var officeName = await db.ContractingOffices.AsNoTracking().Where(o => o.Id == office).Select(o => o.Name).SingleOrDefaultAsync(ct) ?? "another office";
                return ReviewerError($"{target.DisplayName} acts for {officeName}, which holds no contract with the vendor of {Describe(outOfSight, Label)}: choose an officer who can see that vendor.");
            }
        }

        var note = $"Reassigned by {actor.DisplayName}: {command.Reason.Trim()}";
        note = note.Length <= 2000 ? note : note[..1999] + "…";
        foreach (var item in items.Values)
        {
            item.Reassign([target.Id], note);
        }
        return Outcome<BulkResult>.Ok(new BulkResult(items.Count, ids));
    }

    private static Outcome<BulkResult> ReviewerError(string message) =>
        Outcome<BulkResult>.Invalid(new Dictionary<string, string[]> { [nameof(ReassignAccessReviewItems.ReviewerId)] = [message] });

    /// <summary>"Ann Lee on Payroll", "Ann Lee on Payroll and Bo Chen on Ledger", "3 items (Ann Lee on Payroll, …)".</summary>
    private static string Describe(IReadOnlyList<AccessReviewItem> items, Func<AccessReviewItem, string> label) => items.Count switch
    {
        1 => label(items[0]),
        2 => $"{label(items[0])} and {label(items[1])}",
        _ => $"{items.Count:N0} of the items ({string.Join(", ", items.Take(3).Select(label))}{(items.Count > 3 ? ", …" : "")})",
    };
}
