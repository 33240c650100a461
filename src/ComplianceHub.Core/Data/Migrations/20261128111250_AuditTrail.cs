using System;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor_vendor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    authentication_method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    event_type = table.Column<int>(type: "integer", nullable: false),
                    operation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false),
                    rule_outcomes = table.Column<string>(type: "jsonb", nullable: false),
                    correlation_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    previous_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.sequence);
                    table.CheckConstraint("ck_audit_events_hashes", "hash ~ '^[0-9a-f]{64}$' AND previous_hash ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_audit_events_sequence", "sequence > 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_actor_user_id",
                table: "audit_events",
                column: "actor_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_correlation_id",
                table: "audit_events",
                column: "correlation_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_hash",
                table: "audit_events",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_occurred_at",
                table: "audit_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_previous_hash",
                table: "audit_events",
                column: "previous_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_subject_type_subject_id",
                table: "audit_events",
                columns: new[] { "subject_type", "subject_id" });
        
            // Append-only: the application role may insert and read; a trigger refuses changes (docs/adr/0006).
            migrationBuilder.Sql(SqlScripts.Read("0002_audit_append_only.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_events_refuse_change();");

            migrationBuilder.DropTable(
                name: "audit_events");
        }
    }
}
