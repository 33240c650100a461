#!/usr/bin/env python3
"""Verify a ComplianceHub evidence package (format compliancehub-evidence/3) without .NET or ComplianceHub's source.

Standard library only. Python cannot check ECDSA signatures by itself: for those it runs `openssl dgst -sha256 -verify`
when OpenSSL is installed, and otherwise prints the exact commands to run.

Unpack the package into an empty folder (python3 -m zipfile -e evidence-....zip package), keep the public key you were
given out of band OUTSIDE that folder, then:

    python3 package/verify.py --public-key audit-signing.pub.pem

Give --public-key once per key: the current one and, when the checkpoints of the range were signed before a key rotation,
the earlier ones. Without --public-key the signatures are checked against the key inside the package, which proves that
the package is intact, not who made it.

It checks, and reports every problem it finds:
  1. every file listed in manifest.json is there with its size and SHA-256, no other file is, SHA256SUMS agrees;
  2. audit-events.canonical holds, line for line, the exact bytes each event's hash is computed over: SHA-256 of each
     line equals the hash in audit-events.jsonl, and the line and the JSON event agree field for field;
  3. sequence numbers run on without gaps from chain-head.json's first sequence, each previousHash equals the hash of the
     event before (the first equals chain-head.json's anchor), and the last event is chain-head.json's "last";
  4. each checkpoint in the manifest states the hash the package's event of that sequence has (a checkpoint whose hash
     differs names the first forged range), and checkpoints/<sequence>.txt and .sig are its signed text and signature;
  5. with OpenSSL: manifest.sig is the signature of manifest.json, and each checkpoint's signature verifies, with the keys
     given (their ids, SHA-256 of the DER public key, must be the ones the manifest names).

Exit status: 0 intact (and signed by a key you gave, when you gave one); 1 problems found; 2 usage or unreadable;
3 no problem found, but OpenSSL is missing: run the printed commands to check the signatures.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

FORMAT = "compliancehub-evidence/3"
CHECKPOINT_FORMAT = "compliancehub-checkpoint/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
EVENTS = "audit-events.jsonl"
CANONICAL = "audit-events.canonical"
CHAIN_HEAD = "chain-head.json"
CHECKSUMS = "SHA256SUMS"
REQUIRED = [
    "findings.json", "roster.json", "grants.json", "escort-assignments.json", "attestations.json", "policy-versions.json",
    "access.jsonl", EVENTS, CANONICAL, CHAIN_HEAD, "verify.py", "README.txt", "README.html", CHECKSUMS,
]
# The canonical form's fields, in its order; the origin fields only when the event has them (docs/audit/event-types.md).
EVENT_FIELDS = [
    "sequence", "occurredAt", "actorUserId", "actorName", "actorRole", "actorVendorId", "authenticationMethod", "eventType",
    "operation", "subjectType", "subjectId", "changes", "ruleOutcomes", "correlationId", "previousHash",
]
ORIGIN_FIELDS = ["sessionId", "apiTokenId", "clientAddress", "userAgent"]
GENESIS = "0" * 64

problems = []
warnings = []


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read(folder, name):
    with open(os.path.join(folder, *name.split("/")), "rb") as f:
        return f.read()


def lines_of(folder, name):
    """The lines of a file whose every line ends in a line feed (a last line without one is reported and kept)."""
    parts = read(folder, name).split(b"\n")
    if parts[-1] != b"":
        problems.append("%s: the last line does not end with a line feed" % name)
        return parts
    return parts[:-1]


def key_id(pem_path):
    """The key's id: SHA-256 of the DER SubjectPublicKeyInfo inside the PEM (what `openssl pkey -pubin -outform DER | sha256sum` prints)."""
    with open(pem_path, "r", encoding="ascii") as f:
        text = f.read()
    if "-----BEGIN PUBLIC KEY-----" not in text:
        raise ValueError(pem_path + " is not a public key in PEM form (-----BEGIN PUBLIC KEY-----)")
    body = text.split("-----BEGIN PUBLIC KEY-----", 1)[1].split("-----END PUBLIC KEY-----", 1)[0]
    return sha256(base64.b64decode("".join(body.split())))


