using System.Net;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>
/// The evidence package page as the server renders it: the range, what the package will hold, a download link that works
/// with the page's own sign-in cookie, how to verify offline, and the packages built (empty, then the one just downloaded).
/// </summary>
public sealed partial class EvidencePageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Fact]
    public async Task AnAuditor_SeesWhatThePackageHolds_DownloadsIt_AndThenSeesItsManifestHashInTheHistory()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var html = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/evidence"));

        Assert.Contains("No evidence package has been built yet", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"evidence-preview\"", html, StringComparison.Ordinal);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.Date); // the fixture's portal runs on the real clock
        var range = new EvidenceRange(new DateOnly(today.Year, today.Month, 1), today);
        Assert.Contains($"verify-evidence {range.FileName}", html, StringComparison.Ordinal);
        var href = DownloadLink().Match(html);
        Assert.True(href.Success, "no download link");
        Assert.Equal($"/api/v1/exports/evidence?from={range.From:yyyy-MM-dd}&to={range.To:yyyy-MM-dd}", href.Groups[1].Value);
        var events = int.Parse(EventCount().Match(html).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(events > 0, "the demo seed is audited");

        var download = await auditor.Client.GetAsync(href.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var zip = await download.Content.ReadAsByteArrayAsync();
        var verified = EvidenceZip.Verify(zip);
        Assert.True(verified.Valid, string.Join("\n", verified.Problems));
        Assert.True(verified.Events >= events, "the preview counted the events up to the moment it was shown");

        // The page says the package is signed, with the key's id, offers the public key, and says it is a convenience.
        var keyId = PortalFactory.TestKeys.PublicKey.KeyId;
        Assert.Contains("Every package is signed", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"evidence-signing-key-id\"><code>{keyId}</code>", html, StringComparison.Ordinal);
        Assert.Contains("The key offered here is a convenience", html, StringComparison.Ordinal);
        Assert.Contains("out of band", html, StringComparison.Ordinal);
        Assert.Contains($"verify-evidence {range.FileName} --public-key audit-signing.pub.pem", html, StringComparison.Ordinal);
        var pemLink = PemLink().Match(html);
        Assert.True(pemLink.Success, "no link to the public key");
        var pem = await auditor.Client.GetAsync(pemLink.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, pem.StatusCode);
        using (var served = Core.Security.AuditSigningKey.FromPem(await pem.Content.ReadAsStringAsync()))
        {
            Assert.Equal(keyId, served.KeyId);
        }
        Assert.Equal(EvidenceSignature.Verified, EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey).Signature);

        var after = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/evidence"));
        Assert.DoesNotContain("No evidence package has been built yet", after, StringComparison.Ordinal);
        Assert.Contains(EvidenceZip.Sha256(EvidenceZip.File(zip, EvidencePackage.Manifest)), after, StringComparison.Ordinal);
        Assert.Contains($"{range.From:yyyy-MM-dd} to {range.To:yyyy-MM-dd}", after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("co1@demo.local")]
    [InlineData("rep@acme.demo.local")]
    public async Task OtherRoles_AreTurnedAway(string email)
    {
        using var session = await SignInAsync(email);
        var response = await session.Client.GetAsync("/evidence");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"(/api/v1/exports/evidence\\?[^\"]+)\"")]
    private static partial Regex DownloadLink();

    [GeneratedRegex("href=\"(/api/v1/evidence/signing-key\\.pem)\"")]
    private static partial Regex PemLink();

    [GeneratedRegex("data-testid=\"evidence-count-audit-events.jsonl\">([0-9,]+)<")]
    private static partial Regex EventCount();
}
