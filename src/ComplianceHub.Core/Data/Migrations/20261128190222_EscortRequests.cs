using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EscortRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "escort_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    justification = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    assignment_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escort_requests", x => x.id);
                    table.CheckConstraint("ck_escort_requests_approved", "(status = 'Approved') = (assignment_id IS NOT NULL)");
                    table.CheckConstraint("ck_escort_requests_decided", "(status = 'Pending') = (decided_at IS NULL)");
                    table.CheckConstraint("ck_escort_requests_not_self", "escort_id <> person_id");
                    table.CheckConstraint("ck_escort_requests_period", "ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_escort_requests_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_escort_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "escort_assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_people_escort_id",
                        column: x => x.escort_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_assignment_id",
                table: "escort_requests",
                column: "assignment_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_escort_id",
                table: "escort_requests",
                column: "escort_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_person_id",
                table: "escort_requests",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_status",
                table: "escort_requests",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_system_id",
                table: "escort_requests",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_vendor_id_status",
                table: "escort_requests",
                columns: new[] { "vendor_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "escort_requests");
        }
    }
}
