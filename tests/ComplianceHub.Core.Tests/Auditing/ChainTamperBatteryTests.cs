using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Security;
using Xunit.Abstractions;

namespace ComplianceHub.Core.Tests.Auditing;

/// <summary>
/// The tamper battery, the chain half (issue 19): a 10,000-event chain with a checkpoint every 1,000 events, signed with the
/// installation's key, and 1,000 random tamperings of a copy of it, each what a database owner could do — edit a field, delete a
/// row, insert a forged row, swap two rows, cut the tail, rewrite a range and recompute every hash after it (and then re-sign
/// the checkpoints with a key of their own, or delete them from the table while the checkpoint file keeps them), or only delete
/// a checkpoint. Each copy is judged by <see cref="ChainWalk"/>, the same code that judges the database's stream, and must be
/// found, with the first bad event (or, for a consistent rewrite, the first forged range) named exactly.
/// </summary>
public sealed class ChainTamperBatteryTests(ITestOutputHelper output) : IDisposable
{
    private const int Length = 10_000;
    private const int Every = 1_000;
    private const int Trials = 1_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly AuditSigningKey key = NewKey();
    private readonly AuditSigningKey forgersKey = NewKey();

    public void Dispose()
    {
        key.Dispose();
        forgersKey.Dispose();
    }

