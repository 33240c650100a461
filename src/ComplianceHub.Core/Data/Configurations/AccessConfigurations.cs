using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class AccessGrantConfiguration : IEntityTypeConfiguration<AccessGrant>
{
    public void Configure(EntityTypeBuilder<AccessGrant> b)
    {
        b.ToTable("access_grants", t =>
        {
            t.HasCheckConstraint("ck_access_grants_period", "ends_on IS NULL OR ends_on >= starts_on");
            t.HasCheckConstraint("ck_access_grants_active_is_approved", "status <> 'Active' OR approved_by IS NOT NULL");
        });
        b.Property(g => g.AccessType).HasConversion<string>().HasMaxLength(20);
        b.Property(g => g.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(g => g.Justification).HasMaxLength(2000);
        b.Property(g => g.StatusReason).HasMaxLength(2000);
        b.Property(g => g.Version).IsRowVersion();
        b.HasOne<Person>().WithMany().HasForeignKey(g => g.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(g => g.SystemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PolicyVersion>().WithMany().HasForeignKey(g => g.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(g => new { g.PersonId, g.SystemId });
        b.HasIndex(g => new { g.SystemId, g.Status });
        b.HasIndex(g => g.Status);
    }
}

internal sealed class EscortAssignmentConfiguration : IEntityTypeConfiguration<EscortAssignment>
{
    public void Configure(EntityTypeBuilder<EscortAssignment> b)
    {
        b.ToTable("escort_assignments", t =>
        {
            t.HasCheckConstraint("ck_escort_assignments_period", "ends_on >= starts_on");
            t.HasCheckConstraint("ck_escort_assignments_not_self", "escort_id <> person_id");
        });
        b.HasOne<Person>().WithMany().HasForeignKey(a => a.EscortId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(a => a.SystemId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.PersonId, a.SystemId });
        b.HasIndex(a => a.EscortId);
    }
}

internal sealed class EscortRequestConfiguration : IEntityTypeConfiguration<EscortRequest>
{
    public void Configure(EntityTypeBuilder<EscortRequest> b)
    {
        b.ToTable("escort_requests", t =>
        {
            t.HasCheckConstraint("ck_escort_requests_period", "ends_on >= starts_on");
            t.HasCheckConstraint("ck_escort_requests_not_self", "escort_id <> person_id");
            t.HasCheckConstraint("ck_escort_requests_decided", "(status = 'Pending') = (decided_at IS NULL)");
            t.HasCheckConstraint("ck_escort_requests_approved", "(status = 'Approved') = (assignment_id IS NOT NULL)");
        });
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Justification).HasMaxLength(2000);
        b.Property(r => r.RequestedByName).HasMaxLength(200);
        b.Property(r => r.DecidedByName).HasMaxLength(200);
        b.Property(r => r.DecisionReason).HasMaxLength(2000);
        b.HasOne<Domain.Vendors.Vendor>().WithMany().HasForeignKey(r => r.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.EscortId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CloudSystem>().WithMany().HasForeignKey(r => r.SystemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EscortAssignment>().WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.VendorId, r.Status });
        b.HasIndex(r => r.Status);
    }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    /// <summary>Policy version 1, "DoD baseline 2026", seeded with the schema.</summary>
    public static readonly Guid BaselineId = Guid.Parse("0199a000-0000-7000-8000-00000000b001");

    public void Configure(EntityTypeBuilder<PolicyVersion> b)
    {
        b.ToTable("policy_versions");
        b.Property(v => v.Name).HasMaxLength(200);
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(v => v.Parameters).HasColumnType("jsonb");
        b.Property(v => v.Version).IsRowVersion();
        b.HasIndex(v => v.Number).IsUnique();
        // Exactly one active version: the database refuses a second.
        b.HasIndex(v => v.Status).IsUnique().HasFilter("status = 'Active'").HasDatabaseName("ux_policy_versions_one_active");
        b.HasData(PolicyVersion.Seeded(BaselineId, PolicyDefaults.Baseline2026Name, PolicyDefaults.Baseline2026SeededJson,
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}

internal sealed class ReevaluationRunConfiguration : IEntityTypeConfiguration<Domain.Policy.ReevaluationRun>
{
    public void Configure(EntityTypeBuilder<Domain.Policy.ReevaluationRun> b)
    {
        b.ToTable("reevaluation_runs", t => t.HasCheckConstraint("ck_reevaluation_runs_progress", "processed >= 0 AND batches >= 0"));
        b.Property(r => r.Reason).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.StartedByName).HasMaxLength(200);
        b.Property(r => r.Version).IsRowVersion();
        b.Ignore(r => r.Finished);
        b.HasOne<PolicyVersion>().WithMany().HasForeignKey(r => r.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        // The runner looks for unfinished runs; the policy page for the latest.
        b.HasIndex(r => r.StartedAt);
        b.HasIndex(r => r.FinishedAt).HasFilter("finished_at IS NULL").HasDatabaseName("ix_reevaluation_runs_unfinished");
    }
}

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Domain.Findings.Finding>
{
    public void Configure(EntityTypeBuilder<Domain.Findings.Finding> b)
    {
        b.ToTable("findings");
        b.Property(f => f.RuleId).HasMaxLength(40);
        b.Property(f => f.SubjectType).HasMaxLength(40);
        b.Property(f => f.Severity).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Message).HasMaxLength(2000);
        b.Property(f => f.Facts).HasColumnType("jsonb");
        b.Property(f => f.Citation).HasMaxLength(1000);
        b.Property(f => f.Resolution).HasMaxLength(2000);
        b.Property(f => f.Response).HasMaxLength(2000);
        b.Ignore(f => f.IsOpen);
        b.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Vendors.Vendor>().WithMany().HasForeignKey(f => f.VendorId).OnDelete(DeleteBehavior.Restrict);
        // One open finding per rule and subject: the gate reuses it instead of opening a second.
        b.HasIndex(f => new { f.RuleId, f.SubjectType, f.SubjectId }).IsUnique()
            .HasFilter("status IN ('Open', 'Acknowledged')").HasDatabaseName("ux_findings_one_open_per_rule_and_subject");
        b.HasIndex(f => new { f.VendorId, f.Status });
        b.HasIndex(f => f.PersonId);
        b.HasIndex(f => f.SubjectId); // the gate loads the open findings of the grants it evaluates
    }
}

internal sealed class PersonFactRecordConfiguration : IEntityTypeConfiguration<PersonFactRecord>
{
    public void Configure(EntityTypeBuilder<PersonFactRecord> b)
    {
        // Append-only (Sql/0007): the application role may insert and read, never update or delete.
        b.ToTable("person_fact_history", t => t.HasCheckConstraint("ck_person_fact_history_facts_object", "jsonb_typeof(facts) = 'object'"));
        b.Property(c => c.Facts).HasColumnType("jsonb");
        b.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Sources).HasColumnType("jsonb");
        b.Property(c => c.RecordedByName).HasMaxLength(200);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Restrict);
        // "A person's facts at instant T": the person's records in effective order, read from the index.
        b.HasIndex(c => new { c.PersonId, c.EffectiveOn, c.RecordedAt });
    }
}

/// <summary>
/// The fact history one attribute a row: a view over <c>person_fact_history</c> (created by migration FactHistoryPerChange,
/// Sql/0007), so readers that ask about one attribute keep asking in SQL.
/// </summary>
internal sealed class PersonFactChangeConfiguration : IEntityTypeConfiguration<PersonFactChange>
{
    public void Configure(EntityTypeBuilder<PersonFactChange> b)
    {
        b.ToView("person_fact_changes");
        b.HasNoKey();
        b.Property(c => c.Attribute).HasMaxLength(60);
        b.Property(c => c.Value).HasColumnType("jsonb");
        b.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.RecordedByName).HasMaxLength(200);
    }
}

internal sealed class IntegrityFindingConfiguration : IEntityTypeConfiguration<Domain.Findings.IntegrityFinding>
{
    public void Configure(EntityTypeBuilder<Domain.Findings.IntegrityFinding> b)
    {
        b.ToTable("integrity_findings");
        b.Property(f => f.Kind).HasMaxLength(40);
        b.Property(f => f.Message).HasMaxLength(4000);
        b.Property(f => f.Facts).HasColumnType("jsonb");
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Resolution).HasMaxLength(2000);
        // One open finding of each kind: the job that detects the problem again finds it open and adds nothing.
        b.HasIndex(f => f.Kind).IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ux_integrity_findings_one_open_per_kind");
        b.HasIndex(f => f.DetectedAt);
    }
}

internal sealed class WaiverConfiguration : IEntityTypeConfiguration<Domain.Findings.Waiver>
{
    public void Configure(EntityTypeBuilder<Domain.Findings.Waiver> b)
    {
        b.ToTable("waivers", t => t.HasCheckConstraint("ck_waivers_two_person", "approved_by IS NULL OR approved_by <> requested_by"));
        b.Property(w => w.RuleId).HasMaxLength(40);
        b.Property(w => w.SubjectType).HasMaxLength(40);
        b.Property(w => w.Justification).HasMaxLength(4000);
        b.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
        b.HasOne<Domain.Findings.Finding>().WithMany().HasForeignKey(w => w.FindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(w => new { w.SubjectType, w.SubjectId, w.Status });
    }
}

internal sealed class EscortedSessionConfiguration : IEntityTypeConfiguration<EscortedSession>
{
    public void Configure(EntityTypeBuilder<EscortedSession> b)
    {
        b.ToTable("escorted_sessions", t =>
        {
            t.HasCheckConstraint("ck_escorted_sessions_period", "ended_at > started_at");
            t.HasCheckConstraint("ck_escorted_sessions_sign_off", "(signed_off_by IS NULL) = (signed_off_at IS NULL)");
        });
        b.Property(s => s.ChangeTicket).HasMaxLength(100);
        b.Property(s => s.Summary).HasMaxLength(4000);
        b.HasOne<EscortAssignment>().WithMany().HasForeignKey(s => s.AssignmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Vendors.Vendor>().WithMany().HasForeignKey(s => s.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.VendorId, s.EndedAt });
        b.HasIndex(s => s.AssignmentId);
        b.HasIndex(s => s.SignedOffAt);
    }
}

internal sealed class LocationAttestationConfiguration : IEntityTypeConfiguration<Domain.Attestations.LocationAttestation>
{
    public void Configure(EntityTypeBuilder<Domain.Attestations.LocationAttestation> b)
    {
        b.ToTable("location_attestations", t => t.HasCheckConstraint("ck_location_attestations_hash", "content_hash ~ '^[0-9a-f]{64}$'"));
        b.Property(a => a.Statement).HasMaxLength(4000);
        b.Property(a => a.Items).HasColumnType("jsonb");
        b.Property(a => a.SubmittedByName).HasMaxLength(200);
        b.Property(a => a.ContentHash).HasMaxLength(64).IsFixedLength();
        b.Ignore(a => a.People);
        b.HasOne<Domain.Vendors.Vendor>().WithMany().HasForeignKey(a => a.VendorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.VendorId, a.SubmittedAt });
    }
}
