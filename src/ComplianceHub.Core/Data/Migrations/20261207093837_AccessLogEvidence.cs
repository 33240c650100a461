using System;
using System.Net;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccessLogEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_identity_aliases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    identity = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    events_matched = table.Column<int>(type: "integer", nullable: false),
                    added_by = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_identity_aliases", x => x.id);
                    table.CheckConstraint("ck_access_identity_aliases_normalized", "identity = lower(btrim(identity)) AND identity <> ''");
                    table.ForeignKey(
                        name: "fk_access_identity_aliases_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_identity_aliases_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "access_log_imports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    file_name = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    geolocation_database = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    sshd_year = table.Column<int>(type: "integer", nullable: true),
                    sshd_zone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    imported_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    imported_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    entries = table.Column<int>(type: "integer", nullable: false),
                    added = table.Column<int>(type: "integer", nullable: false),
                    already_imported = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    unmatched = table.Column<int>(type: "integer", nullable: false),
                    unknown_location = table.Column<int>(type: "integer", nullable: false),
                    people = table.Column<int>(type: "integer", nullable: false),
                    first_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    entries_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    times_applied = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_log_imports", x => x.id);
                    table.CheckConstraint("ck_access_log_imports_counts", "entries >= 0 AND added >= 0 AND already_imported >= 0 AND added + already_imported = entries");
                    table.CheckConstraint("ck_access_log_imports_sha256", "sha256 ~ '^[0-9a-f]{64}$'");
                    table.ForeignKey(
                        name: "fk_access_log_imports_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_log_imports_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "geolocation_database_files",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geolocation_database_files", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "known_egress_ranges",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    range = table.Column<IPNetwork>(type: "cidr", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    added_by = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_egress_ranges", x => x.id);
                    table.CheckConstraint("ck_known_egress_ranges_reason", "char_length(btrim(reason)) >= 5");
                });

            migrationBuilder.CreateTable(
                name: "access_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    identity = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source_address = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    address = table.Column<IPAddress>(type: "inet", nullable: true),
                    country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    unknown = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    event_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    line = table.Column<int>(type: "integer", nullable: false),
                    excerpt = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_events", x => x.id);
                    table.CheckConstraint("ck_access_events_country", "(country IS NULL) = (unknown <> 'None')");
                    table.CheckConstraint("ck_access_events_identity_normalized", "identity = lower(btrim(identity))");
                    table.ForeignKey(
                        name: "fk_access_events_access_log_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "access_log_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_events_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_events_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_events_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "geolocation_databases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    built_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    licence = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    loaded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    loaded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    loaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geolocation_databases", x => x.id);
                    table.CheckConstraint("ck_geolocation_databases_sha256", "sha256 ~ '^[0-9a-f]{64}$'");
                    table.ForeignKey(
                        name: "fk_geolocation_databases_geolocation_database_files_sha256",
                        column: x => x.sha256,
                        principalTable: "geolocation_database_files",
                        principalColumn: "sha256",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_import_id_line",
                table: "access_events",
                columns: new[] { "import_id", "line" });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_person_id_occurred_at",
                table: "access_events",
                columns: new[] { "person_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_access_events_system_id_event_key",
                table: "access_events",
                columns: new[] { "system_id", "event_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_access_events_vendor_id_identity",
                table: "access_events",
                columns: new[] { "vendor_id", "identity" },
                filter: "person_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_access_identity_aliases_person_id",
                table: "access_identity_aliases",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_identity_aliases_vendor_id_identity",
                table: "access_identity_aliases",
                columns: new[] { "vendor_id", "identity" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_access_log_imports_imported_at",
                table: "access_log_imports",
                column: "imported_at");

            migrationBuilder.CreateIndex(
                name: "ix_access_log_imports_system_id",
                table: "access_log_imports",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_log_imports_vendor_id_sha256",
                table: "access_log_imports",
                columns: new[] { "vendor_id", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_geolocation_databases_loaded_at",
                table: "geolocation_databases",
                column: "loaded_at");

            migrationBuilder.CreateIndex(
                name: "ix_geolocation_databases_sha256",
                table: "geolocation_databases",
                column: "sha256");

            // Access events append-only but for matching an unmatched identity; egress range indexes (EF cannot index IPNetwork).
            migrationBuilder.Sql(SqlScripts.Read("0014_access_events_append_only.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_events");

            migrationBuilder.DropTable(
                name: "access_identity_aliases");

            migrationBuilder.DropTable(
                name: "geolocation_databases");

            migrationBuilder.DropTable(
                name: "known_egress_ranges");

            migrationBuilder.DropTable(
                name: "access_log_imports");

            migrationBuilder.DropTable(
                name: "geolocation_database_files");
        }
    }
}
