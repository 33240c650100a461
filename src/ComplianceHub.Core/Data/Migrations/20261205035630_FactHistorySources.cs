using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// A fact-history row names the facts whose source is not the row's (<c>sources</c>), so a new person's screening result
    /// joins the person's one record instead of a second row; the view reads each attribute's own source (Sql/0008).
    /// </summary>
    public partial class FactHistorySources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sources",
                table: "person_fact_history",
                type: "jsonb",
                nullable: true);
            migrationBuilder.Sql(SqlScripts.Read("0008_fact_history_sources.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to the view of Sql/0007 (the column is dropped with it); attributes named in sources take the row's source.
            migrationBuilder.Sql("DROP VIEW person_fact_changes;");
            migrationBuilder.DropColumn(
                name: "sources",
                table: "person_fact_history");
            migrationBuilder.Sql("""
                CREATE VIEW person_fact_changes AS
                SELECT h.id, h.person_id, f.key::varchar(60) AS attribute, NULLIF(f.value, 'null'::jsonb) AS value, h.effective_on, h.source,
                       h.recorded_by, h.recorded_by_name, h.recorded_at
                FROM person_fact_history h CROSS JOIN LATERAL jsonb_each(h.facts) AS f(key, value);
                GRANT SELECT ON person_fact_changes TO compliancehub_app;
                """);
        }
    }
}