def check_files(folder, manifest):
    listed = {}
    for entry in manifest.get("files") or []:
        name = entry.get("name")
        if not isinstance(name, str) or name.startswith("/") or ".." in name.split("/") or name in listed:
            problems.append("manifest.json: a file entry has no usable name, or a name twice: %r" % (name,))
            continue
        listed[name] = entry
        try:
            data = read(folder, name)
        except OSError:
            problems.append("%s: listed in manifest.json but missing" % name)
            continue
        if len(data) != entry.get("size"):
            problems.append("%s: size does not match the manifest: manifest %s bytes, file %d bytes" % (name, entry.get("size"), len(data)))
        if sha256(data) != entry.get("sha256"):
            problems.append("%s: SHA-256 does not match the manifest: manifest %s, file %s" % (name, entry.get("sha256"), sha256(data)))
    for name in REQUIRED:
        if name not in listed:
            problems.append("%s: a required file of the package, not listed in manifest.json" % name)
    for root, _, names in os.walk(folder):
        for n in names:
            relative = os.path.relpath(os.path.join(root, n), folder).replace(os.sep, "/")
            if relative not in listed and relative not in (MANIFEST, SIGNATURE):
                problems.append("%s: in the package folder but not listed in manifest.json (keep the public key outside the folder)" % relative)
    if CHECKSUMS in listed:
        try:
            sums = {}
            for line in read(folder, CHECKSUMS).decode("utf-8").splitlines():
                digest, name = line.split("  ", 1)
                sums[name] = digest
            expected = {n: e.get("sha256") for n, e in listed.items() if n != CHECKSUMS}
            if sums != expected:
                problems.append("SHA256SUMS: does not list exactly the files of manifest.json with their SHA-256")
        except (OSError, ValueError):
            problems.append("SHA256SUMS: cannot be read as `sha256sum` output")
    return listed


def check_events(folder, head, checkpoints):
    """Returns (events, first sequence, last sequence, first bad sequence, hash by sequence of the checkpointed events)."""
    try:
        events = lines_of(folder, EVENTS)
        canonical = lines_of(folder, CANONICAL)
    except OSError:
        return 0, None, None, None, {}
    if len(events) != len(canonical):
        problems.append("%s has %d lines but %s has %d: one line per event in each" % (EVENTS, len(events), CANONICAL, len(canonical)))
    first_sequence = head.get("firstSequence") if isinstance(head, dict) else None
    anchor = (head.get("anchor") or {}).get("hash") if isinstance(head, dict) else None
    wanted = {c.get("sequence") for c in checkpoints}
    hashes = {}
    previous = anchor
    first = last = first_bad = None
    for index in range(max(len(events), len(canonical))):
        line_number = index + 1
        position = first_sequence + index if isinstance(first_sequence, int) else None
        bad = []
        try:
            event = json.loads(events[index].decode("utf-8"))
            canon_bytes = canonical[index]
            canon = json.loads(canon_bytes.decode("utf-8"))
            if not isinstance(event, dict) or not isinstance(canon, dict):
                raise ValueError("not a JSON object")
        except (IndexError, ValueError, UnicodeDecodeError) as error:
            problems.append("line %d: cannot be read as one event in %s and %s: %s" % (line_number, EVENTS, CANONICAL, error))
            first_bad = position if first_bad is None else first_bad
            previous = None
            continue
        stated = event.pop("hash", None)
        sequence = event.get("sequence")
        expected_fields = EVENT_FIELDS + [f for f in ORIGIN_FIELDS if f in canon]
        if list(canon.keys()) != expected_fields:
            bad.append("the canonical line's fields are not the canonical form's, in its order")
        if list(event.keys()) != list(canon.keys()) or event != canon:
            bad.append("the event in %s and its canonical line disagree" % EVENTS)
        if sha256(canon_bytes) != stated:
            bad.append("SHA-256 of the canonical line is %s, but the event's hash is %s (the event was altered)" % (sha256(canon_bytes), stated))
        if not isinstance(sequence, int) or (position is not None and sequence != position):
            bad.append("sequence %s where sequence %s belongs (an event missing, added or out of place)" % (sequence, position))
        if previous is not None and event.get("previousHash") != previous:
            bad.append("previousHash %s does not equal the hash before it, %s" % (event.get("previousHash"), previous))
        for message in bad:
            problems.append("%s line %d (sequence %s): %s" % (EVENTS, line_number, sequence, message))
        if bad and first_bad is None:
            first_bad = position if position is not None else sequence
        if sequence in wanted:
            hashes[sequence] = stated
        first = sequence if first is None else first
        last = sequence
        previous = stated
    if isinstance(head, dict):
        if head.get("eventCount") != len(events):
            problems.append("%s: says %s events, %s has %d lines" % (CHAIN_HEAD, head.get("eventCount"), EVENTS, len(events)))
        stated_last = head.get("last") or {}
        if events and (stated_last.get("sequence") != last or stated_last.get("hash") != previous):
            problems.append("%s: names sequence %s (hash %s) as the last event, but the events end with sequence %s (hash %s)"
                            % (CHAIN_HEAD, stated_last.get("sequence"), stated_last.get("hash"), last, previous))
            if isinstance(stated_last.get("sequence"), int) and isinstance(last, int) and stated_last["sequence"] > last and first_bad is None:
                first_bad = last + 1
        live = head.get("liveHead") or {}
        if live.get("verified") is not True:
            problems.append("%s: the live audit chain did not verify when the package was built: %s" % (CHAIN_HEAD, live.get("problem")))
    return len(events), first, last, first_bad, hashes


