using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditEventSubjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_event_subjects",
                columns: table => new
                {
                    subject_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_event_subjects", x => new { x.subject_id, x.sequence });
                });

            // Append-only like the trail (ADR 0022).
            migrationBuilder.Sql(SqlScripts.Read("0009_audit_event_subjects.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS audit_event_subjects_refuse_change() CASCADE;");
            migrationBuilder.DropTable(
                name: "audit_event_subjects");
        }
    }
}
