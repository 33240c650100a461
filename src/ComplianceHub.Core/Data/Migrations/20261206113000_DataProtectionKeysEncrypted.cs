using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Data.Migrations
{
    /// <summary>
    /// The data-protection keys stored before the key ring was encrypted to a certificate (issue 19) were readable by the
    /// application's role, so they are treated as disclosed: removed. Every cookie and antiforgery token made with them stops
    /// working once (people sign in again); the portal makes a new, encrypted key on its next request.
    /// </summary>
    public partial class DataProtectionKeysEncrypted : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM data_protection_keys WHERE xml NOT LIKE '%<EncryptedData%';");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to restore: the removed keys are not kept anywhere.
        }
    }
}
