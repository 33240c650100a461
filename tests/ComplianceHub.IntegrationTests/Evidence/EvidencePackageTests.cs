using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplianceHub.IntegrationTests.Evidence;

/// <summary>
/// The evidence package of a portal with real data made through commands, downloaded over the API as the auditor, then
/// verified offline — intact, and with each file, event and the chain head tampered with in turn.
/// </summary>
public sealed partial class EvidencePackageTests() : ApiTestBase("evidence")
{
    private Guid mover;
    private Guid grant;
    private Guid assignment;
    private Guid attestation;

    private DateOnly From => Today.AddDays(-7);

    protected override async Task ArrangePeopleAsync()
    {
        mover = await AddPersonAsync("US");
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        grant = (await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        Clock.Advance(TimeSpan.FromSeconds(1)); // the grant is held for a second before the move suspends it
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(mover, "CN", "Shenzhen"))).IsOk); // a finding on the grant
        assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today, Today.AddDays(30)))).Value!.Id;
        var attested = await SendAsync(AcmeRep, new SubmitAttestation(DemoSeeder.AcmeId,
            "I attest that the people below work where stated and hold exactly the citizenships listed.",
            [new AttestedPerson(escort, "US", "Reston", ["US"])]));
        Assert.True(attested.IsOk, attested.Message);
        await using var db = await ContextAsync();
        attestation = await db.LocationAttestations.Select(a => a.Id).SingleAsync();
    }

    private async Task<byte[]> DownloadAsync(DateOnly from, DateOnly to)
    {
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync($"/api/v1/exports/evidence?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"evidence-{from:yyyyMMdd}-{to:yyyyMMdd}.zip", response.Content.Headers.ContentDisposition?.FileName);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static JsonArray Array(byte[] zip, string file) => JsonNode.Parse(EvidenceZip.File(zip, file))!.AsArray();

    [Fact]
    public async Task ThePackage_Verifies_HoldsTheRangesRecords_AndItsBuildIsAuditedWithTheManifestHash()
    {
        var zip = await DownloadAsync(From, Today);

        var result = EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);
        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal((EvidenceSignature.Verified, PortalFactory.TestKeys.PublicKey.KeyId), (result.Signature, result.SignerKeyId));
        Assert.Equal(EvidencePackage.ContentFiles.Count, result.Files);
        Assert.Equal([.. EvidencePackage.ContentFiles, EvidencePackage.Manifest, EvidencePackage.ManifestSignature], EvidenceZip.Read(zip).Select(e => e.Name).ToArray());

        // The package's own event (8200) is appended after the zip: every other event of the range is in it.
        var built = await SingleEventAsync(e => e.EventType == AuditEventTypes.EvidencePackageBuilt);
        await using (var db = await ContextAsync())
        {
            var range = new EvidenceRange(From, Today);
            var inRange = await db.AuditEvents.CountAsync(e => e.OccurredAt >= range.Start && e.OccurredAt < range.End && e.Sequence < built.Sequence);
            Assert.Equal(inRange, result.Events);
            Assert.Equal(built.Sequence - 1, result.LastSequence);
            var last = await db.AuditEvents.SingleAsync(e => e.Sequence == result.LastSequence);
            Assert.Equal(last.Hash, result.HeadHash);
        }

        // The audit event names the package and carries the manifest's hash, which is the downloaded manifest's.
        Assert.Equal(EvidencePackage.SubjectType, built.SubjectType);
        Assert.Equal("Jordan Auditor", built.ActorName);
        using var changes = JsonDocument.Parse(built.Changes);
        string? After(string name) => changes.RootElement.GetProperty(name).GetProperty("after").ToString();
        Assert.Equal(EvidenceZip.Sha256(EvidenceZip.File(zip, EvidencePackage.Manifest)), After("manifestSha256"));
        Assert.Equal(From.ToString("yyyy-MM-dd"), After("from"));
        Assert.Equal(Today.ToString("yyyy-MM-dd"), After("to"));
        Assert.Equal((EvidencePackage.ContentFiles.Count + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), After("files")); // with the manifest and its signature
        Assert.Equal(PortalFactory.TestKeys.PublicKey.KeyId, After("signingKeyId"));
        Assert.Equal(result.Events.ToString(System.Globalization.CultureInfo.InvariantCulture), After("events"));
        var manifest = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.Manifest))!;
        Assert.Equal(built.SubjectId, (string?)manifest["packageId"]);
        Assert.Equal("Auditor", (string?)manifest["generatedBy"]!["role"]);
        var chain = await VerifyChainAsync();
        Assert.True(chain.Valid, chain.Problem);
        Assert.Equal(built.Hash, chain.HeadHash);

        // The records made through commands are in their files.
        var finding = Assert.Single(Array(zip, EvidencePackage.Findings), f => (string?)f!["subjectId"] == grant.ToString());
        Assert.Equal("Open", (string?)finding!["status"]);
        Assert.Contains(Array(zip, EvidencePackage.Grants), g => (string?)g!["id"] == grant.ToString());
        Assert.Contains(Array(zip, EvidencePackage.EscortAssignments), a => (string?)a!["id"] == assignment.ToString());
        var signed = Assert.Single(Array(zip, EvidencePackage.Attestations));
        Assert.Equal(attestation.ToString(), (string?)signed!["id"]);
        Assert.Equal(64, ((string?)signed["sha256"])!.Length);
        Assert.True((bool)signed["sha256Matches"]!);
        var person = Assert.Single(Array(zip, EvidencePackage.Roster), p => (string?)p!["personId"] == mover.ToString());
        Assert.Equal("CN", (string?)person!["facts"]!["workCountry"]);
        Assert.Equal("Active", (string?)Assert.Single(Array(zip, EvidencePackage.PolicyVersions))!["status"]);
        var head = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.ChainHead))!;
        Assert.True((bool)head["liveHead"]!["verified"]!);
        Assert.Equal(result.Events, (long)head["eventCount"]!);

        // Every line of audit-events.jsonl carries every canonical field and the hash, as stored.
        var firstLine = JsonNode.Parse(EvidenceZip.Text(zip, EvidencePackage.AuditEvents).Split('\n')[0])!.AsObject();
        Assert.Equal(["sequence", "occurredAt", "actorUserId", "actorName", "actorRole", "actorVendorId", "authenticationMethod", "eventType", "operation",
            "subjectType", "subjectId", "changes", "ruleOutcomes", "correlationId", "previousHash", "hash"], firstLine.Select(p => p.Key).ToArray());
    }

    [Fact]
    public async Task TenYearsOfEvents_AreOnePackage_ThatVerifies()
    {
        // The arranged records are of the first day; ten years on (the clock advanced), the mover returns to the US.
        var first = Today;
        Clock.Advance(TimeSpan.FromDays(EvidenceRange.MaxDays - 1));
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(mover, "US", "Reston"))).IsOk);
        var range = new EvidenceRange(first, Today);
        Assert.Equal(EvidenceRange.MaxDays, range.Days);
        Assert.Empty(EvidenceRange.Parse($"{first:yyyy-MM-dd}", $"{Today:yyyy-MM-dd}", Today).Errors);

        using var output = new MemoryStream();
        EvidencePackageResult built;
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            built = await scope.ServiceProvider.GetRequiredService<EvidencePackageBuilder>().BuildAsync(Auditor, range, output);
        }
        var zip = output.ToArray();
        var result = EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);
        Assert.True(result.Valid, string.Join("\n", result.Problems));
        await using (var db = await ContextAsync())
        {
            // Every event of the ten years but the package's own, from the first day's to the one ten years on.
            var events = db.AuditEvents.Where(e => e.OccurredAt >= range.Start && e.OccurredAt < range.End && e.Sequence < built.AuditSequence);
            Assert.Equal(await events.CountAsync(), result.Events);
            Assert.Equal(first, DateOnly.FromDateTime((await events.OrderBy(e => e.Sequence).FirstAsync()).OccurredAt.UtcDateTime));
            Assert.Equal(Today, DateOnly.FromDateTime((await events.OrderBy(e => e.Sequence).LastAsync()).OccurredAt.UtcDateTime));
        }
        // The roster is as of the last day: the move ten years on.
        var person = Assert.Single(Array(zip, EvidencePackage.Roster), p => (string?)p!["personId"] == mover.ToString());
        Assert.Equal("US", (string?)person!["facts"]!["workCountry"]);
        Assert.Contains(Array(zip, EvidencePackage.Grants), g => (string?)g!["id"] == grant.ToString());
    }

    [Fact]
    public async Task ARangeWithNoEvents_IsAPackageWithNoEvents_ThatVerifies()
    {
        var range = new EvidenceRange(Today.AddDays(-3000), Today.AddDays(-2000));
        using var output = new MemoryStream();
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<EvidencePackageBuilder>().BuildAsync(Auditor, range, output)).Events);
        }
        var zip = output.ToArray();
        var result = EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);
        Assert.True(result.Valid, string.Join("\n", result.Problems));
        Assert.Equal(0, result.Events);
        var head = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.ChainHead))!;
        Assert.Equal(0, (long)head["eventCount"]!);
        Assert.Null(head["firstSequence"]);
        Assert.Equal("", EvidenceZip.Text(zip, EvidencePackage.AuditEvents));
        Assert.Equal("", EvidenceZip.Text(zip, EvidencePackage.AuditEventsCanonical));
    }

    [Fact]
    public async Task ThePreview_CountsWhatThePackageHolds_TheRosterIsAsOfTheEndOfTheRange_AndTheHistoryListsTheBuild()
    {
        // Ending yesterday: the move to CN today is not yet in effect, the grant (starting today) and today's events are out.
        var range = new EvidenceRange(From, Today.AddDays(-1));
        await using var scope = Portal.Services.CreateAsyncScope();
        var preview = await scope.ServiceProvider.GetRequiredService<EvidencePreviewQuery>().PreviewAsync(Auditor, range);
        var zip = await DownloadAsync(range.From, range.To);
        Assert.True(EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey).Valid);

        var records = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.Manifest))!["files"]!.AsArray()
            .ToDictionary(f => (string)f!["name"]!, f => (long?)f!["records"]);
        Assert.Equal(preview.Findings, records[EvidencePackage.Findings]);
        Assert.Equal(preview.Roster, records[EvidencePackage.Roster]);
        Assert.Equal(preview.Grants, records[EvidencePackage.Grants]);
        Assert.Equal(preview.EscortAssignments, records[EvidencePackage.EscortAssignments]);
        Assert.Equal(preview.Attestations, records[EvidencePackage.Attestations]);
        Assert.Equal(preview.PolicyVersions, records[EvidencePackage.PolicyVersions]);
        Assert.Equal(preview.AuditEvents, records[EvidencePackage.AuditEvents]);
        Assert.Equal(0, preview.AuditEvents); // everything happened today
        Assert.True(preview.Roster >= 3, "the demo people and the three added a year ago");

        var person = Assert.Single(Array(zip, EvidencePackage.Roster), p => (string?)p!["personId"] == mover.ToString());
        Assert.Equal("US", (string?)person!["facts"]!["workCountry"]);
        Assert.Equal(Today.AddYears(-1).ToString("yyyy-MM-dd"), (string?)person["factSources"]!["workCountry"]!["effectiveOn"]);

        var history = await scope.ServiceProvider.GetRequiredService<EvidencePreviewQuery>().HistoryAsync(Auditor);
        var entry = Assert.Single(history);
        Assert.Equal(range.From.ToString("yyyy-MM-dd"), entry.From);
        Assert.Equal(EvidenceZip.Sha256(EvidenceZip.File(zip, EvidencePackage.Manifest)), entry.ManifestSha256);
        Assert.Equal("Jordan Auditor", entry.BuiltBy);
    }

    [Fact]
    public async Task AlteringAnyFile_FailsWithThatFilesHashProblem_AndExtraMissingOrNonZipFilesAreNamed()
    {
        var zip = await DownloadAsync(From, Today);
        var manifest = JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.Manifest))!["files"]!.AsArray()
            .ToDictionary(f => (string)f!["name"]!, f => (string)f!["sha256"]!);
        Assert.Equal(EvidencePackage.ContentFiles.Order(), manifest.Keys.Order());

        foreach (var file in EvidencePackage.ContentFiles)
        {
            byte[] tampered = [];
            var result = EvidenceZip.Verify(EvidenceZip.Replace(zip, file, bytes =>
            {
                tampered = (byte[])bytes.Clone();
                var at = System.Array.FindIndex(tampered, b => b is >= (byte)'0' and <= (byte)'8'); // a digit, so the JSON stays JSON
                if (at < 0)
                {
                    return tampered = [.. tampered, (byte)' ']; // a file without a digit (no access review in the range): a space more
                }
                tampered[at]++;
                return tampered;
            }));
            Assert.False(result.Valid, file);
            Assert.Contains(result.Problems, p => p.File == file
                && p.Message == $"SHA-256 does not match the manifest: manifest {manifest[file]}, file {EvidenceZip.Sha256(tampered)}");
        }

        // The manifest itself: a listed hash changed names the file whose hash no longer matches, and breaks the signature.
        var forged = EvidenceZip.Verify(EvidenceZip.Replace(zip, EvidencePackage.Manifest,
            bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(manifest[EvidencePackage.Grants], new string('a', 64), StringComparison.Ordinal))),
            PortalFactory.TestKeys.PublicKey);
        Assert.Equal([
            $"grants.json: SHA-256 does not match the manifest: manifest {new string('a', 64)}, file {manifest[EvidencePackage.Grants]}",
            "SHA256SUMS: does not list exactly the manifest's files, in its order, with its SHA-256 hashes",
            $"manifest.sig: is not the signature of manifest.json by the key you gave ({PortalFactory.TestKeys.PublicKey.KeyId}): the manifest was changed after it was signed, or signed by another key",
        ], forged.Problems.Select(p => p.ToString()));

        var extra = EvidenceZip.Verify(EvidenceZip.Write([.. EvidenceZip.Read(zip), ("notes.txt", "added later"u8.ToArray())]));
        Assert.Equal("notes.txt: is in the package but not listed in the manifest", Assert.Single(extra.Problems).ToString());

        var missing = EvidenceZip.Verify(EvidenceZip.Write(EvidenceZip.Read(zip).Where(e => e.Name != EvidencePackage.Grants)));
        Assert.Equal("grants.json: is listed in the manifest but missing from the package", Assert.Single(missing.Problems).ToString());

        var noManifest = EvidenceZip.Verify(EvidenceZip.Write(EvidenceZip.Read(zip).Where(e => e.Name != EvidencePackage.Manifest)));
        Assert.Contains(noManifest.Problems, p => p.File == EvidencePackage.Manifest && p.Message.StartsWith("missing", StringComparison.Ordinal));

        var notZip = EvidenceZip.Verify("this is not a zip"u8.ToArray());
        Assert.False(notZip.IsZip);
        Assert.False(notZip.Valid);
    }

    [Fact]
    public async Task PackagesOfTheUnsignedFormats_StillVerify_ReportedAsUnsigned_ButTheCurrentFormatRequiresEveryFile()
    {
        var zip = await DownloadAsync(From, Today);
        // The mover held the grant for the second before the move to Shenzhen suspended it, failing LOC-COVERED (the move is effective that day).
        var held = JsonNode.Parse(Assert.Single(EvidenceZip.Text(zip, EvidencePackage.Access).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => (string?)JsonNode.Parse(l)!["grantId"] == grant.ToString()))!;
        var interval = Assert.Single(held["intervals"]!.AsArray())!;
        Assert.Equal(("CN", false), ((string?)interval["facts"]!["workCountry"], (bool?)interval["passed"]));
        Assert.Contains(interval["failing"]!.AsArray(), f => (string?)f!["ruleId"] == "LOC-COVERED");

        // The package as an earlier format wrote it: only that format's files, no signature, no signing key or checkpoints.
        byte[] AsFormat(string format)
        {
            var kept = EvidencePackage.RequiredFiles(format).ToHashSet();
            var entries = EvidenceZip.Read(zip).Where(e => kept.Contains(e.Name) || e.Name == EvidencePackage.Manifest).ToList();
            var manifest = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!.AsObject();
            manifest["format"] = format;
            manifest.Remove("signingKey");
            manifest.Remove("checkpoints");
            var files = manifest["files"]!.AsArray();
            foreach (var file in files.Where(f => !kept.Contains((string)f!["name"]!)).ToList())
            {
                files.Remove(file);
            }
            return EvidenceZip.Write(entries.Select(e => e.Name == EvidencePackage.Manifest ? (e.Name, Encoding.UTF8.GetBytes(manifest.ToJsonString())) : e));
        }

        foreach (var format in new[] { EvidencePackage.FormatWithoutAccess, EvidencePackage.FormatUnsigned })
        {
            var old = EvidenceZip.Verify(AsFormat(format));
            Assert.True(old.Valid, string.Join("\n", old.Problems));
            Assert.Equal(EvidenceSignature.Unsigned, old.Signature);
            Assert.Equal($"unsigned (built before packages were signed; format {format}): its files match its manifest, but nothing shows who built it",
                Assert.Single(old.Warnings));
            // A key given means a signature is required.
            Assert.Contains("a public key was given: a signature is required", Assert.Single(EvidenceZip.Verify(AsFormat(format), PortalFactory.TestKeys.PublicKey).Problems).Message,
                StringComparison.Ordinal);
        }

        // The current format without access.jsonl, even listed out of the manifest and re-signed with the real key, is incomplete.
        var entries = EvidenceZip.Read(zip).Where(e => e.Name != EvidencePackage.Access).ToList();
        var unlisted = JsonNode.Parse(entries.Single(e => e.Name == EvidencePackage.Manifest).Bytes)!;
        var listed = unlisted["files"]!.AsArray();
        listed.Remove(listed.Single(f => (string?)f!["name"] == EvidencePackage.Access));
        entries = entries.Select(e => e.Name == EvidencePackage.Manifest ? (e.Name, Encoding.UTF8.GetBytes(unlisted.ToJsonString())) : e).ToList();
        var withoutAccess = EvidenceZip.Write(EvidenceZip.FixManifest(entries, PortalFactory.TestKeys.SigningKey));
        Assert.Equal("access.jsonl: is a required file of the package but is missing",
            Assert.Single(EvidenceZip.Verify(withoutAccess, PortalFactory.TestKeys.PublicKey).Problems).ToString());
        Assert.Contains(EvidenceZip.Verify(AsFormat("compliancehub-evidence/9")).Problems,
            p => p.File == EvidencePackage.Manifest && p.Message.StartsWith("format is 'compliancehub-evidence/9'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheChain_CatchesAnAlteredRemovedOrReorderedEvent_AndAWrongChainHead_EvenWithTheManifestFixed()
    {
        var zip = await DownloadAsync(From, Today);
        var lines = EvidenceZip.Text(zip, EvidencePackage.AuditEvents).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 20, $"only {lines.Length} events");
        var k = lines.Length / 2;
        long Sequence(int line) => (long)JsonNode.Parse(lines[line])!["sequence"]!;

        // Every change below is re-signed with the real key, as if the key had leaked: what catches it is the chain itself.
        var key = PortalFactory.TestKeys.SigningKey;
        EvidenceVerification Check(byte[] package) => EvidenceZip.Verify(package, PortalFactory.TestKeys.PublicKey);

        // One value of one event changed in both files, the manifest recomputed: only the event's own hash gives it away.
        var altered = Check(EvidenceZip.ChangeEvents(zip, l =>
        {
            var e = JsonNode.Parse(l[k])!;
            e["actorName"] = "Mallory";
            l[k] = e.ToJsonString();
            return l;
        }, key));
        Assert.All(altered.Problems, p => Assert.Equal((k + 1, Sequence(k)), (p.Line, p.Sequence)));
        Assert.Equal(Sequence(k), altered.FirstBadSequence);
        Assert.Equal(EvidencePackage.AuditEvents, altered.Problems[0].File);
        Assert.StartsWith($"hash does not match the event's content: stated {JsonNode.Parse(lines[k])!["hash"]}, recomputed ", altered.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((EvidencePackage.AuditEventsCanonical, $"SHA-256 of the line is "), (altered.Problems[1].File, altered.Problems[1].Message[..23]));

        // Changed in audit-events.jsonl only: the canonical line, which still hashes to the event's hash, disagrees with it.
        var jsonOnly = Check(EvidenceZip.ChangeEvents(zip, l =>
        {
            var e = JsonNode.Parse(l[k])!;
            e["actorName"] = "Mallory";
            l[k] = e.ToJsonString();
            return l;
        }, key, canonicalToo: false));
        Assert.Contains(jsonOnly.Problems, p => p.File == EvidencePackage.AuditEventsCanonical && p.Sequence == Sequence(k)
            && p.Message == $"is not the canonical form of the event on line {k + 1} of audit-events.jsonl: the two files disagree");
        Assert.Equal(Sequence(k), jsonOnly.FirstBadSequence);

        // A changed value inside the changes JSON is caught the same way.
        var changedJson = Check(EvidenceZip.ChangeEvents(zip, l =>
        {
            var e = JsonNode.Parse(l[k])!;
            e["changes"]!["forged"] = new JsonObject { ["before"] = null, ["after"] = 1 };
            l[k] = e.ToJsonString();
            return l;
        }, key));
        Assert.NotEmpty(changedJson.Problems);
        Assert.All(changedJson.Problems, p => Assert.Equal(Sequence(k), p.Sequence));

        var removed = Check(EvidenceZip.ChangeEvents(zip, l => { l.RemoveAt(k); return l; }, key));
        Assert.Contains(removed.Problems, p => p.Sequence == Sequence(k + 1)
            && p.Message == $"sequence jumps from {Sequence(k - 1)} to {Sequence(k + 1)}: event {Sequence(k)} is missing (or out of place)");
        Assert.Equal(Sequence(k), removed.FirstBadSequence);
        Assert.Contains(removed.Problems, p => p.File == EvidencePackage.ChainHead && p.Message.Contains($"{lines.Length - 1} lines", StringComparison.Ordinal));

        var reordered = Check(EvidenceZip.ChangeEvents(zip, l => { (l[k], l[k + 1]) = (l[k + 1], l[k]); return l; }, key));
        Assert.Contains(reordered.Problems, p => p.Sequence == Sequence(k) && p.Message == $"out of order: sequence {Sequence(k)} follows sequence {Sequence(k + 1)}");
        Assert.DoesNotContain(reordered.Problems, p => p.Message.StartsWith("hash does not match", StringComparison.Ordinal)); // no content changed
        Assert.Equal(Sequence(k), reordered.FirstBadSequence);

        // The last line dropped and chain-head.json left as it was: the head no longer matches.
        var truncated = Check(EvidenceZip.ChangeEvents(zip, l => l[..^1], key));
        Assert.Contains(truncated.Problems, p => p.File == EvidencePackage.ChainHead && p.Message.StartsWith(
            $"names sequence {Sequence(lines.Length - 1)} (hash {JsonNode.Parse(lines[^1])!["hash"]}) as the last event, but audit-events.jsonl ends with sequence {Sequence(lines.Length - 2)}",
            StringComparison.Ordinal));
        Assert.Equal(Sequence(lines.Length - 1), truncated.FirstBadSequence);

        var wrongHead = Check(EvidenceZip.Replace(zip, EvidencePackage.ChainHead, bytes =>
        {
            var head = JsonNode.Parse(bytes)!;
            head["last"]!["hash"] = new string('b', 64);
            head["anchor"]!["hash"] = new string('c', 64);
            return Encoding.UTF8.GetBytes(head.ToJsonString());
        }, fixManifest: true, resignWith: key));
        Assert.Contains(wrongHead.Problems, p => p.File == EvidencePackage.ChainHead && p.Message.StartsWith($"names sequence {Sequence(lines.Length - 1)} (hash {new string('b', 64)})", StringComparison.Ordinal));
        Assert.Contains(wrongHead.Problems, p => p.Line == 1 && p.Message.EndsWith($"does not equal chain-head.json's anchor {new string('c', 64)}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCli_VerifiesAGoodPackage_AndListsTheProblemsOfATamperedOne_WithoutADatabase()
    {
        var zip = await DownloadAsync(From, Today);
        var dir = Directory.CreateTempSubdirectory("evidence-cli-");
        try
        {
            var good = Path.Combine(dir.FullName, "evidence-good.zip");
            var bad = Path.Combine(dir.FullName, "evidence-bad.zip");
            var text = Path.Combine(dir.FullName, "not-a.zip");
            await System.IO.File.WriteAllBytesAsync(good, zip);
            await System.IO.File.WriteAllBytesAsync(bad, EvidenceZip.Replace(zip, EvidencePackage.Findings, b => [.. b, (byte)' ']));
            await System.IO.File.WriteAllTextAsync(text, "plain text");

            var key = PortalFactory.TestKeys.PublicKeyFile;
            var (code, output) = await CliAsync("verify-evidence", good, "--public-key", key);
            Assert.Equal(0, code);
            Assert.StartsWith($"OK evidence-good.zip: {EvidencePackage.ContentFiles.Count} files match the manifest; ", output, StringComparison.Ordinal);
            Assert.Contains($"signed by key {PortalFactory.TestKeys.PublicKey.KeyId} (the key you gave)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("warning", output, StringComparison.Ordinal);

            // Without a key: valid, and it says plainly what that does not show.
            (code, output) = await CliAsync("verify-evidence", good);
            Assert.Equal(0, code);
            Assert.Contains("  warning: no public key given: the signature was checked against the key inside the package", output, StringComparison.Ordinal);

            // Another key given: the package was not signed by it.
            var other = Path.Combine(dir.FullName, "other");
            Core.Security.KeyFiles.Create(other);
            (code, output) = await CliAsync("verify-evidence", good, "--public-key", Path.Combine(other, Core.Security.KeyFiles.AuditSigningPublicKeyFile));
            Assert.Equal(1, code);
            Assert.Contains($"  - manifest.sig: signed with key {PortalFactory.TestKeys.PublicKey.KeyId}, not with the key you gave (", output, StringComparison.Ordinal);

            (code, output) = await CliAsync("verify-evidence", bad, "--public-key", key);
            Assert.Equal(1, code);
            Assert.Contains("FAILED evidence-bad.zip: 2 problem(s)", output, StringComparison.Ordinal);
            Assert.Contains("  - findings.json: size does not match the manifest", output, StringComparison.Ordinal);

            Assert.Equal(2, (await CliAsync("verify-evidence", text)).Code);
            Assert.Equal(2, (await CliAsync("verify-evidence", Path.Combine(dir.FullName, "absent.zip"))).Code);
            Assert.Equal(2, (await CliAsync("verify-evidence", good, "--public-key", text)).Code); // not a key
            Assert.Equal(2, (await CliAsync("verify-evidence", good, "--public-key")).Code);
            Assert.Equal(2, (await CliAsync("verify-evidence")).Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Runs the CLI's entry point in-process, capturing what it prints.</summary>
    private static async Task<(int Code, string Output)> CliAsync(params string[] args)
    {
        await CliConsole.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        var captured = new StringWriter();
        try
        {
            Console.SetOut(captured);
            Console.SetError(captured);
            var code = await Cli.CliApp.RunAsync(args);
            // The console is the process's: a portal host of another test class starting meanwhile logs into it too.
            var lines = captured.ToString().Split('\n').Where(l => !HostLogLine().IsMatch(l));
            return (code, string.Join('\n', lines));
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            CliConsole.Release();
        }
    }

    private static readonly SemaphoreSlim CliConsole = new(1, 1);

    /// <summary>A log line of a portal host (Serilog's console format: <c>[12:00:00 INF] …</c>), never the CLI's own output.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\[\d\d:\d\d:\d\d [A-Z]{3}\] ")]
    private static partial System.Text.RegularExpressions.Regex HostLogLine();

    [Fact]
    public async Task TheSigningKey_IsOfferedToAuditorsAndAdministrators_AsJsonAndPem_WithEarlierKeys_AndSaysItIsAConvenience()
    {
        var key = PortalFactory.TestKeys.PublicKey;
        using (var auditor = await AsAsync(AuditorEmail))
        {
            var response = await auditor.GetAsync("/api/v1/evidence/signing-key");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await BodyAsync(response);
            Assert.Equal(key.KeyId, body.GetProperty("keyId").GetString());
            Assert.Equal("ECDSA P-256 SHA-256", body.GetProperty("algorithm").GetString());
            Assert.Equal(key.PublicKeyPem, body.GetProperty("publicKeyPem").GetString());
            Assert.Equal(0, body.GetProperty("previousKeys").GetArrayLength());
            Assert.StartsWith("A convenience: the portal that builds the packages serves this key", body.GetProperty("trust").GetString(), StringComparison.Ordinal);

            var pem = await auditor.GetAsync("/api/v1/evidence/signing-key.pem");
            Assert.Equal(HttpStatusCode.OK, pem.StatusCode);
            Assert.Equal("application/x-pem-file", pem.Content.Headers.ContentType?.MediaType);
            Assert.Equal("audit-signing.pub.pem", pem.Content.Headers.ContentDisposition?.FileName);
            using var served = Core.Security.AuditSigningKey.FromPem(await pem.Content.ReadAsStringAsync());
            Assert.Equal(key.KeyId, served.KeyId);
            Assert.False(served.HasPrivateKey);
        }
        using (var admin = await AsAsync(AdminEmail))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/evidence/signing-key")).StatusCode);
        }
        foreach (var email in new[] { Co1Email, AcmeEmail })
        {
            using var client = await AsAsync(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/evidence/signing-key")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/evidence/signing-key.pem")).StatusCode);
        }

        // A key rotated out (Keys:PreviousAuditSigningKeys) is listed with its id, so that older packages still verify.
        var folder = Directory.CreateTempSubdirectory("evidence-rotated-");
        try
        {
            Core.Security.KeyFiles.Create(folder.FullName);
            using var rotated = Core.Security.KeyFiles.InFolder(folder.FullName).LoadAuditSigningKey();
            await using var portal = Portal.WithWebHostBuilder(b => b.UseSetting("Keys:PreviousAuditSigningKeys:0", Core.Security.KeyFiles.InFolder(folder.FullName).AuditSigningKey));
            using var scope = portal.Services.CreateScope();
            var signing = scope.ServiceProvider.GetRequiredService<EvidenceSigningKeyQuery>().Get(Auditor)!;
            Assert.Equal(key.KeyId, signing.KeyId);
            Assert.Equal(new EvidenceVerificationKey(rotated.KeyId, rotated.PublicKeyPem), Assert.Single(signing.PreviousKeys));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task APortalWithoutASigningKey_BuildsNoPackage_AndSaysWhy()
    {
        // Outside Development the portal does not start without keys, and in Development they always resolve: this is the guard.
        await using var portal = Portal.WithWebHostBuilder(b => b.ConfigureServices(s => s.RemoveAll<Core.Security.KeyFiles>()));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var builder = scope.ServiceProvider.GetRequiredService<EvidencePackageBuilder>();
            Assert.False(builder.CanSign);
            using var output = new MemoryStream();
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => builder.BuildAsync(Auditor, new EvidenceRange(From, Today), output));
            Assert.StartsWith("Evidence packages are signed, and this portal has no audit signing key.", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, output.Length);
            Assert.Null(scope.ServiceProvider.GetRequiredService<EvidenceSigningKeyQuery>().Get(Auditor));
        }
        var token = (await (await portal.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = AuditorEmail, password = DemoSeeder.DemoPassword }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var auditor = portal.CreateClient();
        auditor.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await auditor.GetAsync($"/api/v1/exports/evidence?from={From:yyyy-MM-dd}&to={Today:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no audit signing key configured", (await BodyAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await auditor.GetAsync("/api/v1/evidence/signing-key")).StatusCode);
    }

    [Fact]
    public async Task OnlyAuditorsAndAdministrators_GetAPackage_AndBadRangesAre400WithTheField()
    {
        foreach (var email in new[] { Co1Email, AcmeEmail })
        {
            using var client = await AsAsync(email);
            var refused = await client.GetAsync($"/api/v1/exports/evidence?from={From:yyyy-MM-dd}&to={Today:yyyy-MM-dd}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        await using (var db = await ContextAsync())
        {
            Assert.False(await db.AuditEvents.AnyAsync(e => e.EventType == AuditEventTypes.EvidencePackageBuilt));
        }
        using (var admin = await AsAsync(AdminEmail))
        {
            var ok = await admin.GetAsync($"/api/v1/exports/evidence?from={From:yyyy-MM-dd}&to={Today:yyyy-MM-dd}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.True(EvidenceZip.Verify(await ok.Content.ReadAsByteArrayAsync()).Valid);
        }

        using var auditor = await AsAsync(AuditorEmail);
        var cases = new (string Query, string Field, string Message)[]
        {
            ("", "from", "Give the start date of the range (YYYY-MM-DD)."),
            ($"from={From:yyyy-MM-dd}", "to", "Give the end date of the range (YYYY-MM-DD)."),
            ($"from=28/11/2026&to={Today:yyyy-MM-dd}", "from", "'28/11/2026' is not a date in the form YYYY-MM-DD."),
            ($"from={Today:yyyy-MM-dd}&to={From:yyyy-MM-dd}", "to", $"The end date ({From:yyyy-MM-dd}) is before the start date ({Today:yyyy-MM-dd})."),
            ($"from={Today.AddDays(-3653):yyyy-MM-dd}&to={Today:yyyy-MM-dd}", "to", "A package covers at most 3653 days (ten years); this range is 3654. Build one package per ten years."),
            ($"from={Today:yyyy-MM-dd}&to={Today.AddDays(1):yyyy-MM-dd}", "to",
                $"The end date ({Today.AddDays(1):yyyy-MM-dd}) is in the future; the latest possible end is today, {Today:yyyy-MM-dd} (UTC)."),
        };
        foreach (var (query, field, message) in cases)
        {
            var response = await auditor.GetAsync($"/api/v1/exports/evidence?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await BodyAsync(response);
            Assert.Equal(message, body.GetProperty("errors").GetProperty(field)[0].GetString());
        }
    }
}
