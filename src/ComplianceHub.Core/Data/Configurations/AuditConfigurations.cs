using ComplianceHub.Core.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events", t =>
        {
            t.HasCheckConstraint("ck_audit_events_sequence", "sequence > 0");
            t.HasCheckConstraint("ck_audit_events_hashes", "hash ~ '^[0-9a-f]{64}$' AND previous_hash ~ '^[0-9a-f]{64}$'");
        });
        b.HasKey(e => e.Sequence);
        b.Property(e => e.Sequence).ValueGeneratedNever();
        b.Property(e => e.ActorName).HasMaxLength(200);
        b.Property(e => e.ActorRole).HasMaxLength(40);
        b.Property(e => e.AuthenticationMethod).HasMaxLength(20);
        b.Property(e => e.Operation).HasMaxLength(100);
        b.Property(e => e.SubjectType).HasMaxLength(40);
        b.Property(e => e.SubjectId).HasMaxLength(200);
        b.Property(e => e.Changes).HasColumnType("jsonb");
        b.Property(e => e.RuleOutcomes).HasColumnType("jsonb");
        b.Property(e => e.CorrelationId).HasMaxLength(64);
        b.Property(e => e.ClientAddress).HasMaxLength(RequestOrigin.MaxAddressLength);
        b.Property(e => e.UserAgent).HasMaxLength(RequestOrigin.MaxUserAgentLength);
        b.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength();
        b.Property(e => e.Hash).HasMaxLength(64).IsFixedLength();
        // A fork would be two events on one predecessor: the database refuses it whatever the writer does.
        b.HasIndex(e => e.PreviousHash).IsUnique();
        b.HasIndex(e => e.Hash).IsUnique();
        b.HasIndex(e => e.OccurredAt);
        b.HasIndex(e => new { e.SubjectType, e.SubjectId });
        b.HasIndex(e => e.ActorUserId);
        b.HasIndex(e => e.CorrelationId);
        // The audit trail's vendor filter (events by someone acting for the vendor) and rule filter (rule_outcomes @> '[{"ruleId": …}]').
        b.HasIndex(e => e.ActorVendorId);
        b.HasIndex(e => e.RuleOutcomes).HasMethod("gin").HasOperators("jsonb_path_ops");
    }
}

internal sealed class AuditOffloadCursorConfiguration : IEntityTypeConfiguration<AuditOffloadCursor>
{
    public void Configure(EntityTypeBuilder<AuditOffloadCursor> b)
    {
        // Operational bookkeeping (ADR 0039): one row per off-load destination, updated by the sender after each batch; the
        // application role keeps its default UPDATE on it (0001), unlike the append-only audit tables.
        b.ToTable("audit_offload_cursors", t => t.HasCheckConstraint("ck_audit_offload_cursors_last_sequence", "last_sequence >= 0"));
        b.HasKey(c => c.Destination);
        b.Property(c => c.Destination).HasMaxLength(60);
        b.Property(c => c.LastInstance).HasMaxLength(200);
    }
}

internal sealed class AuditEventSubjectConfiguration : IEntityTypeConfiguration<AuditEventSubject>
{
    public void Configure(EntityTypeBuilder<AuditEventSubject> b)
    {
        // One index, the key: "the events about this subject" is its only question. No foreign key to audit_events: the rows
        // are COPYed with their event in its transaction (AuditRecorder), and the verifier checks them against the chained event.
        b.ToTable("audit_event_subjects");
        b.HasKey(s => new { s.SubjectId, s.Sequence });
        b.Property(s => s.SubjectId).HasMaxLength(200);
        b.Property(s => s.SubjectType).HasMaxLength(40);
    }
}

internal sealed class EvaluationReceiptConfiguration : IEntityTypeConfiguration<EvaluationReceipt>
{
    public void Configure(EntityTypeBuilder<EvaluationReceipt> b)
    {
        b.ToTable("evaluation_receipts");
        b.Property(r => r.Id).UseIdentityAlwaysColumn();
        b.Property(r => r.TransactionId).HasColumnType("xid8").HasDefaultValueSql("pg_current_xact_id()").ValueGeneratedOnAdd();
        b.Property(r => r.SubjectTable).HasMaxLength(60);
        b.HasIndex(r => new { r.TransactionId, r.SubjectTable, r.SubjectId });
    }
}

internal sealed class ChainCheckpointConfiguration : IEntityTypeConfiguration<ChainCheckpoint>
{
    public void Configure(EntityTypeBuilder<ChainCheckpoint> b)
    {
        b.ToTable("chain_checkpoints");
        b.HasKey(c => c.Sequence);
        b.Property(c => c.Sequence).ValueGeneratedNever();
        b.Property(c => c.Hash).HasMaxLength(64).IsFixedLength();
        b.Property(c => c.KeyId).HasMaxLength(64).IsFixedLength();
        b.Ignore(c => c.Text);
    }
}
