using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EscortedSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "escorted_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    assignment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    change_ticket = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    signed_off_by = table.Column<Guid>(type: "uuid", nullable: true),
                    signed_off_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escorted_sessions", x => x.id);
                    table.CheckConstraint("ck_escorted_sessions_period", "ended_at > started_at");
                    table.CheckConstraint("ck_escorted_sessions_sign_off", "(signed_off_by IS NULL) = (signed_off_at IS NULL)");
                    table.ForeignKey(
                        name: "fk_escorted_sessions_escort_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "escort_assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escorted_sessions_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.UpdateData(
                table: "policy_versions",
                keyColumn: "id",
                keyValue: new Guid("0199a000-0000-7000-8000-00000000b001"),
                column: "parameters",
                value: "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"sessionSignOffHours\":24,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-SESSION-LOG\":{\"enabled\":true,\"severity\":\"Warn\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}}}");

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_assignment_id",
                table: "escorted_sessions",
                column: "assignment_id");

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_signed_off_at",
                table: "escorted_sessions",
                column: "signed_off_at");

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_vendor_id_ended_at",
                table: "escorted_sessions",
                columns: new[] { "vendor_id", "ended_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "escorted_sessions");

            migrationBuilder.UpdateData(
                table: "policy_versions",
                keyColumn: "id",
                keyValue: new Guid("0199a000-0000-7000-8000-00000000b001"),
                column: "parameters",
                value: "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}}}");
        }
    }
}
