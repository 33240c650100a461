using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmartCardSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "smart_card_identity",
                table: "users",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_issuer",
                table: "user_sessions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_serial",
                table: "user_sessions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "certificate_subject",
                table: "user_sessions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_smart_card_identity",
                table: "users",
                column: "smart_card_identity",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_users_smart_card_identity",
                table: "users");

            migrationBuilder.DropColumn(
                name: "smart_card_identity",
                table: "users");

            migrationBuilder.DropColumn(
                name: "certificate_issuer",
                table: "user_sessions");

            migrationBuilder.DropColumn(
                name: "certificate_serial",
                table: "user_sessions");

            migrationBuilder.DropColumn(
                name: "certificate_subject",
                table: "user_sessions");
        }
    }
}
