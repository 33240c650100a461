using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class CodeContributionConfiguration : IEntityTypeConfiguration<CodeContribution>
{
    public void Configure(EntityTypeBuilder<CodeContribution> b)
    {
        b.ToTable("code_contributions", t =>
        {
            t.HasCheckConstraint("ck_code_contributions_email_normalized", "author_email = lower(btrim(author_email))");
            t.HasCheckConstraint("ck_code_contributions_matched", "(person_id IS NOT NULL) = (match IN ('Email', 'Alias'))");
            t.HasCheckConstraint("ck_code_contributions_reviewed", "(review_verdict = 'Unreviewed') = (reviewed_at IS NULL)");
            t.HasCheckConstraint("ck_code_contributions_score", "risk_score >= 0");
        });
        b.Property(c => c.Repository).HasMaxLength(200);
        b.Property(c => c.ExternalId).HasMaxLength(100);
        b.Property(c => c.AuthorName).HasMaxLength(200);
        b.Property(c => c.AuthorEmail).HasMaxLength(320);
        b.Property(c => c.Title).HasMaxLength(500);
        b.Property(c => c.Url).HasMaxLength(2000);
        b.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.ImportedByName).HasMaxLength(200);
        b.Property(c => c.Match).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Flags).HasColumnType("jsonb");
        b.Property(c => c.ReviewVerdict).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.ReviewNotes).HasMaxLength(4000);
        b.Property(c => c.ReviewedByName).HasMaxLength(200);
        b.Property(c => c.Version).IsRowVersion();
        b.Ignore(c => c.IsFlagged);
        b.HasOne<Vendor>().WithMany().HasForeignKey(c => c.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(c => c.SystemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Restrict);
        // One row per change: re-importing the same commits finds them and changes nothing.
        b.HasIndex(c => new { c.VendorId, c.SystemId, c.Repository, c.ExternalId }).IsUnique();
        b.HasIndex(c => new { c.VendorId, c.AuthorEmail }); // attribution re-matches by address
        b.HasIndex(c => c.PersonId); // the gate re-flags a person's contributions
        b.HasIndex(c => new { c.ReviewVerdict, c.RiskScore }); // the review queue
        b.HasIndex(c => c.Flags).HasMethod("gin").HasOperators("jsonb_path_ops"); // the flag filter
    }
}

internal sealed class ContributorAliasConfiguration : IEntityTypeConfiguration<ContributorAlias>
{
    public void Configure(EntityTypeBuilder<ContributorAlias> b)
    {
        b.ToTable("contributor_aliases", t => t.HasCheckConstraint("ck_contributor_aliases_email_normalized", "email = lower(btrim(email))"));
        b.Property(a => a.Email).HasMaxLength(320);
        b.Property(a => a.AddedByName).HasMaxLength(200);
        b.HasOne<Vendor>().WithMany().HasForeignKey(a => a.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.VendorId, a.Email }).IsUnique(); // one address names one person of a vendor
        b.HasIndex(a => a.PersonId);
    }
}
