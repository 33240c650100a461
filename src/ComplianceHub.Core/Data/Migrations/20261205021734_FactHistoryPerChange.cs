using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// The fact history becomes one row per change (person_fact_history, append-only for the application role) instead of
    /// one row per attribute; the old rows are folded into it (one record per person, day, source, recorder and instant)
    /// and the name person_fact_changes becomes a view that reads it one attribute a row (Sql/0007).
    /// </summary>
    public partial class FactHistoryPerChange : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "person_fact_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    facts = table.Column<string>(type: "jsonb", nullable: false),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    recorded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_person_fact_history", x => x.id);
                    table.CheckConstraint("ck_person_fact_history_facts_object", "jsonb_typeof(facts) = 'object'");
                    table.ForeignKey(
                        name: "fk_person_fact_history_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_person_fact_history_person_id_effective_on_recorded_at",
                table: "person_fact_history",
                columns: new[] { "person_id", "effective_on", "recorded_at" });

            // Fold the per-attribute rows into one record per change; a cleared value (SQL NULL) becomes JSON null.
            migrationBuilder.Sql("""
                INSERT INTO person_fact_history (id, person_id, facts, effective_on, source, recorded_by, recorded_by_name, recorded_at)
                SELECT min(id::text)::uuid, person_id, jsonb_object_agg(attribute, COALESCE(value, 'null'::jsonb)), effective_on, source,
                       recorded_by, recorded_by_name, recorded_at
                FROM person_fact_changes
                GROUP BY person_id, effective_on, source, recorded_by, recorded_by_name, recorded_at;
                """);
            migrationBuilder.DropTable(
                name: "person_fact_changes");
            migrationBuilder.Sql(SqlScripts.Read("0007_fact_history_per_change.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW IF EXISTS person_fact_changes;");

            migrationBuilder.CreateTable(
                name: "person_fact_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    attribute = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    recorded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    value = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_person_fact_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_person_fact_changes_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_person_fact_changes_person_id_attribute_effective_on",
                table: "person_fact_changes",
                columns: new[] { "person_id", "attribute", "effective_on" });

            // Spread each record back into one row per attribute (the first attribute keeps the record's id).
            migrationBuilder.Sql("""
                INSERT INTO person_fact_changes (id, person_id, attribute, value, effective_on, source, recorded_by, recorded_by_name, recorded_at)
                SELECT CASE WHEN f.ordinality = 1 THEN h.id ELSE gen_random_uuid() END, h.person_id, f.key, NULLIF(f.value, 'null'::jsonb),
                       h.effective_on, h.source, h.recorded_by, h.recorded_by_name, h.recorded_at
                FROM person_fact_history h CROSS JOIN LATERAL jsonb_each(h.facts) WITH ORDINALITY AS f(key, value, ordinality);
                """);
            migrationBuilder.DropTable(
                name: "person_fact_history");
        }
    }
}
