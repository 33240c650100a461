using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditOffloadCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The audit off-load's cursors (ADR 0039). The application role gets SELECT, INSERT, UPDATE and DELETE on it from the
            // default privileges of 0001_app_role_grants.sql (this table is created by the same owner role): the sender updates
            // its row after every batch. Not append-only, unlike the trail: a cursor moved by hand shows at the receiver as a gap
            // in seq (forward) or as duplicates (back), never as a changed event.
            migrationBuilder.CreateTable(
                name: "audit_offload_cursors",
                columns: table => new
                {
                    destination = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_instance = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_offload_cursors", x => x.destination);
                    table.CheckConstraint("ck_audit_offload_cursors_last_sequence", "last_sequence >= 0");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_offload_cursors");
        }
    }
}
