using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ServiceAccountsAndTokenScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_service_account",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "api_tokens",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "ReadWrite"); // tokens made before scopes keep working as they did
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_service_account",
                table: "users");

            migrationBuilder.DropColumn(
                name: "scope",
                table: "api_tokens");
        }
    }
}
