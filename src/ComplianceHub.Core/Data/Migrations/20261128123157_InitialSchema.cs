using System;
using System.Collections.Generic;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ComplianceHub.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "cloud_systems",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    environment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    impact_level = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cloud_systems", x => x.id);
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
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policy_versions", x => x.id);
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
                name: "vendors",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cage_code = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    uei = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vendors", x => x.id);
                    table.CheckConstraint("ck_vendors_cage_code", "cage_code ~ '^[A-Z0-9]{5}$'");
                    table.CheckConstraint("ck_vendors_uei", "uei ~ '^[A-Z0-9]{12}$'");
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
                    location_attested_on = table.Column<DateOnly>(type: "date", nullable: true)
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
                    recent_failed_sign_ins = table.Column<List<DateTimeOffset>>(type: "timestamp with time zone[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_sign_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
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
                    resolution = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
                name: "person_fact_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attribute = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    value = table.Column<string>(type: "jsonb", nullable: true),
                    effective_on = table.Column<DateOnly>(type: "date", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recorded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    recorded_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                values: new object[] { new Guid("0199a000-0000-7000-8000-00000000b001"), new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, new DateTimeOffset(new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null, "DoD baseline 2026", 1, "{\"countrySets\":{\"ADVERSARY\":[\"CN\",\"CU\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\",\"VE\"],\"CONCERN\":[\"BY\",\"MM\",\"SY\"],\"COVERED\":[\"CN\",\"HK\",\"IR\",\"KP\",\"MO\",\"RU\"],\"US_AREAS\":[\"AS\",\"GU\",\"MP\",\"PR\",\"UM\",\"US\",\"VI\"]},\"attestationDays\":{\"privileged\":30,\"other\":180,\"warnBefore\":7},\"escortMaxSupervised\":2,\"maxGrantDays\":365,\"vettingMaxAgeYears\":5,\"findingDueDays\":{\"block\":7,\"suspend\":7,\"warn\":30},\"sessionSignOffHours\":24,\"rules\":{\"ATTEST-FRESH\":{\"enabled\":true,\"severity\":\"Suspend\"},\"CIT-CONCERN\":{\"enabled\":true,\"severity\":\"Warn\"},\"CIT-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-QUALIFIED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-RATIO\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-REQUIRED\":{\"enabled\":true,\"severity\":\"Block\"},\"ESCORT-SESSION-LOG\":{\"enabled\":true,\"severity\":\"Warn\"},\"GRANT-TERMS\":{\"enabled\":true,\"severity\":\"Block\"},\"IL2-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Warn\"},\"IL45-INVESTIGATION\":{\"enabled\":true,\"severity\":\"Block\"},\"IL45-US-PERSON\":{\"enabled\":true,\"severity\":\"Block\"},\"IL6-CITIZEN\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-ADVERSARY\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-COVERED\":{\"enabled\":true,\"severity\":\"Block\"},\"LOC-US-AREAS\":{\"enabled\":true,\"severity\":\"Block\"},\"NDA\":{\"enabled\":true,\"severity\":\"Block\"},\"TERMINATION\":{\"enabled\":true,\"severity\":\"Block\"},\"VETTING-CURRENT\":{\"enabled\":true,\"severity\":\"Warn\"}}}", null, "Active" });

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
                name: "ix_audit_events_actor_user_id",
                table: "audit_events",
                column: "actor_user_id");

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
                name: "ix_audit_events_subject_type_subject_id",
                table: "audit_events",
                columns: new[] { "subject_type", "subject_id" });

            migrationBuilder.CreateIndex(
                name: "ix_cloud_systems_name",
                table: "cloud_systems",
                column: "name",
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
                name: "ix_people_vendor_id_employee_id",
                table: "people",
                columns: new[] { "vendor_id", "employee_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_people_work_country",
                table: "people",
                column: "work_country");

            migrationBuilder.CreateIndex(
                name: "ix_person_fact_changes_person_id_attribute_effective_on",
                table: "person_fact_changes",
                columns: new[] { "person_id", "attribute", "effective_on" });

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
                name: "ix_role_claims_role_id",
                table: "role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "roles",
                column: "normalized_name",
                unique: true);

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
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

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
        
            // Versioned SQL that is not schema (docs/adr/0003, 0006, 0008), in order:
            // the application role's DML-only grants, the append-only audit trail, and the evaluation-receipt backstop.
            migrationBuilder.Sql(SqlScripts.Read("0001_app_role_grants.sql"));
            migrationBuilder.Sql(SqlScripts.Read("0002_audit_append_only.sql"));
            migrationBuilder.Sql(SqlScripts.Read("0003_evaluation_receipts.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS people_require_evaluation_receipt ON people;
                DROP TRIGGER IF EXISTS access_grants_require_evaluation_receipt ON access_grants;
                DROP TRIGGER IF EXISTS escort_assignments_require_evaluation_receipt ON escort_assignments;
                DROP FUNCTION IF EXISTS require_evaluation_receipt();
                DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events;
                DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events;
                DROP FUNCTION IF EXISTS audit_events_refuse_change();
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM compliancehub_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM compliancehub_app;
                """);

            migrationBuilder.DropTable(
                name: "access_grants");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "escorted_sessions");

            migrationBuilder.DropTable(
                name: "evaluation_receipts");

            migrationBuilder.DropTable(
                name: "location_attestations");

            migrationBuilder.DropTable(
                name: "person_fact_changes");

            migrationBuilder.DropTable(
                name: "role_claims");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "waivers");

            migrationBuilder.DropTable(
                name: "policy_versions");

            migrationBuilder.DropTable(
                name: "escort_assignments");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "findings");

            migrationBuilder.DropTable(
                name: "cloud_systems");

            migrationBuilder.DropTable(
                name: "people");

            migrationBuilder.DropTable(
                name: "countries");

            migrationBuilder.DropTable(
                name: "vendors");
        }
    }
}
