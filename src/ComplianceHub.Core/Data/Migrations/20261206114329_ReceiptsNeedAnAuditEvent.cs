using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>Every evaluation receipt must come with an audit event of its transaction (Data/Sql/0012, issue 19).</summary>
    public partial class ReceiptsNeedAnAuditEvent : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Read("0012_receipts_need_an_audit_event.sql"));
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS evaluation_receipts_require_audit_event ON evaluation_receipts;
                DROP FUNCTION IF EXISTS require_audit_event_in_transaction();
                ALTER TABLE audit_events DROP COLUMN IF EXISTS transaction_id;
                """);
        }
    }
}
