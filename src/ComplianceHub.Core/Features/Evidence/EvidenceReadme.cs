using System.Globalization;
using System.Net;
using System.Text;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>What a package's two read-me files say about it: its scope, its files, its chain, its checkpoints and its signer.</summary>
/// <param name="PackageId">The package's id.</param>
/// <param name="Range">The days covered.</param>
/// <param name="GeneratedAt">When it was built.</param>
/// <param name="BuiltBy">Who built it.</param>
/// <param name="Files">The files written before the read-me files, with their sizes and records.</param>
/// <param name="Events">Audit events in the package.</param>
/// <param name="Anchor">The hash the first event links to, with its sequence (null without events).</param>
/// <param name="Last">The package's last event (null without events).</param>
/// <param name="LiveHead">The live chain's head when the package was built, and whether the live chain verified then.</param>
/// <param name="Checkpoints">The chain checkpoints the package carries.</param>
/// <param name="SignerKeyId">The id of the key that signs the manifest.</param>
/// <param name="SignerPublicKeyPem">Its public key.</param>
internal sealed record EvidenceSummary(Guid PackageId, EvidenceRange Range, DateTimeOffset GeneratedAt, EvidenceAuthor BuiltBy,
    IReadOnlyList<EvidenceFile> Files, long Events, (long Sequence, string Hash)? Anchor, (long Sequence, string Hash)? Last,
    (long Sequence, string Hash, bool Verified) LiveHead, IReadOnlyList<ChainCheckpoint> Checkpoints, string SignerKeyId, string SignerPublicKeyPem);

/// <summary>
/// The read-me files of a package: <c>README.txt</c> (what each file is, how to verify) and <c>README.html</c> (the same for
/// people: scope, counts, chain head, checkpoints, signer; self-contained, no script, headings and tables with header cells).
/// </summary>
internal static class EvidenceReadme
{
    /// <summary>What each file holds, in the order they are written; shared by both read-me files.</summary>
    private static readonly (string File, string What)[] Descriptions =
    [
        (EvidencePackage.Findings, "findings open at any time in the range or raised in it (status as at generation)"),
        (EvidencePackage.Roster, "every vendor's people as they stood on the last day of the range, rebuilt from the effective-dated fact " +
            "history (facts, and when and from what source each took effect)"),
        (EvidencePackage.Grants, "access grants whose period overlaps the range (status as at generation)"),
        (EvidencePackage.EscortAssignments, "escort assignments whose period overlaps the range"),
        (EvidencePackage.Attestations, "location attestations signed in the range, with their SHA-256 (and whether it still matches the " +
            "stored content)"),
        (EvidencePackage.PolicyVersions, "every policy version, its status, activation and retirement, and its parameters"),
        (EvidencePackage.Access, "who could touch each system during the range, one JSON object per line (system by system): every holder " +
            "whose grant was active at some moment of the range, with the intervals it was, each with the holder's facts then (where they " +
            "worked, their citizenships), the escort assignments covering them, the policy version and the system's impact level in force, " +
            "and the rules' verdict under that version"),
        (EvidencePackage.AccessReviewCampaigns, "the access review campaigns that ran at some moment of the range: their settings as " +
            "started (scope, stages, fallback officer, deadline action, comment rule), start, deadline, escalation, how and when they closed, " +
            "their counts, and the SHA-256 of the item list frozen at the start (status as at generation)"),
        (EvidencePackage.AccessReviewItems, "every item of those campaigns, one JSON object per line (campaign by campaign): the grant, " +
            "person, vendor and system, the recommendation and its reason, the representative's answer in stage one, the final decision with " +
            "who made it, when, the comment, whether the deadline decided it, and the facts it was made on (decisionSnapshot); staleness"),
        (EvidencePackage.AccessLogImports, "the access-log imports made in the range or bringing lines of it: vendor, system, source format, " +
            "file name, the SHA-256 of the file's bytes and of its entries, who imported it and when, the counts, the span of its lines and " +
            "the geolocation database (name and version) its addresses were looked up in"),
        (EvidencePackage.AccessLogEvents, "every access-log line whose time falls in the range, one JSON object per line in time order: the " +
            "time, the identity as the log names it and the person it matched, the vendor and system, the source address, the country the " +
            "database gave it (or why none), whether the sign-in succeeded, the file and line it came from with an excerpt, and the database. " +
            "A country is where an address is registered, not where a person sits (VPNs and cloud networks exist)"),
        (EvidencePackage.AuditEvents, "the audit events of the range, one JSON object per line, in sequence order, with every field of the " +
            "hash chain's canonical form and the event's hash"),
        (EvidencePackage.AuditEventsCanonical, "the same events, one line each: exactly the bytes each event's hash is the SHA-256 of, so " +
            "that they can be checked without reproducing the portal's JSON"),
        (EvidencePackage.ChainHead, "the anchor (the hash the first event links to), the last event of the package, and the live chain head " +
            "at generation time with the result of verifying the whole live chain"),
        (EvidencePackage.CheckpointFolder, "each chain checkpoint of the manifest as <sequence>.txt, the text the audit signing key signed " +
            "(\"event N had hash H at T\"), and <sequence>.sig, its signature"),
        (EvidencePackage.VerifyScript, "checks everything but the signatures with Python 3's standard library, and the signatures with OpenSSL"),
        (EvidencePackage.Readme, "this description"),
        (EvidencePackage.ReadmeHtml, "a summary for people: scope, counts, chain head, checkpoints, signer, how to verify"),
        (EvidencePackage.Checksums, "the SHA-256 of every file above, for sha256sum -c"),
        (EvidencePackage.Manifest, "package metadata, the signing key, the checkpoints, and the name, size and SHA-256 of every other file"),
        (EvidencePackage.ManifestSignature, "the ECDSA P-256 SHA-256 signature (DER) of manifest.json's exact bytes"),
    ];

