using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReevaluationRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reevaluation_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    policy_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    policy_number = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_by = table.Column<Guid>(type: "uuid", nullable: true),
                    started_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    batches = table.Column<int>(type: "integer", nullable: false),
                    suspended = table.Column<int>(type: "integer", nullable: false),
                    revoked = table.Column<int>(type: "integer", nullable: false),
                    reactivated = table.Column<int>(type: "integer", nullable: false),
                    findings_opened = table.Column<int>(type: "integer", nullable: false),
                    findings_closed = table.Column<int>(type: "integer", nullable: false),
                    last_grant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    superseded_by_version = table.Column<int>(type: "integer", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reevaluation_runs", x => x.id);
                    table.CheckConstraint("ck_reevaluation_runs_progress", "processed >= 0 AND batches >= 0");
                    table.ForeignKey(
                        name: "fk_reevaluation_runs_policy_versions_policy_version_id",
                        column: x => x.policy_version_id,
                        principalTable: "policy_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_policy_version_id",
                table: "reevaluation_runs",
                column: "policy_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_started_at",
                table: "reevaluation_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_unfinished",
                table: "reevaluation_runs",
                column: "finished_at",
                filter: "finished_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reevaluation_runs");
        }
    }
}
