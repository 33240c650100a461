using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>Issue 18: the hashes of an account's previous passwords (five generations, the current one included).</summary>
    public partial class PasswordHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "previous_password_hashes",
                table: "users",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'"); // existing accounts start with no history

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "previous_password_hashes",
                table: "users");
        }
    }
}