    public static string Text(EvidenceRange range, DateTimeOffset generatedAt)
    {
        var files = new StringBuilder();
        foreach (var (file, what) in Descriptions)
        {
            files.Append(file.PadRight(26));
            var column = 26;
            foreach (var word in what.Split(' '))
            {
                if (column + word.Length > 120 && column > 26)
                {
                    files.Append('\n').Append(' ', 26);
                    column = 26;
                }
                else if (column > 26)
                {
                    files.Append(' ');
                    column++;
                }
                files.Append(word);
                column += word.Length;
            }
            files.Append('\n');
        }
        return $"""
            ComplianceHub evidence package
            ==============================

            Range: {EvidencePackage.Date(range.From)} to {EvidencePackage.Date(range.To)} (UTC days, both inclusive:
            {EvidencePackage.Instant(range.Start)} <= instant < {EvidencePackage.Instant(range.End)}).
            Generated: {EvidencePackage.Instant(generatedAt)}. Format: {EvidencePackage.Format}. README.html summarises it.

            Files
            -----
            {files.ToString().TrimEnd()}

            Verifying
            ---------
            (docs/audit/evidence-package.md in ComplianceHub's source has each step with its expected output.) You need the
            portal's audit signing PUBLIC key, audit-signing.pub.pem, given to you out of band (not taken from this package or
            the portal that built it), and its id. Unpack the package into an empty folder and keep the key outside it:

                python3 -m zipfile -e {range.FileName} package
                openssl pkey -pubin -in audit-signing.pub.pem -outform DER | sha256sum      (the key's id)
                cd package
                openssl dgst -sha256 -verify ../audit-signing.pub.pem -signature manifest.sig manifest.json
                sha256sum -c SHA256SUMS
                python3 verify.py --public-key ../audit-signing.pub.pem

            The key's id must be the one you were given and the manifest's "signingKey"; openssl must print "Verified OK"
            (the manifest, and so every file's SHA-256 in it, is what that key signed); sha256sum every file "OK"; verify.py
            checks each event's canonical line against its hash, the links and sequence, the chain head, each checkpoint
            against the events and (with openssl) each signature, and ends "OK: the package is intact and signed by the key
            you gave". Or, with ComplianceHub's verifier (no database needed):

                verify-evidence {range.FileName} --public-key audit-signing.pub.pem

            Building this package was itself recorded in the audit trail (event type 8200, subject "evidence-package") with
            the SHA-256 of manifest.json: compare it with `sha256sum manifest.json` to tie this copy to the trail.
            """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>The self-contained HTML summary (no script, no outside resource).</summary>
    public static string Html(EvidenceSummary s)
    {
        var from = EvidencePackage.Date(s.Range.From);
        var to = EvidencePackage.Date(s.Range.To);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>ComplianceHub evidence package {{from}} to {{to}}</title>
            <style>
            body { font-family: sans-serif; line-height: 1.4; margin: 2rem; max-width: 72rem; color: #1b1b1b; }
            table { border-collapse: collapse; margin: 0 0 1.5rem; }
            th, td { border: 1px solid #767676; padding: .3rem .6rem; text-align: left; vertical-align: top; }
            td.n { text-align: right; }
            code, pre { font-family: monospace; }
            td code, pre { word-break: break-all; }
            th code { white-space: nowrap; }
            pre { background: #f1f1f1; padding: .6rem; white-space: pre-wrap; }
            </style>
            </head>
            <body>
            <main>
            <h1>ComplianceHub evidence package, {{from}} to {{to}}</h1>

            """);

        html.Append("<h2 id=\"scope\">Scope</h2>\n<table>\n<caption>What this package covers and who built it</caption>\n<tbody>\n");
        Row(html, "Range", $"{from} to {to} (UTC days, both inclusive: {EvidencePackage.Instant(s.Range.Start)} ≤ instant < {EvidencePackage.Instant(s.Range.End)})");
        Row(html, "Built by", $"{s.BuiltBy.Name} ({Roles.DisplayName(s.BuiltBy.Role)})");
        Row(html, "Built at", EvidencePackage.Instant(s.GeneratedAt));
        Row(html, "Package id", s.PackageId.ToString());
        Row(html, "Format", EvidencePackage.Format);
        Row(html, "Portal version", EvidencePackageBuilder.PortalVersion);
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2 id=\"files\">Files</h2>\n<table>\n<caption>Each file, what it holds and how many records</caption>\n<thead><tr>")
            .Append("<th scope=\"col\">File</th><th scope=\"col\">What it holds</th><th scope=\"col\">Records</th><th scope=\"col\">Bytes</th></tr></thead>\n<tbody>\n");
        var written = s.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (file, what) in Descriptions)
        {
            written.TryGetValue(file, out var entry);
            var records = file == EvidencePackage.CheckpointFolder ? $"{s.Checkpoints.Count:N0} checkpoints" : entry?.Records?.ToString("N0", CultureInfo.InvariantCulture) ?? "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><code>{E(file)}</code></th><td>{E(what)}</td><td class=\"n\">{E(records)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{entry?.Size.ToString("N0", CultureInfo.InvariantCulture)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n<p>The SHA-256 of every file is in <code>manifest.json</code> and <code>SHA256SUMS</code>.</p>\n");

        html.Append("<h2 id=\"chain\">Audit chain</h2>\n<table>\n<caption>The events of the range and where they sit in the chain</caption>\n<tbody>\n");
        Row(html, "Audit events", s.Events.ToString("N0", CultureInfo.InvariantCulture));
        if (s.Anchor is { } anchor && s.Last is { } last)
        {
            Row(html, "Sequences", $"{anchor.Sequence + 1} to {last.Sequence}");
            Row(html, "Anchor (the hash event " + (anchor.Sequence + 1).ToString(CultureInfo.InvariantCulture) + " links to)", anchor.Hash, code: true);
            Row(html, "Chain head of the package (event " + last.Sequence.ToString(CultureInfo.InvariantCulture) + ")", last.Hash, code: true);
        }
        Row(html, "Live chain head when built", $"sequence {s.LiveHead.Sequence}, hash {s.LiveHead.Hash}");
        Row(html, "Live chain verified when built", s.LiveHead.Verified ? "yes" : "NO: the live audit chain did not verify");
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2 id=\"checkpoints\">Checkpoints</h2>\n");
        if (s.Checkpoints.Count == 0)
        {
            html.Append("<p>No chain checkpoint had been signed for the events of this range when it was built.</p>\n");
        }
        else
        {
            html.Append("<p>Each checkpoint is a statement signed with the audit signing key: the event of that sequence had that hash at that " +
                        "time. A history rewritten after a checkpoint was signed no longer matches it.</p>\n")
                .Append("<table>\n<caption>The chain checkpoints in the package</caption>\n<thead><tr><th scope=\"col\">Sequence</th>")
                .Append("<th scope=\"col\">Signed at (UTC)</th><th scope=\"col\">Key id</th><th scope=\"col\">Event hash</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n");
            foreach (var c in s.Checkpoints)
            {
                var where = s.Last is { } end && c.Sequence > end.Sequence ? "after the range: ties the package to the later trail" : "in the range";
                html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{c.Sequence}</th><td>{E(EvidencePackage.Instant(c.SignedAt))}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><code>{E(c.KeyId)}</code></td><td><code>{E(c.Hash)}</code></td><td>{E(where)}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }

        html.Append("<h2 id=\"signer\">Signer</h2>\n<table>\n<caption>The key that signed manifest.json</caption>\n<tbody>\n");
        Row(html, "Key id (SHA-256 of the DER public key)", s.SignerKeyId, code: true);
        Row(html, "Algorithm", EvidencePackage.SignatureAlgorithm);
        html.Append("</tbody>\n</table>\n")
            .Append("<p><strong>This key, inside the package, proves nothing about who built it</strong>: whoever forged a package would put ")
            .Append("their own key here. Compare the key id with the one you were given out of band, and verify with that key.</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<pre>{E(s.SignerPublicKeyPem)}</pre>\n");

        html.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="verify">How to verify</h2>
            <p>With only <code>sha256sum</code>, <code>openssl</code> and <code>python3</code>, and the public key you were given out of band
            (<code>audit-signing.pub.pem</code>, kept outside the package's folder):</p>
            <ol>
            <li><p>Unpack the package into an empty folder:</p><pre><code>python3 -m zipfile -e {E(s.Range.FileName)} package</code></pre></li>
            <li><p>Print the id of the key you were given; it must be the id you were given with it, and the key id above:</p>
            <pre><code>openssl pkey -pubin -in audit-signing.pub.pem -outform DER | sha256sum</code></pre></li>
            <li><p>Check the manifest's signature; OpenSSL must print <samp>Verified OK</samp>:</p>
            <pre><code>cd package
            openssl dgst -sha256 -verify ../audit-signing.pub.pem -signature manifest.sig manifest.json</code></pre></li>
            <li><p>Check every file against its SHA-256; each line must end in <samp>OK</samp>:</p><pre><code>sha256sum -c SHA256SUMS</code></pre></li>
            <li><p>Check the events, the chain, the checkpoints and their signatures; it must end with <samp>OK: the package is intact and signed by
            the key you gave</samp>:</p><pre><code>python3 verify.py --public-key ../audit-signing.pub.pem</code></pre></li>
            </ol>
            <p>Or with ComplianceHub's verifier, a single program that needs nothing else:
            <code>verify-evidence {E(s.Range.FileName)} --public-key audit-signing.pub.pem</code>.</p>
            <p>Building this package was recorded in the audit trail (event 8200) with the SHA-256 of <code>manifest.json</code>.</p>
            </main>
            </body>
            </html>

            """);
        return html.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void Row(StringBuilder html, string header, string value, bool code = false) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(header)}</th><td>{(code ? $"<code>{E(value)}</code>" : E(value))}</td></tr>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
