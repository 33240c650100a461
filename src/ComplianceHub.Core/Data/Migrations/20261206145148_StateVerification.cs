using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>What state verification needs in SQL: the replay aggregate and the readers of bulk events, JSON text and instants (Data/Sql/0013, ADR 0031).</summary>
    public partial class StateVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Read("0013_state_verification.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS audit_instant_text(text);
                DROP FUNCTION IF EXISTS audit_instant(text);
                DROP FUNCTION IF EXISTS audit_json_text(text);
                DROP FUNCTION IF EXISTS audit_people_added(jsonb);
                DROP AGGREGATE IF EXISTS audit_replay(jsonb);
                """);
        }
    }
}
