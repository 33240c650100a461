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
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    terminated_on = table.Column<DateOnly>(type: "date", nullable: true)
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
        
            // The application role: DML only (docs/adr/0003-database-naming-and-roles.md).
            migrationBuilder.Sql(SqlScripts.Read("0001_app_role_grants.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM compliancehub_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM compliancehub_app;
                """);

            migrationBuilder.DropTable(
                name: "cloud_systems");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "people");

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
                name: "countries");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "vendors");
        }
    }
}
