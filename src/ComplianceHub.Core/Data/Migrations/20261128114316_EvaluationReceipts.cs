using System;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EvaluationReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "evaluation_receipts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    transaction_id = table.Column<ulong>(type: "xid8", nullable: false, defaultValueSql: "pg_current_xact_id()"),
                    subject_table = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluation_receipts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_receipts_transaction_id_subject_table_subject_id",
                table: "evaluation_receipts",
                columns: new[] { "transaction_id", "subject_table", "subject_id" });
        
            // The backstop: rule-relevant rows changed without the gate's receipt are refused at commit (docs/adr/0008).
            migrationBuilder.Sql(SqlScripts.Read("0003_evaluation_receipts.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS people_require_evaluation_receipt ON people;
                DROP TRIGGER IF EXISTS access_grants_require_evaluation_receipt ON access_grants;
                DROP TRIGGER IF EXISTS escort_assignments_require_evaluation_receipt ON escort_assignments;
                DROP FUNCTION IF EXISTS require_evaluation_receipt();
                """);

            migrationBuilder.DropTable(
                name: "evaluation_receipts");
        }
    }
}
