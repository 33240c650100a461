using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class VendorAndSystemVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "vendors",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                table: "cloud_systems",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            // cloud_systems rows need the gate's evaluation receipt from now on (an impact level decides grants).
            migrationBuilder.Sql(SqlScripts.Read("0004_cloud_system_receipts.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS cloud_systems_require_evaluation_receipt ON cloud_systems;");
            migrationBuilder.DropColumn(
                name: "xmin",
                table: "vendors");

            migrationBuilder.DropColumn(
                name: "xmin",
                table: "cloud_systems");
        }
    }
}
