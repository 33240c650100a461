using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// The evaluation-receipt check at commit becomes one index probe per row instead of a scan of the transaction's
    /// receipts (a 50,000-row roster import). No model change; the function's meaning is unchanged.
    /// </summary>
    [DbContext(typeof(ComplianceDbContext))]
    [Migration("20261128195500_ImportReceiptLookup")]
    public partial class ImportReceiptLookup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Read("0005_evaluation_receipt_lookup.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(SqlScripts.Read("0003_evaluation_receipts.sql").Split("CREATE CONSTRAINT TRIGGER", 2)[0]
                .Replace("REVOKE UPDATE, DELETE, TRUNCATE ON TABLE evaluation_receipts FROM compliancehub_app;", "")
                .Replace("GRANT SELECT, INSERT ON TABLE evaluation_receipts TO compliancehub_app;", ""));
        }
    }
}
