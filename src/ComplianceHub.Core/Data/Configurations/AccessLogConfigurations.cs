using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class AccessLogImportConfiguration : IEntityTypeConfiguration<AccessLogImport>
{
    public void Configure(EntityTypeBuilder<AccessLogImport> b)
    {
        b.ToTable("access_log_imports", t =>
        {
            t.HasCheckConstraint("ck_access_log_imports_sha256", "sha256 ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_access_log_imports_counts", "entries >= 0 AND added >= 0 AND already_imported >= 0 AND added + already_imported = entries");
        });
        b.Property(i => i.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.FileName).HasMaxLength(260);
        b.Property(i => i.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(i => i.EntriesSha256).HasMaxLength(64);
        b.Property(i => i.GeolocationDatabase).HasMaxLength(300);
        b.Property(i => i.SshdZone).HasMaxLength(100);
        b.Property(i => i.ImportedByName).HasMaxLength(200);
        // One row per vendor and file: the same file again adds nothing (its events are all in) and is answered from this row.
        b.HasIndex(i => new { i.VendorId, i.Sha256 }).IsUnique();
        b.HasIndex(i => i.ImportedAt);
        b.HasOne<Vendor>().WithMany().HasForeignKey(i => i.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(i => i.SystemId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AccessEventConfiguration : IEntityTypeConfiguration<AccessEvent>
{
    public void Configure(EntityTypeBuilder<AccessEvent> b)
    {
        // Written by binary COPY with its import (AccessEventWriter), append-only (Data/Sql/0014_access_events_append_only.sql).
        b.ToTable("access_events", t =>
        {
            t.HasCheckConstraint("ck_access_events_identity_normalized", "identity = lower(btrim(identity))");
            t.HasCheckConstraint("ck_access_events_country", "(country IS NULL) = (unknown <> 'None')");
        });
        b.Property(e => e.Id).UseIdentityAlwaysColumn();
        b.Property(e => e.Identity).HasMaxLength(320);
        b.Property(e => e.SourceAddress).HasMaxLength(100);
        b.Property(e => e.Address).HasColumnType("inet");
        b.Property(e => e.Country).HasMaxLength(2).IsFixedLength();
        b.Property(e => e.Unknown).HasConversion<string>().HasMaxLength(20);
        b.Property(e => e.EventKey).HasMaxLength(100);
        b.Property(e => e.Excerpt).HasMaxLength(500);
        b.HasOne<AccessLogImport>().WithMany().HasForeignKey(e => e.ImportId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Vendor>().WithMany().HasForeignKey(e => e.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(e => e.SystemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId).OnDelete(DeleteBehavior.Restrict);
        // One event per system and key: importing the same events again adds nothing.
        b.HasIndex(e => new { e.SystemId, e.EventKey }).IsUnique();
        // A person's evidence in a window (the rules, the person's page, "access on a day").
        b.HasIndex(e => new { e.PersonId, e.OccurredAt });
        // Unmatched identities of a vendor, and matching them when an alias is added.
        b.HasIndex(e => new { e.VendorId, e.Identity }).HasFilter("person_id IS NULL");
        // An import's lines in order (its report, its entries hash).
        b.HasIndex(e => new { e.ImportId, e.Line });
    }
}

internal sealed class AccessIdentityAliasConfiguration : IEntityTypeConfiguration<AccessIdentityAlias>
{
    public void Configure(EntityTypeBuilder<AccessIdentityAlias> b)
    {
        b.ToTable("access_identity_aliases", t => t.HasCheckConstraint("ck_access_identity_aliases_normalized", "identity = lower(btrim(identity)) AND identity <> ''"));
        b.Property(a => a.Identity).HasMaxLength(320);
        b.Property(a => a.AddedByName).HasMaxLength(200);
        b.HasOne<Vendor>().WithMany().HasForeignKey(a => a.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.VendorId, a.Identity }).IsUnique(); // one identity names one person of a vendor
        b.HasIndex(a => a.PersonId);
    }
}

internal sealed class KnownEgressRangeConfiguration : IEntityTypeConfiguration<KnownEgressRange>
{
    public void Configure(EntityTypeBuilder<KnownEgressRange> b)
    {
        b.ToTable("known_egress_ranges", t => t.HasCheckConstraint("ck_known_egress_ranges_reason", "char_length(btrim(reason)) >= 5"));
        b.Property(r => r.Range).HasColumnType("cidr");
        b.Property(r => r.Reason).HasMaxLength(1000);
        b.Property(r => r.AddedByName).HasMaxLength(200);
        b.Property(r => r.Version).IsRowVersion();
        // Its indexes (unique, and GiST for "is this address in a range") are in Data/Sql/0014: EF cannot index an IPNetwork.
    }
}

internal sealed class GeolocationDatabaseConfiguration : IEntityTypeConfiguration<GeolocationDatabase>
{
    public void Configure(EntityTypeBuilder<GeolocationDatabase> b)
    {
        b.ToTable("geolocation_databases", t => t.HasCheckConstraint("ck_geolocation_databases_sha256", "sha256 ~ '^[0-9a-f]{64}$'"));
        b.Property(d => d.Name).HasMaxLength(200);
        b.Property(d => d.Version).HasMaxLength(100);
        b.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(d => d.Licence).HasMaxLength(500);
        b.Property(d => d.LoadedByName).HasMaxLength(200);
        b.HasIndex(d => d.LoadedAt);
        b.HasOne<GeolocationDatabaseFile>().WithMany().HasForeignKey(d => d.Sha256).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GeolocationDatabaseFileConfiguration : IEntityTypeConfiguration<GeolocationDatabaseFile>
{
    public void Configure(EntityTypeBuilder<GeolocationDatabaseFile> b)
    {
        b.ToTable("geolocation_database_files");
        b.HasKey(f => f.Sha256);
        b.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
    }
}
