using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestrictedPartyScreening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "screening_match",
                table: "people",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "screening_status",
                table: "people",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Clear"); // nobody has been screened yet: no list exists before this migration

            migrationBuilder.CreateTable(
                name: "restricted_party_lists",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    file_name = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entry_count = table.Column<int>(type: "integer", nullable: false),
                    imported_by = table.Column<Guid>(type: "uuid", nullable: false),
                    imported_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restricted_party_lists", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restricted_party_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entity_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    programs = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    alt_names = table.Column<List<string>>(type: "text[]", nullable: false),
                    addresses = table.Column<string>(type: "text", nullable: true),
                    countries = table.Column<List<string>>(type: "text[]", nullable: false),
                    federal_register_notice = table.Column<string>(type: "text", nullable: true),
                    start_date = table.Column<string>(type: "text", nullable: true),
                    end_date = table.Column<string>(type: "text", nullable: true),
                    source_list_url = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restricted_party_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_restricted_party_entries_restricted_party_lists_list_id",
                        column: x => x.list_id,
                        principalTable: "restricted_party_lists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "screening_hits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_version = table.Column<int>(type: "integer", nullable: false),
                    entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entry_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    screened_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    matched_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    adjudicated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    adjudicated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_screening_hits", x => x.id);
                    table.ForeignKey(
                        name: "fk_screening_hits_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_screening_hits_restricted_party_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "restricted_party_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            // Policy version 1 gains the SCREENING-MATCH rule and its screening threshold (nothing is deployed yet; from
            // here on, parameters change only through drafts and activation).
            migrationBuilder.UpdateData(
                table: "policy_versions",
                keyColumn: "id",
                keyValue: new Guid("0199a000-0000-7000-8000-00000000b001"),
                column: "parameters",
                value: "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"sessionSignOffHours\":24,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-SESSION-LOG\":{\"enabled\":true,\"severity\":\"Warn\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"SCREENING-MATCH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}},\"screening\":{\"threshold\":0.92,\"countryMismatchPenalty\":0.05}}");

            migrationBuilder.CreateIndex(
                name: "ix_restricted_party_entries_list_id_key",
                table: "restricted_party_entries",
                columns: new[] { "list_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restricted_party_lists_version",
                table: "restricted_party_lists",
                column: "version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_entry_id",
                table: "screening_hits",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_person_id_status",
                table: "screening_hits",
                columns: new[] { "person_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_status_vendor_id",
                table: "screening_hits",
                columns: new[] { "status", "vendor_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "screening_hits");

            migrationBuilder.DropTable(
                name: "restricted_party_entries");

            migrationBuilder.DropTable(
                name: "restricted_party_lists");

            migrationBuilder.DropColumn(
                name: "screening_match",
                table: "people");

            migrationBuilder.DropColumn(
                name: "screening_status",
                table: "people");

            migrationBuilder.UpdateData(
                table: "policy_versions",
                keyColumn: "id",
                keyValue: new Guid("0199a000-0000-7000-8000-00000000b001"),
                column: "parameters",
                value: "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"sessionSignOffHours\":24,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-SESSION-LOG\":{\"enabled\":true,\"severity\":\"Warn\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}}}");
        }
    }
}
