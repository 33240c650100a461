using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class AccessReviewDefinitionConfiguration : IEntityTypeConfiguration<AccessReviewDefinition>
{
    public void Configure(EntityTypeBuilder<AccessReviewDefinition> b)
    {
        b.ToTable("access_review_definitions", t =>
        {
            t.HasCheckConstraint("ck_access_review_definitions_duration", "duration_days BETWEEN 1 AND 365");
            t.HasCheckConstraint("ck_access_review_definitions_escalation", "escalation_days BETWEEN 1 AND 90");
        });
        b.Ignore(d => d.Scope);
        b.Property(d => d.Name).HasMaxLength(200);
        b.Property(d => d.ScopeJsonText).HasColumnName("scope").HasColumnType("jsonb");
        b.Property(d => d.DeadlineAction).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.CommentRule).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Recurrence).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Version).IsRowVersion();
        b.HasIndex(d => d.Name).IsUnique();
        b.HasIndex(d => d.NextStartOn);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.FallbackOfficerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AccessReviewCampaignConfiguration : IEntityTypeConfiguration<AccessReviewCampaign>
{
    public void Configure(EntityTypeBuilder<AccessReviewCampaign> b)
    {
        b.ToTable("access_review_campaigns", t =>
        {
            t.HasCheckConstraint("ck_access_review_campaigns_closed", "(status = 'Closed') = (closed_at IS NOT NULL)");
            t.HasCheckConstraint("ck_access_review_campaigns_counts", "pending_count BETWEEN 0 AND item_count");
        });
        b.Ignore(c => c.Scope);
        b.Property(c => c.Name).HasMaxLength(240);
        b.Property(c => c.ScopeJsonText).HasColumnName("scope").HasColumnType("jsonb");
        b.Property(c => c.StartedByName).HasMaxLength(200);
        b.Property(c => c.DeadlineAction).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.CommentRule).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.CloseReason).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.ItemsDigest).HasMaxLength(64);
        b.Property(c => c.Version).IsRowVersion();
        b.HasOne<AccessReviewDefinition>().WithMany().HasForeignKey(c => c.DefinitionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.Status, c.Deadline });
        b.HasIndex(c => new { c.DefinitionId, c.StartedAt });
    }
}

internal sealed class AccessReviewItemConfiguration : IEntityTypeConfiguration<AccessReviewItem>
{
    public void Configure(EntityTypeBuilder<AccessReviewItem> b)
    {
        b.ToTable("access_review_items", t =>
        {
            t.HasCheckConstraint("ck_access_review_items_stage", "stage IN (1, 2)");
            t.HasCheckConstraint("ck_access_review_items_decided", "(status IN ('Pending', 'Ended')) = (decided_at IS NULL)");
        });
        b.Property(i => i.AccessType).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Recommendation).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.RecommendationReason).HasMaxLength(2000);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Note).HasMaxLength(2000);
        b.Property(i => i.StageOneDecision).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.StageOneComment).HasMaxLength(2000);
        b.Property(i => i.Decision).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Comment).HasMaxLength(2000);
        b.Property(i => i.DecisionSnapshot).HasColumnType("jsonb");
        b.Property(i => i.StaleReason).HasMaxLength(2000);
        b.Property(i => i.Version).IsRowVersion();
        b.HasOne<AccessReviewCampaign>().WithMany().HasForeignKey(i => i.CampaignId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AccessGrant>().WithMany().HasForeignKey(i => i.GrantId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(i => i.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Vendor>().WithMany().HasForeignKey(i => i.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(i => i.SystemId).OnDelete(DeleteBehavior.Restrict);
        // One item per grant and campaign; the campaign's list in id order (keyset paging, bulk decisions in chunks).
        b.HasIndex(i => new { i.CampaignId, i.GrantId }).IsUnique();
        b.HasIndex(i => new { i.CampaignId, i.Status, i.VendorId });
        // A reviewer's queue: "pending items I may decide" is an array lookup.
        b.HasIndex(i => i.ReviewerIds).HasMethod("gin");
        // A fact change finds the kept items of the grants it touches.
        b.HasIndex(i => i.GrantId);
        b.HasIndex(i => i.PersonId);
    }
}
