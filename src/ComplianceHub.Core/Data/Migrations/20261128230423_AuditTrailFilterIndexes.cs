using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// The audit trail's filters on millions of events: events by someone acting for a vendor (btree on actor_vendor_id),
    /// and events whose rule outcomes name a rule (GIN, jsonb_path_ops, for <c>rule_outcomes @&gt; '[{"ruleId": …}]'</c>).
    /// </summary>
    public partial class AuditTrailFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_audit_events_actor_vendor_id",
                table: "audit_events",
                column: "actor_vendor_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_rule_outcomes",
                table: "audit_events",
                column: "rule_outcomes")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_events_actor_vendor_id",
                table: "audit_events");

            migrationBuilder.DropIndex(
                name: "ix_audit_events_rule_outcomes",
                table: "audit_events");
        }
    }
}