def check_checkpoints(folder, checkpoints, first, last, anchor_sequence, hashes):
    """Each checkpoint against the package's events and its files; returns the lines to print."""
    good = anchor_sequence
    forged = None
    inside = after = 0
    for c in sorted(checkpoints, key=lambda c: c.get("sequence") if isinstance(c.get("sequence"), int) else -1):
        sequence, digest, at = c.get("sequence"), c.get("hash"), c.get("signedAt")
        text = "%s\n%s\n%s\n%s\n" % (CHECKPOINT_FORMAT, sequence, digest, at)
        try:
            if read(folder, "checkpoints/%s.txt" % sequence) != text.encode("ascii"):
                problems.append("checkpoints/%s.txt: is not the signed text of the manifest's checkpoint %s" % (sequence, sequence))
            if read(folder, "checkpoints/%s.sig" % sequence) != base64.b64decode(c.get("signature") or ""):
                problems.append("checkpoints/%s.sig: is not the signature of the manifest's checkpoint %s" % (sequence, sequence))
        except (OSError, ValueError):
            problems.append("checkpoints/%s: the checkpoint's signed text or signature is missing" % sequence)
        if first is not None and isinstance(sequence, int) and first <= sequence <= last:
            inside += 1
            if hashes.get(sequence) == digest:
                good = sequence
            else:
                problems.append("checkpoint %s: signed hash %s, but the package's event %s has hash %s%s"
                                % (sequence, digest, sequence, hashes.get(sequence),
                                   "" if forged else " - the first forged range is sequences %s-%s (after the last checkpoint that agrees)" % (good + 1, sequence)))
                forged = forged or (good + 1, sequence)
        elif last is not None and isinstance(sequence, int) and sequence > last:
            after += 1
        else:
            problems.append("checkpoint %s: outside the package's events (%s-%s)" % (sequence, first, last))
    if after > 1:
        problems.append("manifest.json: %d checkpoints after the range; a package carries only the first one after it" % after)
    return inside, after, forged


def signatures(folder, manifest, given, checkpoints):
    """The (data, signature, key file) triples to check with OpenSSL, and the keys used."""
    signer = manifest.get("signingKey") or {}
    signer_id = signer.get("keyId")
    embedded = signer.get("publicKeyPem") or ""
    checks = []
    temporary = None
    if given:
        if signer_id not in given:
            problems.append("manifest.json: signed with key %s, not with the key you gave (%s)" % (signer_id, ", ".join(sorted(given))))
        else:
            checks.append((MANIFEST, SIGNATURE, given[signer_id]))
        for c in checkpoints:
            if c.get("keyId") in given:
                checks.append(("checkpoints/%s.txt" % c.get("sequence"), "checkpoints/%s.sig" % c.get("sequence"), given[c.get("keyId")]))
            else:
                problems.append("checkpoint %s: signed with key %s, which you did not give (give the public key of a rotated key with another --public-key)"
                                % (c.get("sequence"), c.get("keyId")))
    else:
        warnings.append("no --public-key given: the signatures are checked against the key inside the package, which proves the package "
                        "is intact, not who signed it; give the key you received out of band")
        handle, temporary = tempfile.mkstemp(suffix=".pem")
        with os.fdopen(handle, "w", encoding="ascii", errors="replace") as f:
            f.write(embedded)
        try:
            embedded_id = key_id(temporary)
        except ValueError:
            problems.append("manifest.json: signingKey.publicKeyPem is not a public key")
            return checks, temporary
        if embedded_id != signer_id:
            problems.append("manifest.json: the public key inside it has id %s, not the keyId it states (%s)" % (embedded_id, signer_id))
        checks.append((MANIFEST, SIGNATURE, temporary))
        for c in checkpoints:
            if c.get("keyId") == signer_id:
                checks.append(("checkpoints/%s.txt" % c.get("sequence"), "checkpoints/%s.sig" % c.get("sequence"), temporary))
            else:
                warnings.append("checkpoint %s: signed with key %s, not the package's: give its public key to check it" % (c.get("sequence"), c.get("keyId")))
    return checks, temporary


