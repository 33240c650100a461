using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

// Enums are stored as bounded strings so a raw table reads the same as the API. Formats that never change
// (CAGE, UEI, country codes) are also CHECK constraints: the database refuses what the validators refuse.

internal sealed class VendorConfiguration : IEntityTypeConfiguration<Vendor>
{
    public void Configure(EntityTypeBuilder<Vendor> b)
    {
        b.ToTable("vendors", t =>
        {
            t.HasCheckConstraint("ck_vendors_cage_code", "cage_code ~ '^[A-Z0-9]{5}$'");
            t.HasCheckConstraint("ck_vendors_uei", "uei ~ '^[A-Z0-9]{12}$'");
        });
        b.Property(v => v.Name).HasMaxLength(200);
        b.Property(v => v.CageCode).HasMaxLength(5);
        b.Property(v => v.Uei).HasMaxLength(12);
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(v => v.Name).IsUnique();
        b.HasIndex(v => v.CageCode).IsUnique();
        b.HasIndex(v => v.Uei).IsUnique();
        b.Property(v => v.Version).IsRowVersion();
    }
}

internal sealed class CloudSystemConfiguration : IEntityTypeConfiguration<CloudSystem>
{
    public void Configure(EntityTypeBuilder<CloudSystem> b)
    {
        b.ToTable("cloud_systems");
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Provider).HasMaxLength(200);
        b.Property(s => s.Environment).HasMaxLength(100);
        b.Property(s => s.ImpactLevel).HasConversion<string>().HasMaxLength(3);
        b.Property(s => s.Version).IsRowVersion();
        b.HasIndex(s => s.Name).IsUnique();
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("people", t =>
        {
            t.HasCheckConstraint("ck_people_citizenships_not_empty", "cardinality(citizenships) > 0");
            t.HasCheckConstraint("ck_people_country_of_birth", "country_of_birth ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_people_work_country", "work_country ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_people_terminated_on",
                "(employment_status = 'Terminated') = (terminated_on IS NOT NULL)");
        });
        b.Property(p => p.EmployeeId).HasMaxLength(64);
        b.Property(p => p.FullName).HasMaxLength(200);
        b.Property(p => p.Email).HasMaxLength(256);
        b.Property(p => p.EmployerType).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.Citizenships).HasColumnType("char(2)[]");
        b.Property(p => p.CountryOfBirth).HasMaxLength(2).IsFixedLength();
        b.Property(p => p.WorkCountry).HasMaxLength(2).IsFixedLength();
        b.Property(p => p.WorkCity).HasMaxLength(100);
        b.Property(p => p.InvestigationTier).HasConversion<string>().HasMaxLength(4);
        b.Property(p => p.Clearance).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.ScreeningStatus).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.ScreeningMatch).HasMaxLength(400);
        b.Property(p => p.EscortQualification).HasConversion<string>().HasMaxLength(20);
        b.Property(p => p.EmploymentStatus).HasConversion<string>().HasMaxLength(20);
        b.Ignore(p => p.IsUsPerson);
        b.Property(p => p.Version).IsRowVersion();
        b.HasOne<Vendor>().WithMany().HasForeignKey(p => p.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Reference.Country>().WithMany().HasForeignKey(p => p.WorkCountry).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Reference.Country>().WithMany().HasForeignKey(p => p.CountryOfBirth).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.VendorId, p.EmployeeId }).IsUnique();
        b.HasIndex(p => p.Citizenships).HasMethod("gin");
        b.HasIndex(p => p.WorkCountry);
        // The roster's default order (name, then id) reads a page of 200,000 people from the index, not a sort.
        b.HasIndex(p => new { p.FullName, p.Id });
    }
}

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.DisabledReason).HasMaxLength(500);
        b.Property(u => u.SmartCardIdentity).HasMaxLength(SmartCardIdentity.MaxLength);
        b.HasIndex(u => u.SmartCardIdentity).IsUnique();
        b.HasOne<Vendor>().WithMany().HasForeignKey(u => u.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.VendorId);
        b.HasOne<Domain.Contracts.ContractingOffice>().WithMany().HasForeignKey(u => u.OfficeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.OfficeId);
    }
}

