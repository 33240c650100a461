using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.ToTable("saved_views");
        b.Property(v => v.Grid).HasMaxLength(40);
        b.Property(v => v.Name).HasMaxLength(SavedView.NameLength);
        b.Property(v => v.Query).HasMaxLength(SavedView.QueryLength);
        // One name per grid and account (the handler compares without case and replaces; this backs the exact name). One default
        // per grid and account is an exclusion constraint in the migration, deferred to the commit, so a default moves in one save.
        b.HasIndex(v => new { v.UserId, v.Grid, v.Name }).IsUnique();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