def main():
    parser = argparse.ArgumentParser(description="Verify a ComplianceHub evidence package (unpacked) with Python and OpenSSL.")
    parser.add_argument("--public-key", action="append", default=[], metavar="PEM",
                        help="the audit signing public key you were given out of band (repeat for rotated keys)")
    parser.add_argument("folder", nargs="?", default=os.path.dirname(os.path.abspath(__file__)),
                        help="the folder the package was unpacked into (default: this script's folder)")
    args = parser.parse_args()
    folder = args.folder
    try:
        given = {key_id(p): p for p in args.public_key}
        manifest = json.loads(read(folder, MANIFEST).decode("utf-8"))
    except (OSError, ValueError) as error:
        print("cannot verify: %s" % error, file=sys.stderr)
        return 2
    if manifest.get("format") != FORMAT:
        problems.append("manifest.json: format is %r; this script verifies %s" % (manifest.get("format"), FORMAT))
    try:
        head = json.loads(read(folder, CHAIN_HEAD).decode("utf-8"))
    except (OSError, ValueError):
        head = None
    checkpoints = [c for c in manifest.get("checkpoints") or [] if isinstance(c, dict)]

    listed = check_files(folder, manifest)
    count, first, last, first_bad, hashes = check_events(folder, head, checkpoints)
    anchor = ((head or {}).get("anchor") or {}).get("sequence", 0) if isinstance(head, dict) else 0
    inside, after, forged = check_checkpoints(folder, checkpoints, first, last, anchor, hashes)
    checks, temporary = signatures(folder, manifest, given, checkpoints)

    print("format: %s, range %s to %s, package %s" % (manifest.get("format"), (manifest.get("range") or {}).get("from"),
                                                     (manifest.get("range") or {}).get("to"), manifest.get("packageId")))
    print("files: %d files listed in manifest.json" % len(listed))
    print("events: %d audit events%s" % (count, ", sequences %s-%s" % (first, last) if count else ""))
    print("checkpoints: %d in the range%s" % (inside, ", 1 after it" if after else ""))
    for path in args.public_key:
        print("key: %s has id %s" % (path, key_id(path)))
    openssl = shutil.which("openssl")
    unchecked = []
    for data, signature, key in checks:
        command = ["openssl", "dgst", "-sha256", "-verify", key, "-signature", signature, data]
        if openssl is None:
            unchecked.append(" ".join(command))
            continue
        result = subprocess.run([openssl] + command[1:], cwd=folder, capture_output=True, text=True)
        said = (result.stdout + result.stderr).strip().splitlines()
        verdict = said[0] if said else "no answer"
        print("openssl: %s: %s" % (signature, verdict))
        if result.returncode != 0 or verdict != "Verified OK":
            problems.append("%s: not a valid signature of %s by key %s" % (signature, data, key))
    if temporary:
        os.remove(temporary)
    if first_bad is not None:
        print("first bad sequence: %s" % first_bad)
    if forged:
        print("first forged range: sequences %s-%s" % forged)
    for w in warnings:
        print("warning: " + w)
    if problems:
        print("FAILED: %d problem(s)" % len(problems))
        for p in problems:
            print("  - " + p)
        return 1
    if unchecked:
        print("NOT FINISHED: OpenSSL is not installed here; check the signatures with these commands (each must print \"Verified OK\"), from %s:" % folder)
        for command in unchecked:
            print("  " + command)
        return 3
    print("OK: the package is intact%s" % (" and signed by the key you gave" if given else " (signed, but by a key you did not give)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