internal sealed class ApplicationRoleConfiguration : IEntityTypeConfiguration<ApplicationRole>
{
    // The table is renamed in ComplianceDbContext.OnModelCreating, next to Identity's other tables.
    public void Configure(EntityTypeBuilder<ApplicationRole> b) => b.Property(r => r.Name).HasMaxLength(256);
}

internal sealed class ContractConfiguration : IEntityTypeConfiguration<Domain.Contracts.Contract>
{
    public void Configure(EntityTypeBuilder<Domain.Contracts.Contract> b)
    {
        b.ToTable("contracts", t => t.HasCheckConstraint("ck_contracts_period", "ends_on >= starts_on"));
        b.Property(c => c.Number).HasMaxLength(40);
        b.Property(c => c.Title).HasMaxLength(300);
        b.Property(c => c.Version).IsRowVersion();
        b.HasIndex(c => c.Number).IsUnique();
        b.HasIndex(c => c.VendorId);
        // "Which contracts own system S" and "which contracts is officer O responsible for" are array lookups.
        b.HasIndex(c => c.SystemIds).HasMethod("gin");
        b.HasIndex(c => c.ResponsibleOfficerIds).HasMethod("gin");
        b.HasOne<Vendor>().WithMany().HasForeignKey(c => c.VendorId).OnDelete(DeleteBehavior.Restrict);
        // "Which vendors does office O hold": every scoped query of an officer or auditor asks it (ADR 0028).
        b.HasIndex(c => new { c.OfficeId, c.VendorId });
        b.HasOne<Domain.Contracts.ContractingOffice>().WithMany().HasForeignKey(c => c.OfficeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ContractingOfficeConfiguration : IEntityTypeConfiguration<Domain.Contracts.ContractingOffice>
{
    public void Configure(EntityTypeBuilder<Domain.Contracts.ContractingOffice> b)
    {
        b.ToTable("contracting_offices", t => t.HasCheckConstraint("ck_contracting_offices_code", "code ~ '^[A-Z0-9]{6}$'"));
        b.Property(o => o.Code).HasMaxLength(6);
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.Version).IsRowVersion();
        b.HasIndex(o => o.Code).IsUnique();
        b.HasIndex(o => o.Name).IsUnique();
    }
}

internal sealed class RestrictedPartyListConfiguration : IEntityTypeConfiguration<Domain.Screening.RestrictedPartyList>
{
    public void Configure(EntityTypeBuilder<Domain.Screening.RestrictedPartyList> b)
    {
        b.ToTable("restricted_party_lists");
        b.Property(l => l.FileName).HasMaxLength(260);
        b.Property(l => l.Sha256).HasMaxLength(64);
        b.Property(l => l.ImportedByName).HasMaxLength(200);
        b.HasIndex(l => l.Version).IsUnique();
    }
}

internal sealed class RestrictedPartyEntryConfiguration : IEntityTypeConfiguration<Domain.Screening.RestrictedPartyEntry>
{
    public void Configure(EntityTypeBuilder<Domain.Screening.RestrictedPartyEntry> b)
    {
        b.ToTable("restricted_party_entries");
        b.Property(e => e.Key).HasMaxLength(300);
        b.Property(e => e.Source).HasMaxLength(200);
        b.Property(e => e.EntityNumber).HasMaxLength(100);
        b.Property(e => e.Type).HasMaxLength(40);
        b.Property(e => e.Name).HasMaxLength(1000);
        b.HasIndex(e => new { e.ListId, e.Key }).IsUnique();
        b.HasOne<Domain.Screening.RestrictedPartyList>().WithMany().HasForeignKey(e => e.ListId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ScreeningHitConfiguration : IEntityTypeConfiguration<Domain.Screening.ScreeningHit>
{
    public void Configure(EntityTypeBuilder<Domain.Screening.ScreeningHit> b)
    {
        b.ToTable("screening_hits");
        b.Property(h => h.EntryKey).HasMaxLength(300);
        b.Property(h => h.ScreenedName).HasMaxLength(400);
        b.Property(h => h.MatchedName).HasMaxLength(1000);
        b.Property(h => h.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(h => h.Notes).HasMaxLength(4000);
        b.Property(h => h.Version).IsRowVersion();
        b.HasIndex(h => new { h.PersonId, h.Status });
        b.HasIndex(h => new { h.Status, h.VendorId });
        b.HasOne<Person>().WithMany().HasForeignKey(h => h.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Screening.RestrictedPartyEntry>().WithMany().HasForeignKey(h => h.EntryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ScheduledRunConfiguration : IEntityTypeConfiguration<ScheduledRun>
{
    public void Configure(EntityTypeBuilder<ScheduledRun> b)
    {
        b.ToTable("scheduled_runs");
        b.HasKey(r => r.Name);
        b.Property(r => r.Name).HasMaxLength(60);
        b.Property(r => r.LastInstance).HasMaxLength(200);
    }
}

internal sealed class RosterImportRecordConfiguration : IEntityTypeConfiguration<RosterImportRecord>
{
    public void Configure(EntityTypeBuilder<RosterImportRecord> b)
    {
        // One row per vendor and file (ADR 0041): the unique index is what refuses a second application racing the first.
        b.ToTable("roster_imports", t =>
        {
            t.HasCheckConstraint("ck_roster_imports_sha256", "sha256 ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_roster_imports_times_applied", "times_applied >= 1");
        });
        b.HasKey(r => r.Id);
        b.Property(r => r.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(r => r.FileName).HasMaxLength(260);
        b.Property(r => r.AppliedByName).HasMaxLength(200);
        b.HasIndex(r => new { r.VendorId, r.Sha256 }).IsUnique();
        b.HasOne<Vendor>().WithMany().HasForeignKey(r => r.VendorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<Common.Idempotency.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<Common.Idempotency.IdempotencyRecord> b)
    {
        // Operational bookkeeping (ADR 0041), written by IdempotencyStore with SQL; the application role keeps its default
        // UPDATE and DELETE on it (0001): claims are renewed, responses stored, expired keys purged.
        b.ToTable("idempotency_keys", t =>
        {
            t.HasCheckConstraint("ck_idempotency_keys_key", "char_length(key) BETWEEN 1 AND 255");
            t.HasCheckConstraint("ck_idempotency_keys_response_status", "response_status IS NULL OR response_status BETWEEN 100 AND 599");
        });
        b.HasKey(k => new { k.CallerId, k.Key });
        b.Property(k => k.Key).HasMaxLength(255);
        b.Property(k => k.Fingerprint).HasMaxLength(64).IsFixedLength();
        b.Property(k => k.Method).HasMaxLength(10);
        b.Property(k => k.Path).HasMaxLength(2048);
        b.Property(k => k.ResponseContentType).HasMaxLength(200);
        b.Property(k => k.ResponseLocation).HasMaxLength(2048);
        b.HasIndex(k => k.ExpiresAt);
    }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("user_sessions");
        b.Property(s => s.Method).HasMaxLength(20);
        b.Property(s => s.ClientAddress).HasMaxLength(64);
        b.Property(s => s.UserAgent).HasMaxLength(300);
        b.Property(s => s.EndReason).HasMaxLength(40);
        b.Property(s => s.CertificateSubject).HasMaxLength(500);
        b.Property(s => s.CertificateIssuer).HasMaxLength(500);
        b.Property(s => s.CertificateSerial).HasMaxLength(64);
        // A user's sessions, newest first: the sessions lists, and ending them all on a disable, role or password change.
        b.HasIndex(s => new { s.UserId, s.CreatedAt });
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.Property(t => t.Hint).HasMaxLength(16);
        // No model default (a default would turn an explicit ReadOnly, the enum's zero, into the default); the migration gives
        // tokens made before scopes existed "ReadWrite", so they keep working as they did.
        b.Property(t => t.Scope).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.OwnerUserId);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
