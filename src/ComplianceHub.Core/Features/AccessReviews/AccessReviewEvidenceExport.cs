using System.Text.Json;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.Evidence;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>
/// The access reviews of an evidence package (ADR 0017, 0040): <see cref="EvidencePackage.AccessReviewCampaigns"/>, the campaigns
/// that ran at some moment of the range (started before its end, not closed before its start) with their settings as started,
/// and <see cref="EvidencePackage.AccessReviewItems"/>, every item of those campaigns, streamed campaign by campaign in id order
/// (a campaign may hold 100,000 items: the rows are never held). Full records, as the package's other files: ids and stored
/// values, not words; status as at generation.
/// </summary>
internal static class AccessReviewEvidence
{
    /// <summary>The campaigns that ran during <paramref name="range"/>.</summary>
    public static IQueryable<AccessReviewCampaign> Campaigns(ComplianceDbContext db, EvidenceRange range) =>
        db.AccessReviewCampaigns.AsNoTracking().Where(c => c.StartedAt < range.End && (c.ClosedAt == null || c.ClosedAt >= range.Start));

    public static void WriteCampaign(Utf8JsonWriter w, AccessReviewCampaign c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("definitionId", c.DefinitionId);
        w.WriteString("name", c.Name);
        w.WritePropertyName("scope");
        w.WriteRawValue(c.ScopeJsonText);
        w.WriteBoolean("representativeStage", c.RepresentativeStage);
        w.WriteString("fallbackOfficerId", c.FallbackOfficerId);
        w.WriteStartArray("reminderDays");
        foreach (var day in c.ReminderDays)
        {
            w.WriteNumberValue(day);
        }
        w.WriteEndArray();
        w.WriteString("deadlineAction", c.DeadlineAction.ToString());
        w.WriteNumber("escalationDays", c.EscalationDays);
        w.WriteString("commentRule", c.CommentRule.ToString());
        w.WriteString("startedBy", c.StartedBy == Guid.Empty ? null : c.StartedBy.ToString());
        w.WriteString("startedByName", c.StartedByName);
        w.WriteString("startedAt", EvidencePackage.Instant(c.StartedAt));
        w.WriteString("deadline", EvidencePackage.Instant(c.Deadline));
        w.WriteString("escalatedAt", c.Escalated is { } e ? EvidencePackage.Instant(e) : null);
        w.WriteString("status", c.Status.ToString());
        w.WriteString("closedAt", c.ClosedAt is { } closed ? EvidencePackage.Instant(closed) : null);
        w.WriteString("closeReason", c.CloseReason?.ToString());
        w.WriteNumber("itemCount", c.ItemCount);
        w.WriteNumber("pendingCount", c.PendingCount);
        w.WriteString("itemsDigest", c.ItemsDigest);
        w.WriteEndObject();
    }

    /// <summary>The items of the range's campaigns, campaign by campaign (by start), each read by keyset over its ids in pages.</summary>
    public static async IAsyncEnumerable<AccessReviewItem> ItemRows(ComplianceDbContext db, EvidenceRange range,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var campaigns = await Campaigns(db, range).OrderBy(c => c.StartedAt).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        foreach (var campaign in campaigns)
        {
            var after = Guid.Empty;
            while (true)
            {
                var from = after;
                var page = await db.AccessReviewItems.AsNoTracking().Where(i => i.CampaignId == campaign && i.Id > from)
                    .OrderBy(i => i.Id).Take(AccessReviewsQuery.StreamPageSize).ToListAsync(ct);
                foreach (var item in page)
                {
                    yield return item;
                }
                if (page.Count < AccessReviewsQuery.StreamPageSize)
                {
                    break;
                }
                after = page[^1].Id;
            }
        }
    }

    public static void WriteItem(Utf8JsonWriter w, AccessReviewItem i)
    {
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        w.WriteString("campaignId", i.CampaignId);
        w.WriteString("grantId", i.GrantId);
        w.WriteString("personId", i.PersonId);
        w.WriteString("vendorId", i.VendorId);
        w.WriteString("systemId", i.SystemId);
        w.WriteString("contractId", i.ContractId?.ToString());
        w.WriteString("accessType", i.AccessType.ToString());
        w.WriteBoolean("escorted", i.Escorted);
        w.WriteBoolean("foreignNational", i.ForeignNational);
        w.WriteString("grantRequestedBy", i.GrantRequestedBy);
        w.WriteString("recommendation", i.Recommendation.ToString());
        w.WriteString("recommendationReason", i.RecommendationReason);
        w.WriteNumber("stage", i.Stage);
        w.WriteStartArray("reviewerIds");
        foreach (var reviewer in i.ReviewerIds)
        {
            w.WriteStringValue(reviewer);
        }
        w.WriteEndArray();
        w.WriteString("status", i.Status.ToString());
        w.WriteString("note", i.Note);
        w.WriteString("stageOneDecision", i.StageOneDecision?.ToString());
        w.WriteString("stageOneBy", i.StageOneBy?.ToString());
        w.WriteString("stageOneAt", i.StageOneAt is { } s ? EvidencePackage.Instant(s) : null);
        w.WriteString("stageOneComment", i.StageOneComment);
        w.WriteString("decision", i.Decision?.ToString());
        w.WriteString("decidedBy", i.DecidedBy is { } by && by != Guid.Empty ? by.ToString() : null);
        w.WriteString("decidedAt", i.DecidedAt is { } d ? EvidencePackage.Instant(d) : null);
        w.WriteString("comment", i.Comment);
        w.WriteBoolean("decidedAtDeadline", i.DecidedAtDeadline);
        w.WritePropertyName("decisionSnapshot");
        if (i.DecisionSnapshot is { } snapshot)
        {
            w.WriteRawValue(snapshot);
        }
        else
        {
            w.WriteNullValue();
        }
        w.WriteBoolean("stale", i.Stale);
        w.WriteString("staleReason", i.StaleReason);
        w.WriteString("staleAt", i.StaleAt is { } st ? EvidencePackage.Instant(st) : null);
        w.WriteBoolean("flaggedForNext", i.FlaggedForNext);
        w.WriteString("reducedGrantId", i.ReducedGrantId?.ToString());
        w.WriteEndObject();
    }
}
