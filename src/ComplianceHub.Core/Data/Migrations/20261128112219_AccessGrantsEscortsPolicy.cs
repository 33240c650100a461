using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessGrantsEscortsPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "location_attested_on",
                table: "people",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "escort_assignments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escort_assignments", x => x.id);
                    table.CheckConstraint("ck_escort_assignments_not_self", "escort_id <> person_id");
                    table.CheckConstraint("ck_escort_assignments_period", "ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_escort_assignments_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_assignments_people_escort_id",
                        column: x => x.escort_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_assignments_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "policy_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    drafted_by = table.Column<Guid>(type: "uuid", nullable: true),
                    drafted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    activated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policy_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "access_grants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    access_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escorted = table.Column<bool>(type: "boolean", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    justification = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<Guid>(type: "uuid", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    policy_version_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_grants", x => x.id);
                    table.CheckConstraint("ck_access_grants_approval", "status = 'PendingApproval' OR approved_by IS NOT NULL");
                    table.CheckConstraint("ck_access_grants_period", "ends_on IS NULL OR ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_access_grants_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_grants_policy_versions_policy_version_id",
                        column: x => x.policy_version_id,
                        principalTable: "policy_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_grants_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "policy_versions",
                columns: new[] { "id", "activated_at", "activated_by", "drafted_at", "drafted_by", "name", "number", "parameters", "retired_at", "status" },
                values: new object[] { new Guid("0199a000-0000-7000-8000-00000000b001"), new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, "DoD baseline 2026", 1, "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}}}", null, "Active" });

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_person_id_system_id",
                table: "access_grants",
                columns: new[] { "person_id", "system_id" });

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_policy_version_id",
                table: "access_grants",
                column: "policy_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_status",
                table: "access_grants",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_system_id_status",
                table: "access_grants",
                columns: new[] { "system_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_escort_id",
                table: "escort_assignments",
                column: "escort_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_person_id_system_id",
                table: "escort_assignments",
                columns: new[] { "person_id", "system_id" });

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_system_id",
                table: "escort_assignments",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_policy_versions_number",
                table: "policy_versions",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_policy_versions_one_active",
                table: "policy_versions",
                column: "status",
                unique: true,
                filter: "status = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_grants");

            migrationBuilder.DropTable(
                name: "escort_assignments");

            migrationBuilder.DropTable(
                name: "policy_versions");

            migrationBuilder.DropColumn(
                name: "location_attested_on",
                table: "people");
        }
    }
}
