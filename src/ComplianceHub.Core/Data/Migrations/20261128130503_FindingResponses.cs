using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class FindingResponses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "acknowledged_at",
                table: "findings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "acknowledged_by",
                table: "findings",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "resolved_by",
                table: "findings",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "response",
                table: "findings",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_findings_subject_id",
                table: "findings",
                column: "subject_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_findings_subject_id",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "acknowledged_at",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "acknowledged_by",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "resolved_by",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "response",
                table: "findings");
        }
    }
}
