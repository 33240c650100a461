using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// Code contributions (commits, pull requests, tickets) matched to people, with risk flags the gate derives and reviewers'
    /// verdicts; contributor aliases. code_contributions needs the gate's evaluation receipt at commit (Sql/0006).
    /// </summary>
    public partial class CodeContributions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "code_contributions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    repository = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    author_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    contributed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    imported_by = table.Column<Guid>(type: "uuid", nullable: false),
                    imported_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    match = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    flags = table.Column<string>(type: "jsonb", nullable: false),
                    risk_score = table.Column<int>(type: "integer", nullable: false),
                    flags_policy_version = table.Column<int>(type: "integer", nullable: true),
                    flags_computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    review_verdict = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    review_notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    reviewed_by = table.Column<Guid>(type: "uuid", nullable: true),
                    reviewed_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_code_contributions", x => x.id);
                    table.CheckConstraint("ck_code_contributions_email_normalized", "author_email = lower(btrim(author_email))");
                    table.CheckConstraint("ck_code_contributions_matched", "(person_id IS NOT NULL) = (match IN ('Email', 'Alias'))");
                    table.CheckConstraint("ck_code_contributions_reviewed", "(review_verdict = 'Unreviewed') = (reviewed_at IS NULL)");
                    table.CheckConstraint("ck_code_contributions_score", "risk_score >= 0");
                    table.ForeignKey(
                        name: "fk_code_contributions_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_code_contributions_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_code_contributions_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "contributor_aliases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    added_by = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contributor_aliases", x => x.id);
                    table.CheckConstraint("ck_contributor_aliases_email_normalized", "email = lower(btrim(email))");
                    table.ForeignKey(
                        name: "fk_contributor_aliases_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_contributor_aliases_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_flags",
                table: "code_contributions",
                column: "flags")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_person_id",
                table: "code_contributions",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_review_verdict_risk_score",
                table: "code_contributions",
                columns: new[] { "review_verdict", "risk_score" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_system_id",
                table: "code_contributions",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_vendor_id_author_email",
                table: "code_contributions",
                columns: new[] { "vendor_id", "author_email" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_vendor_id_system_id_repository_external_",
                table: "code_contributions",
                columns: new[] { "vendor_id", "system_id", "repository", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contributor_aliases_person_id",
                table: "contributor_aliases",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_contributor_aliases_vendor_id_email",
                table: "contributor_aliases",
                columns: new[] { "vendor_id", "email" },
                unique: true);

            migrationBuilder.Sql(SqlScripts.Read("0006_code_contribution_receipts.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS code_contributions_require_evaluation_receipt ON code_contributions;");

            migrationBuilder.DropTable(
                name: "code_contributions");

            migrationBuilder.DropTable(
                name: "contributor_aliases");
        }
    }
}
