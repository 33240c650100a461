using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// The whole schema before the first release, squashed from the 32 migrations that built it (ADR 0032): the tables of the
    /// model, its seed rows (the countries, policy version 1), then the versioned scripts of Data/Sql in the order the
    /// squashed migrations ran them. A database whose history names those migrations is refused by the migrator.
    /// </summary>
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_event_subjects",
                columns: table => new
                {
                    subject_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_event_subjects", x => new { x.subject_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    actor_vendor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    authentication_method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    event_type = table.Column<int>(type: "integer", nullable: false),
                    operation = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    changes = table.Column<string>(type: "jsonb", nullable: false),
                    rule_outcomes = table.Column<string>(type: "jsonb", nullable: false),
                    correlation_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    session_id = table.Column<Guid>(type: "uuid", nullable: true),
                    api_token_id = table.Column<Guid>(type: "uuid", nullable: true),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    previous_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.sequence);
                    table.CheckConstraint("ck_audit_events_hashes", "hash ~ '^[0-9a-f]{64}$' AND previous_hash ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_audit_events_sequence", "sequence > 0");
                });

            migrationBuilder.CreateTable(
                name: "chain_checkpoints",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    signed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    key_id = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    signature = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chain_checkpoints", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "cloud_systems",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    impact_level = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cloud_systems", x => x.id);
                });

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

            migrationBuilder.CreateTable(
                name: "countries",
                columns: table => new
                {
                    alpha2 = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    alpha3 = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_countries", x => x.alpha2);
                    table.CheckConstraint("ck_countries_alpha2", "alpha2 ~ '^[A-Z]{2}$'");
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "evaluation_receipts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    transaction_id = table.Column<ulong>(type: "xid8", nullable: false, defaultValueSql: "pg_current_xact_id()"),
                    subject_table = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluation_receipts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "integrity_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    facts = table.Column<string>(type: "jsonb", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<Guid>(type: "uuid", nullable: true),
                    resolution = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_integrity_findings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "policy_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    drafted_by = table.Column<Guid>(type: "uuid", nullable: true),
                    drafted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    activated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    activated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policy_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restricted_party_lists",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    file_name = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entry_count = table.Column<int>(type: "integer", nullable: false),
                    imported_by = table.Column<Guid>(type: "uuid", nullable: false),
                    imported_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restricted_party_lists", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_runs",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    last_completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_instance = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_runs", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "vendors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cage_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    uei = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vendors", x => x.id);
                    table.CheckConstraint("ck_vendors_cage_code", "cage_code ~ '^[A-Z0-9]{5}$'");
                    table.CheckConstraint("ck_vendors_uei", "uei ~ '^[A-Z0-9]{12}$'");
                });

            migrationBuilder.CreateTable(
                name: "reevaluation_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    policy_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    policy_number = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_by = table.Column<Guid>(type: "uuid", nullable: true),
                    started_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    batches = table.Column<int>(type: "integer", nullable: false),
                    suspended = table.Column<int>(type: "integer", nullable: false),
                    revoked = table.Column<int>(type: "integer", nullable: false),
                    reactivated = table.Column<int>(type: "integer", nullable: false),
                    findings_opened = table.Column<int>(type: "integer", nullable: false),
                    findings_closed = table.Column<int>(type: "integer", nullable: false),
                    last_grant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    superseded_by_version = table.Column<int>(type: "integer", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reevaluation_runs", x => x.id);
                    table.CheckConstraint("ck_reevaluation_runs_progress", "processed >= 0 AND batches >= 0");
                    table.ForeignKey(
                        name: "fk_reevaluation_runs_policy_versions_policy_version_id",
                        column: x => x.policy_version_id,
                        principalTable: "policy_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "restricted_party_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    entity_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    programs = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    alt_names = table.Column<List<string>>(type: "text[]", nullable: false),
                    addresses = table.Column<string>(type: "text", nullable: true),
                    countries = table.Column<List<string>>(type: "text[]", nullable: false),
                    federal_register_notice = table.Column<string>(type: "text", nullable: true),
                    start_date = table.Column<string>(type: "text", nullable: true),
                    end_date = table.Column<string>(type: "text", nullable: true),
                    source_list_url = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restricted_party_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_restricted_party_entries_restricted_party_lists_list_id",
                        column: x => x.list_id,
                        principalTable: "restricted_party_lists",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<Guid>(type: "uuid", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_role_claims_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "contracts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    office_id = table.Column<Guid>(type: "uuid", nullable: true),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    responsible_officer_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    system_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contracts", x => x.id);
                    table.CheckConstraint("ck_contracts_period", "ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_contracts_contracting_offices_office_id",
                        column: x => x.office_id,
                        principalTable: "contracting_offices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_contracts_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "location_attestations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    statement = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    items = table.Column<string>(type: "jsonb", nullable: false),
                    submitted_by = table.Column<Guid>(type: "uuid", nullable: false),
                    submitted_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_location_attestations", x => x.id);
                    table.CheckConstraint("ck_location_attestations_hash", "content_hash ~ '^[0-9a-f]{64}$'");
                    table.ForeignKey(
                        name: "fk_location_attestations_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "people",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    employee_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    full_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    employer_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    citizenships = table.Column<List<string>>(type: "char(2)[]", nullable: false),
                    country_of_birth = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    us_lawful_permanent_resident = table.Column<bool>(type: "boolean", nullable: false),
                    work_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    work_city = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    investigation_tier = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    adjudicated_on = table.Column<DateOnly>(type: "date", nullable: true),
                    continuous_vetting = table.Column<bool>(type: "boolean", nullable: false),
                    clearance = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    nda_signed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    escort_qualification = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escort_training_on = table.Column<DateOnly>(type: "date", nullable: true),
                    employment_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    terminated_on = table.Column<DateOnly>(type: "date", nullable: true),
                    location_attested_on = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    screening_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    screening_match = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_people", x => x.id);
                    table.CheckConstraint("ck_people_citizenships_not_empty", "cardinality(citizenships) > 0");
                    table.CheckConstraint("ck_people_country_of_birth", "country_of_birth ~ '^[A-Z]{2}$'");
                    table.CheckConstraint("ck_people_terminated_on", "(employment_status = 'Terminated') = (terminated_on IS NOT NULL)");
                    table.CheckConstraint("ck_people_work_country", "work_country ~ '^[A-Z]{2}$'");
                    table.ForeignKey(
                        name: "fk_people_countries_country_of_birth",
                        column: x => x.country_of_birth,
                        principalTable: "countries",
                        principalColumn: "alpha2",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_people_countries_work_country",
                        column: x => x.work_country,
                        principalTable: "countries",
                        principalColumn: "alpha2",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_people_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    office_id = table.Column<Guid>(type: "uuid", nullable: true),
                    recent_failed_sign_ins = table.Column<List<DateTimeOffset>>(type: "timestamp with time zone[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_sign_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    must_change_password = table.Column<bool>(type: "boolean", nullable: false),
                    last_second_factor_step = table.Column<long>(type: "bigint", nullable: true),
                    is_service_account = table.Column<bool>(type: "boolean", nullable: false),
                    password_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    previous_password_hashes = table.Column<List<string>>(type: "text[]", nullable: false),
                    smart_card_identity = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_users_contracting_offices_office_id",
                        column: x => x.office_id,
                        principalTable: "contracting_offices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_users_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "access_grants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    access_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    escorted = table.Column<bool>(type: "boolean", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    justification = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<Guid>(type: "uuid", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    policy_version_id = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_access_grants", x => x.id);
                    table.CheckConstraint("ck_access_grants_active_is_approved", "status <> 'Active' OR approved_by IS NOT NULL");
                    table.CheckConstraint("ck_access_grants_period", "ends_on IS NULL OR ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_access_grants_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_grants_policy_versions_policy_version_id",
                        column: x => x.policy_version_id,
                        principalTable: "policy_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_access_grants_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "code_contributions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    repository = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    author_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    contributed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    imported_by = table.Column<Guid>(type: "uuid", nullable: false),
                    imported_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: true),
                    match = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    flags = table.Column<string>(type: "jsonb", nullable: false),
                    risk_score = table.Column<int>(type: "integer", nullable: false),
                    flags_policy_version = table.Column<int>(type: "integer", nullable: true),
                    flags_computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    review_verdict = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    review_notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    reviewed_by = table.Column<Guid>(type: "uuid", nullable: true),
                    reviewed_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_code_contributions", x => x.id);
                    table.CheckConstraint("ck_code_contributions_email_normalized", "author_email = lower(btrim(author_email))");
                    table.CheckConstraint("ck_code_contributions_matched", "(person_id IS NOT NULL) = (match IN ('Email', 'Alias'))");
                    table.CheckConstraint("ck_code_contributions_reviewed", "(review_verdict = 'Unreviewed') = (reviewed_at IS NULL)");
                    table.CheckConstraint("ck_code_contributions_score", "risk_score >= 0");
                    table.ForeignKey(
                        name: "fk_code_contributions_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_code_contributions_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_code_contributions_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "contributor_aliases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    added_by = table.Column<Guid>(type: "uuid", nullable: false),
                    added_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contributor_aliases", x => x.id);
                    table.CheckConstraint("ck_contributor_aliases_email_normalized", "email = lower(btrim(email))");
                    table.ForeignKey(
                        name: "fk_contributor_aliases_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_contributor_aliases_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "escort_assignments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escort_assignments", x => x.id);
                    table.CheckConstraint("ck_escort_assignments_not_self", "escort_id <> person_id");
                    table.CheckConstraint("ck_escort_assignments_period", "ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_escort_assignments_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_assignments_people_escort_id",
                        column: x => x.escort_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_assignments_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    severity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    facts = table.Column<string>(type: "jsonb", nullable: false),
                    citation = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    policy_version = table.Column<int>(type: "integer", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolution = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    acknowledged_by = table.Column<Guid>(type: "uuid", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    response = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    resolved_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_findings", x => x.id);
                    table.ForeignKey(
                        name: "fk_findings_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_findings_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "person_fact_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    facts = table.Column<string>(type: "jsonb", nullable: false),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    sources = table.Column<string>(type: "jsonb", nullable: true),
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

            migrationBuilder.CreateTable(
                name: "screening_hits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_id = table.Column<Guid>(type: "uuid", nullable: false),
                    list_version = table.Column<int>(type: "integer", nullable: false),
                    entry_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entry_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    screened_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    matched_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    adjudicated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    adjudicated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_screening_hits", x => x.id);
                    table.ForeignKey(
                        name: "fk_screening_hits_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_screening_hits_restricted_party_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "restricted_party_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "api_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    owner_user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    hint = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    operations = table.Column<List<string>>(type: "text[]", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by = table.Column<Guid>(type: "uuid", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_tokens_users_owner_user_id",
                        column: x => x.owner_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_user_roles_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_user_roles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    certificate_subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    certificate_issuer = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    certificate_serial = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_by = table.Column<Guid>(type: "uuid", nullable: true),
                    end_reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_sessions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "escort_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: false),
                    justification = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by = table.Column<Guid>(type: "uuid", nullable: true),
                    decided_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    assignment_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escort_requests", x => x.id);
                    table.CheckConstraint("ck_escort_requests_approved", "(status = 'Approved') = (assignment_id IS NOT NULL)");
                    table.CheckConstraint("ck_escort_requests_decided", "(status = 'Pending') = (decided_at IS NULL)");
                    table.CheckConstraint("ck_escort_requests_not_self", "escort_id <> person_id");
                    table.CheckConstraint("ck_escort_requests_period", "ends_on >= starts_on");
                    table.ForeignKey(
                        name: "fk_escort_requests_cloud_systems_system_id",
                        column: x => x.system_id,
                        principalTable: "cloud_systems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_escort_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "escort_assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_people_escort_id",
                        column: x => x.escort_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_people_person_id",
                        column: x => x.person_id,
                        principalTable: "people",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escort_requests_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "escorted_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    assignment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    escort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    system_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vendor_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    change_ticket = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    signed_off_by = table.Column<Guid>(type: "uuid", nullable: true),
                    signed_off_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_escorted_sessions", x => x.id);
                    table.CheckConstraint("ck_escorted_sessions_period", "ended_at > started_at");
                    table.CheckConstraint("ck_escorted_sessions_sign_off", "(signed_off_by IS NULL) = (signed_off_at IS NULL)");
                    table.ForeignKey(
                        name: "fk_escorted_sessions_escort_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "escort_assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_escorted_sessions_vendors_vendor_id",
                        column: x => x.vendor_id,
                        principalTable: "vendors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "waivers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    finding_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    subject_id = table.Column<Guid>(type: "uuid", nullable: false),
                    justification = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<Guid>(type: "uuid", nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_waivers", x => x.id);
                    table.CheckConstraint("ck_waivers_two_person", "approved_by IS NULL OR approved_by <> requested_by");
                    table.ForeignKey(
                        name: "fk_waivers_findings_finding_id",
                        column: x => x.finding_id,
                        principalTable: "findings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "countries",
                columns: new[] { "alpha2", "alpha3", "name" },
                values: new object[,]
                {
                    { "AD", "AND", "Andorra" },
                    { "AE", "ARE", "United Arab Emirates" },
                    { "AF", "AFG", "Afghanistan" },
                    { "AG", "ATG", "Antigua and Barbuda" },
                    { "AI", "AIA", "Anguilla" },
                    { "AL", "ALB", "Albania" },
                    { "AM", "ARM", "Armenia" },
                    { "AO", "AGO", "Angola" },
                    { "AQ", "ATA", "Antarctica" },
                    { "AR", "ARG", "Argentina" },
                    { "AS", "ASM", "American Samoa" },
                    { "AT", "AUT", "Austria" },
                    { "AU", "AUS", "Australia" },
                    { "AW", "ABW", "Aruba" },
                    { "AX", "ALA", "Åland Islands" },
                    { "AZ", "AZE", "Azerbaijan" },
                    { "BA", "BIH", "Bosnia and Herzegovina" },
                    { "BB", "BRB", "Barbados" },
                    { "BD", "BGD", "Bangladesh" },
                    { "BE", "BEL", "Belgium" },
                    { "BF", "BFA", "Burkina Faso" },
                    { "BG", "BGR", "Bulgaria" },
                    { "BH", "BHR", "Bahrain" },
                    { "BI", "BDI", "Burundi" },
                    { "BJ", "BEN", "Benin" },
                    { "BL", "BLM", "Saint Barthélemy" },
                    { "BM", "BMU", "Bermuda" },
                    { "BN", "BRN", "Brunei Darussalam" },
                    { "BO", "BOL", "Bolivia" },
                    { "BQ", "BES", "Bonaire, Sint Eustatius and Saba" },
                    { "BR", "BRA", "Brazil" },
                    { "BS", "BHS", "Bahamas" },
                    { "BT", "BTN", "Bhutan" },
                    { "BV", "BVT", "Bouvet Island" },
                    { "BW", "BWA", "Botswana" },
                    { "BY", "BLR", "Belarus" },
                    { "BZ", "BLZ", "Belize" },
                    { "CA", "CAN", "Canada" },
                    { "CC", "CCK", "Cocos (Keeling) Islands" },
                    { "CD", "COD", "Congo, The Democratic Republic of the" },
                    { "CF", "CAF", "Central African Republic" },
                    { "CG", "COG", "Congo" },
                    { "CH", "CHE", "Switzerland" },
                    { "CI", "CIV", "Côte d'Ivoire" },
                    { "CK", "COK", "Cook Islands" },
                    { "CL", "CHL", "Chile" },
                    { "CM", "CMR", "Cameroon" },
                    { "CN", "CHN", "China" },
                    { "CO", "COL", "Colombia" },
                    { "CR", "CRI", "Costa Rica" },
                    { "CU", "CUB", "Cuba" },
                    { "CV", "CPV", "Cabo Verde" },
                    { "CW", "CUW", "Curaçao" },
                    { "CX", "CXR", "Christmas Island" },
                    { "CY", "CYP", "Cyprus" },
                    { "CZ", "CZE", "Czechia" },
                    { "DE", "DEU", "Germany" },
                    { "DJ", "DJI", "Djibouti" },
                    { "DK", "DNK", "Denmark" },
                    { "DM", "DMA", "Dominica" },
                    { "DO", "DOM", "Dominican Republic" },
                    { "DZ", "DZA", "Algeria" },
                    { "EC", "ECU", "Ecuador" },
                    { "EE", "EST", "Estonia" },
                    { "EG", "EGY", "Egypt" },
                    { "EH", "ESH", "Western Sahara" },
                    { "ER", "ERI", "Eritrea" },
                    { "ES", "ESP", "Spain" },
                    { "ET", "ETH", "Ethiopia" },
                    { "FI", "FIN", "Finland" },
                    { "FJ", "FJI", "Fiji" },
                    { "FK", "FLK", "Falkland Islands (Malvinas)" },
                    { "FM", "FSM", "Micronesia, Federated States of" },
                    { "FO", "FRO", "Faroe Islands" },
                    { "FR", "FRA", "France" },
                    { "GA", "GAB", "Gabon" },
                    { "GB", "GBR", "United Kingdom" },
                    { "GD", "GRD", "Grenada" },
                    { "GE", "GEO", "Georgia" },
                    { "GF", "GUF", "French Guiana" },
                    { "GG", "GGY", "Guernsey" },
                    { "GH", "GHA", "Ghana" },
                    { "GI", "GIB", "Gibraltar" },
                    { "GL", "GRL", "Greenland" },
                    { "GM", "GMB", "Gambia" },
                    { "GN", "GIN", "Guinea" },
                    { "GP", "GLP", "Guadeloupe" },
                    { "GQ", "GNQ", "Equatorial Guinea" },
                    { "GR", "GRC", "Greece" },
                    { "GS", "SGS", "South Georgia and the South Sandwich Islands" },
                    { "GT", "GTM", "Guatemala" },
                    { "GU", "GUM", "Guam" },
                    { "GW", "GNB", "Guinea-Bissau" },
                    { "GY", "GUY", "Guyana" },
                    { "HK", "HKG", "Hong Kong" },
                    { "HM", "HMD", "Heard Island and McDonald Islands" },
                    { "HN", "HND", "Honduras" },
                    { "HR", "HRV", "Croatia" },
                    { "HT", "HTI", "Haiti" },
                    { "HU", "HUN", "Hungary" },
                    { "ID", "IDN", "Indonesia" },
                    { "IE", "IRL", "Ireland" },
                    { "IL", "ISR", "Israel" },
                    { "IM", "IMN", "Isle of Man" },
                    { "IN", "IND", "India" },
                    { "IO", "IOT", "British Indian Ocean Territory" },
                    { "IQ", "IRQ", "Iraq" },
                    { "IR", "IRN", "Iran" },
                    { "IS", "ISL", "Iceland" },
                    { "IT", "ITA", "Italy" },
                    { "JE", "JEY", "Jersey" },
                    { "JM", "JAM", "Jamaica" },
                    { "JO", "JOR", "Jordan" },
                    { "JP", "JPN", "Japan" },
                    { "KE", "KEN", "Kenya" },
                    { "KG", "KGZ", "Kyrgyzstan" },
                    { "KH", "KHM", "Cambodia" },
                    { "KI", "KIR", "Kiribati" },
                    { "KM", "COM", "Comoros" },
                    { "KN", "KNA", "Saint Kitts and Nevis" },
                    { "KP", "PRK", "North Korea" },
                    { "KR", "KOR", "South Korea" },
                    { "KW", "KWT", "Kuwait" },
                    { "KY", "CYM", "Cayman Islands" },
                    { "KZ", "KAZ", "Kazakhstan" },
                    { "LA", "LAO", "Laos" },
                    { "LB", "LBN", "Lebanon" },
                    { "LC", "LCA", "Saint Lucia" },
                    { "LI", "LIE", "Liechtenstein" },
                    { "LK", "LKA", "Sri Lanka" },
                    { "LR", "LBR", "Liberia" },
                    { "LS", "LSO", "Lesotho" },
                    { "LT", "LTU", "Lithuania" },
                    { "LU", "LUX", "Luxembourg" },
                    { "LV", "LVA", "Latvia" },
                    { "LY", "LBY", "Libya" },
                    { "MA", "MAR", "Morocco" },
                    { "MC", "MCO", "Monaco" },
                    { "MD", "MDA", "Moldova" },
                    { "ME", "MNE", "Montenegro" },
                    { "MF", "MAF", "Saint Martin (French part)" },
                    { "MG", "MDG", "Madagascar" },
                    { "MH", "MHL", "Marshall Islands" },
                    { "MK", "MKD", "North Macedonia" },
                    { "ML", "MLI", "Mali" },
                    { "MM", "MMR", "Myanmar" },
                    { "MN", "MNG", "Mongolia" },
                    { "MO", "MAC", "Macao" },
                    { "MP", "MNP", "Northern Mariana Islands" },
                    { "MQ", "MTQ", "Martinique" },
                    { "MR", "MRT", "Mauritania" },
                    { "MS", "MSR", "Montserrat" },
                    { "MT", "MLT", "Malta" },
                    { "MU", "MUS", "Mauritius" },
                    { "MV", "MDV", "Maldives" },
                    { "MW", "MWI", "Malawi" },
                    { "MX", "MEX", "Mexico" },
                    { "MY", "MYS", "Malaysia" },
                    { "MZ", "MOZ", "Mozambique" },
                    { "NA", "NAM", "Namibia" },
                    { "NC", "NCL", "New Caledonia" },
                    { "NE", "NER", "Niger" },
                    { "NF", "NFK", "Norfolk Island" },
                    { "NG", "NGA", "Nigeria" },
                    { "NI", "NIC", "Nicaragua" },
                    { "NL", "NLD", "Netherlands" },
                    { "NO", "NOR", "Norway" },
                    { "NP", "NPL", "Nepal" },
                    { "NR", "NRU", "Nauru" },
                    { "NU", "NIU", "Niue" },
                    { "NZ", "NZL", "New Zealand" },
                    { "OM", "OMN", "Oman" },
                    { "PA", "PAN", "Panama" },
                    { "PE", "PER", "Peru" },
                    { "PF", "PYF", "French Polynesia" },
                    { "PG", "PNG", "Papua New Guinea" },
                    { "PH", "PHL", "Philippines" },
                    { "PK", "PAK", "Pakistan" },
                    { "PL", "POL", "Poland" },
                    { "PM", "SPM", "Saint Pierre and Miquelon" },
                    { "PN", "PCN", "Pitcairn" },
                    { "PR", "PRI", "Puerto Rico" },
                    { "PS", "PSE", "Palestine, State of" },
                    { "PT", "PRT", "Portugal" },
                    { "PW", "PLW", "Palau" },
                    { "PY", "PRY", "Paraguay" },
                    { "QA", "QAT", "Qatar" },
                    { "RE", "REU", "Réunion" },
                    { "RO", "ROU", "Romania" },
                    { "RS", "SRB", "Serbia" },
                    { "RU", "RUS", "Russian Federation" },
                    { "RW", "RWA", "Rwanda" },
                    { "SA", "SAU", "Saudi Arabia" },
                    { "SB", "SLB", "Solomon Islands" },
                    { "SC", "SYC", "Seychelles" },
                    { "SD", "SDN", "Sudan" },
                    { "SE", "SWE", "Sweden" },
                    { "SG", "SGP", "Singapore" },
                    { "SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha" },
                    { "SI", "SVN", "Slovenia" },
                    { "SJ", "SJM", "Svalbard and Jan Mayen" },
                    { "SK", "SVK", "Slovakia" },
                    { "SL", "SLE", "Sierra Leone" },
                    { "SM", "SMR", "San Marino" },
                    { "SN", "SEN", "Senegal" },
                    { "SO", "SOM", "Somalia" },
                    { "SR", "SUR", "Suriname" },
                    { "SS", "SSD", "South Sudan" },
                    { "ST", "STP", "Sao Tome and Principe" },
                    { "SV", "SLV", "El Salvador" },
                    { "SX", "SXM", "Sint Maarten (Dutch part)" },
                    { "SY", "SYR", "Syria" },
                    { "SZ", "SWZ", "Eswatini" },
                    { "TC", "TCA", "Turks and Caicos Islands" },
                    { "TD", "TCD", "Chad" },
                    { "TF", "ATF", "French Southern Territories" },
                    { "TG", "TGO", "Togo" },
                    { "TH", "THA", "Thailand" },
                    { "TJ", "TJK", "Tajikistan" },
                    { "TK", "TKL", "Tokelau" },
                    { "TL", "TLS", "Timor-Leste" },
                    { "TM", "TKM", "Turkmenistan" },
                    { "TN", "TUN", "Tunisia" },
                    { "TO", "TON", "Tonga" },
                    { "TR", "TUR", "Türkiye" },
                    { "TT", "TTO", "Trinidad and Tobago" },
                    { "TV", "TUV", "Tuvalu" },
                    { "TW", "TWN", "Taiwan" },
                    { "TZ", "TZA", "Tanzania" },
                    { "UA", "UKR", "Ukraine" },
                    { "UG", "UGA", "Uganda" },
                    { "UM", "UMI", "United States Minor Outlying Islands" },
                    { "US", "USA", "United States" },
                    { "UY", "URY", "Uruguay" },
                    { "UZ", "UZB", "Uzbekistan" },
                    { "VA", "VAT", "Holy See (Vatican City State)" },
                    { "VC", "VCT", "Saint Vincent and the Grenadines" },
                    { "VE", "VEN", "Venezuela" },
                    { "VG", "VGB", "Virgin Islands, British" },
                    { "VI", "VIR", "Virgin Islands, U.S." },
                    { "VN", "VNM", "Vietnam" },
                    { "VU", "VUT", "Vanuatu" },
                    { "WF", "WLF", "Wallis and Futuna" },
                    { "WS", "WSM", "Samoa" },
                    { "YE", "YEM", "Yemen" },
                    { "YT", "MYT", "Mayotte" },
                    { "ZA", "ZAF", "South Africa" },
                    { "ZM", "ZMB", "Zambia" },
                    { "ZW", "ZWE", "Zimbabwe" }
                });

            migrationBuilder.InsertData(
                table: "policy_versions",
                columns: new[] { "id", "activated_at", "activated_by", "drafted_at", "drafted_by", "name", "number", "parameters", "retired_at", "status" },
                values: new object[] { new Guid("0199a000-0000-7000-8000-00000000b001"), new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, "DoD baseline 2026", 1, "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"sessionSignOffHours\":24,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-SESSION-LOG\":{\"enabled\":true,\"severity\":\"Warn\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"SCREENING-MATCH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}},\"screening\":{\"threshold\":0.92,\"countryMismatchPenalty\":0.05}}", null, "Active" });

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_person_id_system_id",
                table: "access_grants",
                columns: new[] { "person_id", "system_id" });

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_policy_version_id",
                table: "access_grants",
                column: "policy_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_status",
                table: "access_grants",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_access_grants_system_id_status",
                table: "access_grants",
                columns: new[] { "system_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_hash",
                table: "api_tokens",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_tokens_owner_user_id",
                table: "api_tokens",
                column: "owner_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_actor_user_id",
                table: "audit_events",
                column: "actor_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_actor_vendor_id",
                table: "audit_events",
                column: "actor_vendor_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_correlation_id",
                table: "audit_events",
                column: "correlation_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_hash",
                table: "audit_events",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_occurred_at",
                table: "audit_events",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_previous_hash",
                table: "audit_events",
                column: "previous_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_rule_outcomes",
                table: "audit_events",
                column: "rule_outcomes")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_subject_type_subject_id",
                table: "audit_events",
                columns: new[] { "subject_type", "subject_id" });

            migrationBuilder.CreateIndex(
                name: "ix_cloud_systems_name",
                table: "cloud_systems",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_flags",
                table: "code_contributions",
                column: "flags")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_person_id",
                table: "code_contributions",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_review_verdict_risk_score",
                table: "code_contributions",
                columns: new[] { "review_verdict", "risk_score" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_system_id",
                table: "code_contributions",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_vendor_id_author_email",
                table: "code_contributions",
                columns: new[] { "vendor_id", "author_email" });

            migrationBuilder.CreateIndex(
                name: "ix_code_contributions_vendor_id_system_id_repository_external_",
                table: "code_contributions",
                columns: new[] { "vendor_id", "system_id", "repository", "external_id" },
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_contracts_number",
                table: "contracts",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_contracts_office_id_vendor_id",
                table: "contracts",
                columns: new[] { "office_id", "vendor_id" });

            migrationBuilder.CreateIndex(
                name: "ix_contracts_responsible_officer_ids",
                table: "contracts",
                column: "responsible_officer_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_contracts_system_ids",
                table: "contracts",
                column: "system_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_contracts_vendor_id",
                table: "contracts",
                column: "vendor_id");

            migrationBuilder.CreateIndex(
                name: "ix_contributor_aliases_person_id",
                table: "contributor_aliases",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_contributor_aliases_vendor_id_email",
                table: "contributor_aliases",
                columns: new[] { "vendor_id", "email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_countries_alpha3",
                table: "countries",
                column: "alpha3",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_escort_id",
                table: "escort_assignments",
                column: "escort_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_person_id_system_id",
                table: "escort_assignments",
                columns: new[] { "person_id", "system_id" });

            migrationBuilder.CreateIndex(
                name: "ix_escort_assignments_system_id",
                table: "escort_assignments",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_assignment_id",
                table: "escort_requests",
                column: "assignment_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_escort_id",
                table: "escort_requests",
                column: "escort_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_person_id",
                table: "escort_requests",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_status",
                table: "escort_requests",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_system_id",
                table: "escort_requests",
                column: "system_id");

            migrationBuilder.CreateIndex(
                name: "ix_escort_requests_vendor_id_status",
                table: "escort_requests",
                columns: new[] { "vendor_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_assignment_id",
                table: "escorted_sessions",
                column: "assignment_id");

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_signed_off_at",
                table: "escorted_sessions",
                column: "signed_off_at");

            migrationBuilder.CreateIndex(
                name: "ix_escorted_sessions_vendor_id_ended_at",
                table: "escorted_sessions",
                columns: new[] { "vendor_id", "ended_at" });

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_receipts_transaction_id_subject_table_subject_id",
                table: "evaluation_receipts",
                columns: new[] { "transaction_id", "subject_table", "subject_id" });

            migrationBuilder.CreateIndex(
                name: "ix_findings_person_id",
                table: "findings",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_findings_subject_id",
                table: "findings",
                column: "subject_id");

            migrationBuilder.CreateIndex(
                name: "ix_findings_vendor_id_status",
                table: "findings",
                columns: new[] { "vendor_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_findings_one_open_per_rule_and_subject",
                table: "findings",
                columns: new[] { "rule_id", "subject_type", "subject_id" },
                unique: true,
                filter: "status IN ('Open', 'Acknowledged')");

            migrationBuilder.CreateIndex(
                name: "ix_integrity_findings_detected_at",
                table: "integrity_findings",
                column: "detected_at");

            migrationBuilder.CreateIndex(
                name: "ux_integrity_findings_one_open_per_kind",
                table: "integrity_findings",
                column: "kind",
                unique: true,
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_location_attestations_vendor_id_submitted_at",
                table: "location_attestations",
                columns: new[] { "vendor_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_people_citizenships",
                table: "people",
                column: "citizenships")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_people_country_of_birth",
                table: "people",
                column: "country_of_birth");

            migrationBuilder.CreateIndex(
                name: "ix_people_full_name_id",
                table: "people",
                columns: new[] { "full_name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_people_vendor_id_employee_id",
                table: "people",
                columns: new[] { "vendor_id", "employee_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_people_work_country",
                table: "people",
                column: "work_country");

            migrationBuilder.CreateIndex(
                name: "ix_person_fact_history_person_id_effective_on_recorded_at",
                table: "person_fact_history",
                columns: new[] { "person_id", "effective_on", "recorded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_policy_versions_number",
                table: "policy_versions",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_policy_versions_one_active",
                table: "policy_versions",
                column: "status",
                unique: true,
                filter: "status = 'Active'");

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_policy_version_id",
                table: "reevaluation_runs",
                column: "policy_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_started_at",
                table: "reevaluation_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_reevaluation_runs_unfinished",
                table: "reevaluation_runs",
                column: "finished_at",
                filter: "finished_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_restricted_party_entries_list_id_key",
                table: "restricted_party_entries",
                columns: new[] { "list_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restricted_party_lists_version",
                table: "restricted_party_lists",
                column: "version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_role_claims_role_id",
                table: "role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_entry_id",
                table: "screening_hits",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_person_id_status",
                table: "screening_hits",
                columns: new[] { "person_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_screening_hits_status_vendor_id",
                table: "screening_hits",
                columns: new[] { "status", "vendor_id" });

            migrationBuilder.CreateIndex(
                name: "ix_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_roles_role_id",
                table: "user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_sessions_user_id_created_at",
                table: "user_sessions",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "ix_users_office_id",
                table: "users",
                column: "office_id");

            migrationBuilder.CreateIndex(
                name: "ix_users_smart_card_identity",
                table: "users",
                column: "smart_card_identity",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_users_vendor_id",
                table: "users",
                column: "vendor_id");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vendors_cage_code",
                table: "vendors",
                column: "cage_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vendors_name",
                table: "vendors",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_vendors_uei",
                table: "vendors",
                column: "uei",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_waivers_finding_id",
                table: "waivers",
                column: "finding_id");

            migrationBuilder.CreateIndex(
                name: "ix_waivers_subject_type_subject_id_status",
                table: "waivers",
                columns: new[] { "subject_type", "subject_id", "status" });

            // Defaults the squashed chain left on NOT NULL columns it added to tables that already had rows (AddColumn with a
            // value for those rows). The model does not declare them and the portal always writes these columns; they are
            // kept so that this migration builds exactly the database the chain built (SQL that leaves the columns out
            // behaves alike on both).
            migrationBuilder.Sql("""
                ALTER TABLE api_tokens ALTER COLUMN scope SET DEFAULT 'ReadWrite';
                ALTER TABLE api_tokens ALTER COLUMN operations SET DEFAULT '{}'::text[];
                ALTER TABLE people ALTER COLUMN screening_status SET DEFAULT 'Clear';
                ALTER TABLE users ALTER COLUMN must_change_password SET DEFAULT false;
                ALTER TABLE users ALTER COLUMN is_service_account SET DEFAULT false;
                ALTER TABLE users ALTER COLUMN previous_password_hashes SET DEFAULT '{}'::text[];
                """);

            // What is not schema (ADR 0032), in the order the migrations squashed into this one ran it: the application
            // role's DML-only grants and default privileges (0001); the append-only audit trail (0002); the evaluation-receipt
            // backstop (0003) on people, grants and escort assignments, then cloud systems (0004), its check made an index
            // probe (0005), then code contributions (0006); the fact-history view (0007, 0008); the append-only bulk-event
            // subjects (0009) and fact history (0010); signed checkpoints (0011); receipts that need an audit event (0012,
            // which adds audit_events.transaction_id); and the state-verification functions (0013). The squashed chain's
            // steps that only carried existing rows forward (per-attribute facts folded into per-change rows, unencrypted
            // data-protection keys deleted) have no rows to act on in a new database.
            foreach (var script in Scripts)
            {
                migrationBuilder.Sql(SqlScripts.Read(script));
            }
        }

        /// <summary>The versioned scripts of Data/Sql, in the order they run.</summary>
        internal static readonly string[] Scripts =
        [
            "0001_app_role_grants.sql",
            "0002_audit_append_only.sql",
            "0003_evaluation_receipts.sql",
            "0004_cloud_system_receipts.sql",
            "0005_evaluation_receipt_lookup.sql",
            "0006_code_contribution_receipts.sql",
            "0007_fact_history_per_change.sql",
            "0008_fact_history_sources.sql",
            "0009_audit_event_subjects.sql",
            "0010_fact_history_append_only.sql",
            "0011_chain_checkpoints.sql",
            "0012_receipts_need_an_audit_event.sql",
            "0013_state_verification.sql",
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Dropping the tables drops their triggers; the view, the functions, the aggregate and the default privileges
            // are not owned by a table.
            migrationBuilder.Sql("""
                DROP VIEW IF EXISTS person_fact_changes;
                DROP FUNCTION IF EXISTS audit_instant_text(text);
                DROP FUNCTION IF EXISTS audit_instant(text);
                DROP FUNCTION IF EXISTS audit_json_text(text);
                DROP FUNCTION IF EXISTS audit_people_added(jsonb);
                DROP AGGREGATE IF EXISTS audit_replay(jsonb);
                """);

            migrationBuilder.DropTable(
                name: "access_grants");

            migrationBuilder.DropTable(
                name: "api_tokens");

            migrationBuilder.DropTable(
                name: "audit_event_subjects");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "chain_checkpoints");

            migrationBuilder.DropTable(
                name: "code_contributions");

            migrationBuilder.DropTable(
                name: "contracts");

            migrationBuilder.DropTable(
                name: "contributor_aliases");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "escort_requests");

            migrationBuilder.DropTable(
                name: "escorted_sessions");

            migrationBuilder.DropTable(
                name: "evaluation_receipts");

            migrationBuilder.DropTable(
                name: "integrity_findings");

            migrationBuilder.DropTable(
                name: "location_attestations");

            migrationBuilder.DropTable(
                name: "person_fact_history");

            migrationBuilder.DropTable(
                name: "reevaluation_runs");

            migrationBuilder.DropTable(
                name: "role_claims");

            migrationBuilder.DropTable(
                name: "scheduled_runs");

            migrationBuilder.DropTable(
                name: "screening_hits");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_sessions");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "waivers");

            migrationBuilder.DropTable(
                name: "escort_assignments");

            migrationBuilder.DropTable(
                name: "policy_versions");

            migrationBuilder.DropTable(
                name: "restricted_party_entries");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "findings");

            migrationBuilder.DropTable(
                name: "cloud_systems");

            migrationBuilder.DropTable(
                name: "restricted_party_lists");

            migrationBuilder.DropTable(
                name: "contracting_offices");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "countries");

            migrationBuilder.DropTable(
                name: "vendors");

            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS require_evaluation_receipt();
                DROP FUNCTION IF EXISTS require_audit_event_in_transaction();
                DROP FUNCTION IF EXISTS audit_events_refuse_change();
                DROP FUNCTION IF EXISTS audit_event_subjects_refuse_change();
                DROP FUNCTION IF EXISTS person_fact_history_refuse_change();
                DROP FUNCTION IF EXISTS chain_checkpoints_refuse_change();
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM compliancehub_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM compliancehub_app;
                """);
        }
    }
}
