using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_review_definitions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    scope = table.Column<string>(type: "jsonb", nullable: false),
                    representative_stage = table.Column<bool>(type: "boolean", nullable: false),
                    fallback_officer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    duration_days = table.Column<int>(type: "integer", nullable: false),
                    reminder_days = table.Column<List<int>>(type: "integer[]", nullable: false),
                    deadline_action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escalation_days = table.Column<int>(type: "integer", nullable: false),
                    comment_rule = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recurrence = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    next_start_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_review_definitions", x => x.id);
                    table.CheckConstraint("ck_access_review_definitions_duration", "duration_days BETWEEN 1 AND 365");
                    table.CheckConstraint("ck_access_review_definitions_escalation", "escalation_days BETWEEN 1 AND 90");
                    table.ForeignKey(
                        name: "fk_access_review_definitions_users_fallback_officer_id",
                        column: x => x.fallback_officer_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "access_review_campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    definition_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(240)", maxLength: 240, nullable: false),
                    scope = table.Column<string>(type: "jsonb", nullable: false),
                    representative_stage = table.Column<bool>(type: "boolean", nullable: false),
                    fallback_officer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reminder_days = table.Column<List<int>>(type: "integer[]", nullable: false),
                    deadline_action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escalation_days = table.Column<int>(type: "integer", nullable: false),
                    comment_rule = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_by = table.Column<Guid>(type: "uuid", nullable: false),
                    started_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    escalated = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    close_reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    item_count = table.Column<int>(type: "integer", nullable: false),
                    items_digest = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    pending_count = table.Column<int>(type: "integer", nullable: false),
                    reminders_sent = table.Column<List<int>>(type: "integer[]", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_review_campaigns", x => x.id);
                    table.CheckConstraint("ck_access_review_campaigns_closed", "(status = 'Closed') = (closed_at IS NOT NULL)");
                    table.CheckConstraint("ck_access_review_campaigns_counts", "pending_count BETWEEN 0 AND item_count");
                    table.ForeignKey(
                        name: "fk_access_review_campaigns_access_review_definitions_definitio",
                        column: x => x.definition_id,
                        principalTable: "access_review_definitions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "access_review_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    grant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contract_id = table.Column<Guid>(type: "uuid", nullable: true),
                    access_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escorted = table.Column<bool>(type: "boolean", nullable: false),
                    foreign_national = table.Column<bool>(type: "boolean", nullable: false),
                    grant_requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    recommendation = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recommendation_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    stage = table.Column<int>(type: "integer", nullable: false),
                    reviewer_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    stage_one_decision = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    stage_one_by = table.Column<Guid>(type: "uuid", nullable: true),
                    stage_one_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    stage_one_comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    decision = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    decided_at_deadline = table.Column<bool>(type: "boolean", nullable: false),
                    decision_snapshot = table.Column<string>(type: "jsonb", nullable: true),
                    stale = table.Column<bool>(type: "boolean", nullable: false),
                    stale_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    stale_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    flagged_for_next = table.Column<bool>(type: "boolean", nullable: false),
                    reduced_grant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_review_items", x => x.id);
                    table.CheckConstraint("ck_access_review_items_decided", "(status IN ('Pending', 'Ended')) = (decided_at IS NULL)");
                    table.CheckConstraint("ck_access_review_items_stage", "stage IN (1, 2)");
                    table.ForeignKey(
                        name: "fk_access_review_items_access_grants_grant_id",
                        column: x => x.grant_id,
                        principalTable: "access_grants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_review_items_access_review_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "access_review_campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_review_items_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_review_items_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_review_items_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_review_campaigns_definition_id_started_at",
                table: "access_review_campaigns",
                columns: new[] { "definition_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_access_review_campaigns_status_deadline",
                table: "access_review_campaigns",
                columns: new[] { "status", "deadline" });

            migrationBuilder.CreateIndex(
                name: "ix_access_review_definitions_fallback_officer_id",
                table: "access_review_definitions",
                column: "fallback_officer_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_definitions_name",
                table: "access_review_definitions",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_access_review_definitions_next_start_on",
                table: "access_review_definitions",
                column: "next_start_on");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_campaign_id_grant_id",
                table: "access_review_items",
                columns: new[] { "campaign_id", "grant_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_campaign_id_status_vendor_id",
                table: "access_review_items",
                columns: new[] { "campaign_id", "status", "vendor_id" });

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_grant_id",
                table: "access_review_items",
                column: "grant_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_person_id",
                table: "access_review_items",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_reviewer_ids",
                table: "access_review_items",
                column: "reviewer_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_system_id",
                table: "access_review_items",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_review_items_vendor_id",
                table: "access_review_items",
                column: "vendor_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_review_items");

            migrationBuilder.DropTable(
                name: "access_review_campaigns");

            migrationBuilder.DropTable(
                name: "access_review_definitions");
        }
    }
}