    private static AuditSigningKey NewKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return AuditSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem());
    }

    private enum Tamper { EditField, DeleteRow, InsertForgedRow, SwapRows, TruncateTail, RewriteRange, RewriteAndResign, RewriteAndDeleteCheckpoints, DeleteCheckpoint }

    /// <summary>What the verification must say about one tampering.</summary>
    private sealed record Expected(long? FirstBroken, CheckpointProblemKind? Kind, (long First, long Last)? Forged, string? ProblemContains);

    private sealed record Trial(int Number, Tamper Tamper, string What, List<AuditEvent> Events, List<ChainCheckpoint> Table, List<ChainCheckpoint>? File, Expected Expected);

    [Fact]
    public void TheGenuineChain_Verifies_WithEveryCheckpoint()
    {
        var (events, checkpoints) = Build();
        var result = new Battery(key, events).Verify(events, checkpoints, checkpoints);
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(Length, result.Events);
        Assert.Equal(events[^1].Hash, result.HeadHash);
        Assert.Equal(Length / Every, result.Checkpoints.Checked);
        Assert.Equal(Length, result.Checkpoints.LastValid!.Sequence);
        Assert.Equal(0, result.Checkpoints.EventsAfterLastValid);
        Assert.Equal(CheckpointFileState.Compared, result.Checkpoints.File.State);
    }

    [Fact]
    public void EveryTampering_IsDetected_AndTheFirstBadEventOrForgedRangeIsNamed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TAMPER_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s : Environment.TickCount;
        var random = new Random(seed);
        var (events, checkpoints) = Build();
        var battery = new Battery(key, events);
        var watch = Stopwatch.StartNew();
        var failures = new List<string>();
        var kinds = Enum.GetValues<Tamper>();
        for (var n = 1; n <= Trials; n++)
        {
            var trial = Make(n, kinds[(n - 1) % kinds.Length], random, events, checkpoints);
            var result = battery.Verify(trial.Events, trial.Table, trial.File);
            if (Mismatch(trial.Expected, result) is { } why)
            {
                failures.Add($"trial {n} ({trial.Tamper}: {trial.What}): {why} — got valid={result.Valid}, firstBroken={result.FirstBrokenSequence}, " +
                             $"problem: {result.Problem}");
            }
        }
        output.WriteLine($"{Trials} trials in {watch.Elapsed.TotalSeconds:F1} s (seed {seed}; TAMPER_SEED={seed} repeats them)");
        Assert.True(failures.Count == 0, $"Seed {seed} (set TAMPER_SEED={seed} to repeat): {failures.Count} of {Trials} tamperings were not " +
                                         $"reported as expected:\n{string.Join("\n", failures.Take(20))}");
    }

    /// <summary>Why the result is not what was expected, or null when it is.</summary>
    private static string? Mismatch(Expected expected, ChainVerification result)
    {
        if (result.Valid)
        {
            return "not detected";
        }
        if (result.FirstBrokenSequence != expected.FirstBroken)
        {
            return $"expected the first bad event {expected.FirstBroken?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
        }
        if (result.Checkpoints.Problem?.Kind != expected.Kind)
        {
            return $"expected the checkpoint problem {expected.Kind?.ToString() ?? "none"}, got {result.Checkpoints.Problem?.Kind.ToString() ?? "none"}";
        }
        var forged = result.Checkpoints.ForgedRange is { } f ? (f.FirstSequence, f.LastSequence) : ((long, long)?)null;
        if (forged != expected.Forged)
        {
            return $"expected the forged range {expected.Forged?.ToString() ?? "none"}, got {forged?.ToString() ?? "none"}";
        }
        if (expected.ProblemContains is { } text && result.Problem?.Contains(text, StringComparison.Ordinal) != true)
        {
            return $"expected the problem to say \"{text}\"";
        }
        return null;
    }

    private Trial Make(int number, Tamper tamper, Random random, List<AuditEvent> genuine, List<ChainCheckpoint> checkpoints)
    {
        var events = new List<AuditEvent>(genuine);
        var table = new List<ChainCheckpoint>(checkpoints);
        var file = new List<ChainCheckpoint>(checkpoints);
        long At() => random.NextInt64(1, Length + 1);
        static long CheckpointAtOrAfter(long k) => (k + Every - 1) / Every * Every;
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        Expected Forged(long upTo, CheckpointProblemKind kind) =>
            new(upTo - Every + 1, kind, (upTo - Every + 1, upTo), kind == CheckpointProblemKind.Rewritten ? $"The first forged range is events {N(upTo - Every + 1)} … {N(upTo)}." : null);
        switch (tamper)
        {
            case Tamper.EditField:
            {
                var k = At();
                var field = random.Next(5);
                events[(int)k - 1] = Copy(genuine[(int)k - 1], k, field switch
                {
                    0 => e => e with { ActorName = "Mallory" },
                    1 => e => e with { Changes = """{"status": {"after": "Active", "before": "Suspended"}}""" },
                    2 => e => e with { OccurredAt = e.OccurredAt.AddSeconds(-1) },
                    3 => e => e with { SubjectId = "someone-else" },
                    _ => e => e with { EventType = e.EventType + 1 },
                });
                return new(number, tamper, $"field {field} of event {k}", events, table, file, new Expected(k, null, null, "altered"));
            }
            case Tamper.DeleteRow:
            {
                var k = At();
                events.RemoveAt((int)k - 1);
                return new(number, tamper, $"event {k}", events, table, file, k == Length
                    ? new Expected(k, CheckpointProblemKind.Truncated, null, "removed")
                    : new Expected(k, null, null, $"event {k} is missing"));
            }
            case Tamper.InsertForgedRow:
            {
                // A forged event with a valid hash, linked to the one before it; the events from there on renumbered (the sequence is
                // the table's key), their hashes left as they were. The forged row itself checks out, unless a checkpoint pins its
                // sequence: the first event that does not is the next one, whose link no longer matches.
                var k = At();
                var previous = k == 1 ? AuditChain.GenesisHash : genuine[(int)k - 2].Hash;
                var forged = Forge(k, previous, "Mallory", "forged");
                events.Insert((int)k - 1, forged);
                for (var i = (int)k; i < events.Count; i++)
                {
                    events[i] = Copy(events[i], i + 1, e => e);
                }
                return new(number, tamper, $"a row at {k}", events, table, file, k % Every == 0
                    ? Forged(k, CheckpointProblemKind.Rewritten)
                    : new Expected(k + 1, null, null, "previous-hash does not match"));
            }
            case Tamper.SwapRows:
            {
                var i = At();
                var j = At();
                while (j == i)
                {
                    j = At();
                }
                (i, j) = (Math.Min(i, j), Math.Max(i, j));
                // Everything but the key (the sequence number) exchanged: in sequence order the chain meets j's row at i first.
                events[(int)i - 1] = Copy(genuine[(int)j - 1], i, e => e);
                events[(int)j - 1] = Copy(genuine[(int)i - 1], j, e => e);
                return new(number, tamper, $"events {i} and {j}", events, table, file, new Expected(i, null, null, null));
            }
            case Tamper.TruncateTail:
            {
                var k = At();
                events.RemoveRange((int)k - 1, Length - (int)k + 1);
                return new(number, tamper, $"from event {k}", events, table, file, new Expected(k, CheckpointProblemKind.Truncated, null, "removed"));
            }
            case Tamper.RewriteRange:
            case Tamper.RewriteAndResign:
            case Tamper.RewriteAndDeleteCheckpoints:
            {
                var a = At();
                var b = Math.Min(Length, a + random.Next(0, 3 * Every));
                Rewrite(events, a, b);
                var upTo = CheckpointAtOrAfter(a);
                var what = $"events {a} … {b}";
                if (tamper == Tamper.RewriteAndResign)
                {
                    // The forger signs new checkpoints for the new hashes with a key of their own: they do not hold the installation's.
                    // Verified from the table alone (no checkpoint file on the verifier's side): with the file, its checkpoints would
                    // show the rewrite itself, as in RewriteAndDeleteCheckpoints.
                    for (var i = 0; i < table.Count; i++)
                    {
                        if (table[i].Sequence >= upTo)
                        {
                            table[i] = ChainCheckpoint.Sign(forgersKey, table[i].Sequence, events[(int)table[i].Sequence - 1].Hash, table[i].SignedAt);
                        }
                    }
                    return new(number, tamper, what + ", checkpoints re-signed", events, table, null, Forged(upTo, CheckpointProblemKind.UntrustedKey));
                }
                if (tamper == Tamper.RewriteAndDeleteCheckpoints)
                {
                    table.RemoveAll(c => c.Sequence >= upTo);
                    return new(number, tamper, what + ", checkpoints deleted from the table", events, table, file, Forged(upTo, CheckpointProblemKind.Rewritten));
                }
                return new(number, tamper, what, events, table, file, Forged(upTo, CheckpointProblemKind.Rewritten));
            }
            case Tamper.DeleteCheckpoint:
            {
                var c = random.Next(table.Count);
                var removed = table[c].Sequence;
                table.RemoveAt(c);
                return new(number, tamper, $"the checkpoint of event {removed}", events, table, file,
                    new Expected(null, CheckpointProblemKind.RemovedFromDatabase, null, $"event {N(removed)}"));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(tamper));
        }
    }

    /// <summary>The events <paramref name="a"/> … <paramref name="b"/> given another actor, and every hash from <paramref name="a"/> on recomputed.</summary>
    private static void Rewrite(List<AuditEvent> events, long a, long b)
    {
        var previous = a == 1 ? AuditChain.GenesisHash : events[(int)a - 2].Hash;
        for (var i = (int)a - 1; i < events.Count; i++)
        {
            var e = events[i];
            var name = e.Sequence <= b ? "Mallory" : e.ActorName;
            var forged = Forge(e.Sequence, previous, name, e.SubjectId, e);
            events[i] = forged;
            previous = forged.Hash;
        }
    }

    /// <summary>Mutable copy of an event's fields, to change one.</summary>
    private sealed record Fields(DateTimeOffset OccurredAt, string ActorName, int EventType, string SubjectId, string Changes);

    /// <summary>A copy of <paramref name="e"/> as event <paramref name="sequence"/> with its stored hashes kept (a naive forger's copy).</summary>
    private static AuditEvent Copy(AuditEvent e, long sequence, Func<Fields, Fields> change)
    {
        var f = change(new Fields(e.OccurredAt, e.ActorName, e.EventType, e.SubjectId, e.Changes));
        return new AuditEvent
        {
            Sequence = sequence, OccurredAt = f.OccurredAt, ActorUserId = e.ActorUserId, ActorName = f.ActorName, ActorRole = e.ActorRole,
            AuthenticationMethod = e.AuthenticationMethod, EventType = f.EventType, Operation = e.Operation, SubjectType = e.SubjectType,
            SubjectId = f.SubjectId, Changes = f.Changes, RuleOutcomes = e.RuleOutcomes, CorrelationId = e.CorrelationId, PreviousHash = e.PreviousHash,
            Hash = e.Hash,
        };
    }

    /// <summary>An event with a correct hash over its content and <paramref name="previous"/> (what a careful forger writes).</summary>
    private static AuditEvent Forge(long sequence, string previous, string actor, string subject, AuditEvent? like = null)
    {
        var e = new AuditEvent
        {
            Sequence = sequence,
            OccurredAt = like?.OccurredAt ?? Start.AddSeconds(sequence * 7),
            ActorUserId = like?.ActorUserId,
            ActorName = actor,
            ActorRole = like?.ActorRole ?? "ContractingOfficer",
            AuthenticationMethod = like?.AuthenticationMethod ?? "cookie",
            EventType = like?.EventType ?? 4001,
            Operation = like?.Operation ?? "approve-grant",
            SubjectType = like?.SubjectType ?? "grant",
            SubjectId = subject,
            Changes = like?.Changes ?? """{"status": {"after": "Active", "before": "PendingApproval"}}""",
            RuleOutcomes = like?.RuleOutcomes ?? "[]",
            CorrelationId = like?.CorrelationId ?? $"forged-{sequence}",
            PreviousHash = previous,
        };
        e.Hash = AuditChain.ComputeHash(e);
        return e;
    }

    /// <summary>The genuine chain and its checkpoints (every <see cref="Every"/> events, the last at the head).</summary>
    private (List<AuditEvent> Events, List<ChainCheckpoint> Checkpoints) Build()
    {
        var events = new List<AuditEvent>(Length);
        var previous = AuditChain.GenesisHash;
        for (long i = 1; i <= Length; i++)
        {
            var e = new AuditEvent
            {
                Sequence = i,
                OccurredAt = AuditChain.ToStoredPrecision(Start.AddSeconds(i * 7).AddTicks(i * 13)),
                ActorUserId = Guid.CreateVersion7(),
                ActorName = $"Officer {i % 17}",
                ActorRole = "ContractingOfficer",
                AuthenticationMethod = "cookie",
                EventType = 4000 + (int)(i % 3),
                Operation = i % 2 == 0 ? "request-grant" : "change-person-facts",
                SubjectType = "grant",
                SubjectId = $"grant-{i}",
                Changes = "{\"status\": {\"after\": \"Active\", \"before\": null}, \"n\": {\"after\": " + i.ToString(CultureInfo.InvariantCulture) + ", \"before\": null}}",
                RuleOutcomes = "[]",
                CorrelationId = $"c-{i / 3}",
                PreviousHash = previous,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            events.Add(e);
        }
        var checkpoints = events.Where(e => e.Sequence % Every == 0)
            .Select(e => ChainCheckpoint.Sign(key, e.Sequence, e.Hash, e.OccurredAt.AddMinutes(1))).ToList();
        return (events, checkpoints);
    }

    /// <summary>
    /// Runs the verification over an in-memory copy: the events' links (each event hashed — the genuine events once, their links
    /// kept for those very objects), the table's and the file's checkpoints (no file: null), the installation's public key the only
    /// trusted one.
    /// </summary>
    private sealed class Battery
    {
        private readonly AuditKeyRing ring;
        private readonly Dictionary<AuditEvent, ChainLink> genuine = new(ReferenceEqualityComparer.Instance);

        public Battery(AuditSigningKey key, IEnumerable<AuditEvent> events)
        {
            ring = AuditKeyRing.Of(AuditSigningKey.FromPem(key.PublicKeyPem));
            foreach (var e in events)
            {
                genuine[e] = ChainLink.Of(e);
            }
        }

        public ChainVerification Verify(IReadOnlyList<AuditEvent> events, IReadOnlyList<ChainCheckpoint> table, IReadOnlyList<ChainCheckpoint>? file)
        {
            var check = file is null ? CheckpointFileCheck.NotConfigured : new CheckpointFileCheck(CheckpointFileState.Compared, file.Count, null);
            var walk = new ChainWalk(CheckpointSet.Build(table, file, check, ring));
            foreach (var e in events)
            {
                if (!walk.Add(genuine.TryGetValue(e, out var link) ? link : ChainLink.Of(e)))
                {
                    break;
                }
            }
            return walk.Finish();
        }
    }
}
