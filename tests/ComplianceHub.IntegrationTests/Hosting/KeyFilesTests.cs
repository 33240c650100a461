using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Security;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplianceHub.IntegrationTests.Hosting;

/// <summary>
/// The data-protection key ring is in the database, but every key in it is encrypted to a certificate whose private key is a
/// file on the host (issue 19): whoever reads the table — the application's role, the owner, a backup — cannot forge a
/// cookie. A portal without the certificate cannot read the cookies; one given the old certificate as a previous one can
/// (rotation); outside Development a portal without key files does not start. On a database of their own: a portal with
/// other keys adds its own key to the ring.
/// </summary>
public sealed class KeyFilesTests : IAsyncLifetime
{
    private static readonly Uri Address = new("http://localhost/");
    private TestDatabase database = null!;
    private PortalFactory portal = null!;
    private string otherKeys = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("keys");
        portal = new PortalFactory(database);
        await portal.SeedDemoAsync();
        otherKeys = Path.Combine(Path.GetTempPath(), "compliancehub-tests", $"other-keys-{Guid.NewGuid():N}");
        KeyFiles.Create(otherKeys);
    }

    public async Task DisposeAsync()
    {
        await portal.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(otherKeys, recursive: true);
    }

    [Fact]
    public async Task EveryKeyInTheDatabaseIsEncrypted_AndOnlyThePortalsCertificateReadsThem()
    {
        using var session = PortalSession.Open(portal, Address);
        Assert.True(await session.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var cookie = string.Join("; ", session.Cookies(Address).Select(c => $"{c.Name}={c.Value}"));

        // As the application's role reads it: no key material in the clear, only data encrypted to the certificate.
        var rows = (long)(await TestDatabase.ScalarAsync(database.AppConnectionString, "SELECT count(*) FROM data_protection_keys"))!;
        Assert.True(rows >= 1);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(database.AppConnectionString,
            "SELECT count(*) FROM data_protection_keys WHERE xml LIKE '%<value>%' OR xml NOT LIKE '%<EncryptedData%'"));

        // The same database with other key files: the cookie means nothing (the key ring's keys cannot be decrypted).
        await using (var stranger = portal.WithWebHostBuilder(b => b.UseSetting("Keys:Folder", otherKeys)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(stranger, cookie));
        }

        // Rotation: the new files, with the old certificate kept as a previous one, read the cookies made under the old.
        var current = KeyFiles.InFolder(PortalFactory.TestKeys.Folder).DataProtectionCertificate;
        await using var rotated = portal.WithWebHostBuilder(b =>
        {
            b.UseSetting("Keys:Folder", otherKeys);
            b.UseSetting("Keys:PreviousDataProtectionCertificates:0", current);
        });
        Assert.Equal(HttpStatusCode.OK, await MeAsync(rotated, cookie));
    }

    [Fact]
    public void OutsideDevelopment_APortalWithoutKeyFiles_DoesNotStart_AndSaysWhatToDo()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:ComplianceHub"] = database.AppConnectionString;
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddComplianceHubPortal());
        Assert.Contains("keys create --folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("Keys__Folder", error.Message, StringComparison.Ordinal);

        // Given the files, the same start goes through.
        var configured = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        configured.Configuration["ConnectionStrings:ComplianceHub"] = database.AppConnectionString;
        configured.Configuration["Keys:Folder"] = otherKeys;
        configured.AddComplianceHubPortal();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyFiles_ArePrivateToThePortalsAccount_AndKeptWhenCreatedAgain()
    {
        var files = KeyFiles.InFolder(otherKeys);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.DataProtectionKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files.AuditSigningKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(otherKeys));
        var before = File.ReadAllText(files.AuditSigningKey);
        Assert.Empty(KeyFiles.Create(otherKeys));
        Assert.Equal(before, File.ReadAllText(files.AuditSigningKey));
        using var key = files.LoadAuditSigningKey();
        var data = "compliancehub-checkpoint/1\n1\nabc\n"u8.ToArray();
        var signature = key.Sign(data);
        using var publicKey = AuditSigningKey.Load(Path.Combine(otherKeys, KeyFiles.AuditSigningPublicKeyFile));
        Assert.Equal(key.KeyId, publicKey.KeyId);
        Assert.True(publicKey.Verify(data, signature));
        Assert.False(publicKey.Verify("compliancehub-checkpoint/1\n2\nabc\n"u8, signature));
        Assert.Throws<InvalidOperationException>(() => publicKey.Sign(data));
    }

    private static async Task<HttpStatusCode> MeAsync(WebApplicationFactory<Program> factory, string cookie)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode;
    }
}
