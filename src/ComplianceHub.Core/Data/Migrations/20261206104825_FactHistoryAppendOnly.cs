using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>The fact history refuses UPDATE, DELETE and TRUNCATE to the owner too (Data/Sql/0010, issue 19).</summary>
    public partial class FactHistoryAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Read("0010_fact_history_append_only.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS person_fact_history_no_truncate ON person_fact_history;
                DROP TRIGGER IF EXISTS person_fact_history_no_update_or_delete ON person_fact_history;
                DROP FUNCTION IF EXISTS person_fact_history_refuse_change();
                """);
        }
    }
}
