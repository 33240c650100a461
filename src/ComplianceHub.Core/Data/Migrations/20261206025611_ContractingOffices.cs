using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ContractingOffices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "office_id",
                table: "users",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "office_id",
                table: "contracts",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "contracting_offices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contracting_offices", x => x.id);
                    table.CheckConstraint("ck_contracting_offices_code", "code ~ '^[A-Z0-9]{6}$'");
                });

            migrationBuilder.CreateIndex(
                name: "ix_users_office_id",
                table: "users",
                column: "office_id");

            migrationBuilder.CreateIndex(
                name: "ix_contracts_office_id_vendor_id",
                table: "contracts",
                columns: new[] { "office_id", "vendor_id" });

            migrationBuilder.CreateIndex(
                name: "ix_contracting_offices_code",
                table: "contracting_offices",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contracting_offices_name",
                table: "contracting_offices",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_contracts_contracting_offices_office_id",
                table: "contracts",
                column: "office_id",
                principalTable: "contracting_offices",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_users_contracting_offices_office_id",
                table: "users",
                column: "office_id",
                principalTable: "contracting_offices",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_contracts_contracting_offices_office_id",
                table: "contracts");

            migrationBuilder.DropForeignKey(
                name: "fk_users_contracting_offices_office_id",
                table: "users");

            migrationBuilder.DropTable(
                name: "contracting_offices");

            migrationBuilder.DropIndex(
                name: "ix_users_office_id",
                table: "users");

            migrationBuilder.DropIndex(
                name: "ix_contracts_office_id_vendor_id",
                table: "contracts");

            migrationBuilder.DropColumn(
                name: "office_id",
                table: "users");

            migrationBuilder.DropColumn(
                name: "office_id",
                table: "contracts");
        }
    }
}
