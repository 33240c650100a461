using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Rules;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Turns the change tracker's entries into audit events and appends them to the chain. Used only by the
/// DbContext gate, inside the transaction of the change.
/// </summary>
internal static class AuditRecorder
{
    /// <summary>Serialises appends across connections and instances, so the chain cannot fork.</summary>
    internal const long ChainLockKey = 0x4348_4155_4454; // "CHAUDT"

    private static readonly JsonSerializerOptions ValueJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new IPNetworkJsonConverter(), new IPAddressJsonConverter() },
    };

    /// <summary>Properties whose values never enter the trail (the change itself is still recorded).</summary>
    private static readonly HashSet<(Type, string)> Redacted =
    [
        (typeof(ApplicationUser), nameof(ApplicationUser.PasswordHash)),
        (typeof(ApplicationUser), nameof(ApplicationUser.PreviousPasswordHashes)),
        (typeof(ApplicationUser), nameof(ApplicationUser.SecurityStamp)),
        (typeof(IdentityUserToken<Guid>), nameof(IdentityUserToken<Guid>.Value)),
        (typeof(ApiToken), nameof(ApiToken.Hash)),
    ];

    /// <summary>Bookkeeping that says nothing about the subject.</summary>
    private static readonly HashSet<(Type, string)> Ignored =
    [
        (typeof(ApplicationUser), nameof(ApplicationUser.ConcurrencyStamp)),
        (typeof(ApplicationRole), nameof(ApplicationRole.ConcurrencyStamp)),
    ];

    /// <summary>
    /// Rows that are not audited: the trail itself, the data-protection key ring, the gate's evaluation receipts, and the
    /// fact history, which is derived from a person change whose audit event already carries the same before and after values.
    /// </summary>
    public static readonly IReadOnlySet<Type> NotAudited = new HashSet<Type> { typeof(AuditEvent), typeof(AuditEventSubject), typeof(DataProtectionKey), typeof(Domain.Personnel.PersonFactRecord), typeof(Domain.Personnel.PersonFactChange), typeof(EvaluationReceipt),
        // The entries of a list version are covered by its audit event, which carries the file's SHA-256 and entry count.
        typeof(Domain.Screening.RestrictedPartyEntry),
        // Access events are covered by their import's event (file SHA-256, counts, and the SHA-256 of the events it added, ADR 0047);
        // a geolocation database's bytes by the database's event, which carries their SHA-256.
        typeof(Domain.AccessLogs.AccessEvent), typeof(Domain.AccessLogs.GeolocationDatabaseFile),
        // When a scheduled job last ran: bookkeeping that spaces the runs; what a run changes is audited.
        typeof(Common.ScheduledRun),
        // How far the trail has been off-loaded (ADR 0039): bookkeeping of the sender; an event per advance would never catch up.
        typeof(AuditOffloadCursor),
        // Idempotency keys (ADR 0041): bookkeeping of the API's retries; the change a key guards is audited, and the key records its sequence.
        typeof(Common.Idempotency.IdempotencyRecord),
        // Signed checkpoints of the chain: self-authenticating, and an event recording one would move the head it signs.
        typeof(ChainCheckpoint) };

    /// <summary>
    /// A change to audit: its entry, its kind, and its property-level before/after values as JSON text — or, for a new person
    /// recorded in a bulk event (<paramref name="InBulk"/>), no text yet: <see cref="Drafts"/> writes the chunk's values at once.
    /// </summary>
    internal sealed record PendingChange(EntityEntry Entry, AuditEventTypes.Change Kind, string Changes, bool InBulk = false);

    /// <summary>Property names in the trail's camelCase, converted once per name.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CamelNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Snapshots every auditable change before it is saved (original values are gone afterwards): for each changed
    /// property <c>{"name": {"before": …, "after": …}}</c>, written straight to JSON text (an import snapshots tens of
    /// thousands of rows, so no intermediate JSON tree is built).
    /// </summary>
    public static List<PendingChange> Capture(ChangeTracker tracker)
    {
        // The save detected every change before the gate, and the gate detects the in-place changes of stored rows after
        // each step; a new row is inserted (and audited) with its current values. So only stored rows are looked at again,
        // not the thousands of rows an import adds.
        Gate.ComplianceGate.DetectInPlaceChanges(tracker);
        var pending = new List<PendingChange>();
        // The vendors whose new people in this save are many enough for one bulk event (ADR 0022).
        var bulkVendors = tracker.Entries<Domain.Personnel.Person>().Where(e => e.State == EntityState.Added)
            .GroupBy(e => e.Entity.VendorId).Where(g => g.Count() >= BulkPeopleThreshold).Select(g => g.Key).ToHashSet();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using var w = new Utf8JsonWriter(buffer);
        foreach (var entry in tracker.Entries())
        {
            if (NotAudited.Contains(entry.Metadata.ClrType))
            {
                continue;
            }
            var kind = entry.State switch
            {
                EntityState.Added => AuditEventTypes.Change.Created,
                EntityState.Modified => AuditEventTypes.Change.Changed,
                EntityState.Deleted => AuditEventTypes.Change.Deleted,
                _ => (AuditEventTypes.Change?)null,
            };
            if (kind is null)
            {
                continue;
            }
            // Fail closed before anything is written when a type has no event code.
            AuditEventTypes.For(entry.Metadata.ClrType, kind.Value);

            buffer.ResetWrittenCount();
            w.Reset(buffer);
            w.WriteStartObject();
            var written = 0;
            var type = entry.Metadata.ClrType;
            if (kind == AuditEventTypes.Change.Created && entry.Entity is Domain.Personnel.Person person && bulkVendors.Contains(person.VendorId))
            {
                pending.Add(new PendingChange(entry, kind.Value, "", InBulk: true));
                continue;
            }
            if (kind == AuditEventTypes.Change.Created)
            {
                // A new row (an import adds thousands): every set value, serialised straight into the event's JSON.
                WriteCreated(w, entry, type);
                w.WriteEndObject();
                w.Flush();
                pending.Add(new PendingChange(entry, kind.Value, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)));
                continue;
            }
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Ignored.Contains((type, name)) || property.Metadata.IsShadowProperty())
                {
                    continue;
                }
                var before = kind == AuditEventTypes.Change.Created ? null : Json(property.OriginalValue);
                var after = kind == AuditEventTypes.Change.Deleted ? null : Json(property.CurrentValue);
                if (kind == AuditEventTypes.Change.Changed && (!property.IsModified || before == after))
                {
                    continue;
                }
                if (kind == AuditEventTypes.Change.Created && after is null)
                {
                    continue;
                }
                var redact = Redacted.Contains((type, name));
                w.WritePropertyName(TrailName(name));
                w.WriteStartObject();
                WriteValue(w, "before", before, redact);
                WriteValue(w, "after", after, redact);
                w.WriteEndObject();
                written++;
            }
            w.WriteEndObject();
            w.Flush();
            if (kind == AuditEventTypes.Change.Changed && written == 0)
            {
                continue;
            }
            pending.Add(new PendingChange(entry, kind.Value, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)));
        }
        return pending;
    }

    /// <summary>A property's name as the trail writes it (camelCase): the key of its value in an event's changes.</summary>
    internal static string TrailName(string propertyName) => CamelNames.GetOrAdd(propertyName, n => JsonNamingPolicy.CamelCase.ConvertName(n));

    /// <summary>The properties of a new row as <c>{"name": {"before": null, "after": …}}</c>, unset (null) values left out.</summary>
    private static void WriteCreated(Utf8JsonWriter w, EntityEntry entry, Type type)
    {
        var values = entry.CurrentValues;
        WriteCreated(w, entry.Metadata, type, p => values[p]);
    }

    /// <summary>
    /// The changes a created event would record for a row of <paramref name="entity"/> with <paramref name="values"/> (property name →
    /// value): how state verification reads the rows the schema's migrations create (the model's seed data), which no event records.
    /// </summary>
    internal static string CreatedJson(Microsoft.EntityFrameworkCore.Metadata.IEntityType entity, IDictionary<string, object?> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteCreated(w, entity, entity.ClrType, p => values.TryGetValue(p.Name, out var value) ? value : null);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCreated(Utf8JsonWriter w, Microsoft.EntityFrameworkCore.Metadata.IEntityType entity, Type type,
        Func<Microsoft.EntityFrameworkCore.Metadata.IProperty, object?> valueOf)
    {
        foreach (var property in entity.GetProperties())
        {
            var name = property.Name;
            if (property.IsShadowProperty() || Ignored.Contains((type, name)))
            {
                continue;
            }
            var value = valueOf(property);
            if (value is null)
            {
                continue;
            }
            w.WritePropertyName(TrailName(name));
            w.WriteStartObject();
            w.WriteNull("before");
            w.WritePropertyName("after");
            if (Redacted.Contains((type, name)))
            {
                w.WriteStringValue("[redacted]");
            }
            else
            {
                JsonSerializer.Serialize(w, value, value.GetType(), ValueJson);
            }
            w.WriteEndObject();
        }
    }

    private static void WriteValue(Utf8JsonWriter w, string name, string? json, bool redact)
    {
        w.WritePropertyName(name);
        if (json is null)
        {
            w.WriteNullValue();
        }
        else if (redact)
        {
            w.WriteStringValue("[redacted]");
        }
        else
        {
            w.WriteRawValue(json, skipInputValidation: true);
        }
    }

    /// <summary>An event about to be chained: everything but the sequence, time, actor and hashes; <paramref name="Subjects"/>
    /// lists the subjects of an event that records many rows (written to <c>audit_event_subjects</c>).</summary>
    internal sealed record AuditDraft(int EventType, string SubjectType, string SubjectId, string Changes, string RuleOutcomes,
        IReadOnlyList<(string Type, string Id)>? Subjects = null);

    /// <summary>
    /// From this many new people of one vendor in one save (a chunk of a roster import), they are recorded as one
    /// <see cref="AuditEventTypes.PeopleAdded"/> event instead of one event each (ADR 0022): the trail's cost per person falls
    /// from a 1.6 kB row with nine indexes to a key in one JSON object and a narrow subject row. Below it, one event per person.
    /// </summary>
    public const int BulkPeopleThreshold = 200;

    /// <summary>
    /// The drafts of a save: one per change, except that the new people of a vendor, when there are at least
    /// <see cref="BulkPeopleThreshold"/>, share one <see cref="AuditEventTypes.PeopleAdded"/> event. Its changes are columnar —
    /// <c>{"fields": ["adjudicatedOn", …], "people": {"&lt;person id&gt;": [value, …], …}}</c>, each person's values in the order of
    /// <c>fields</c>, null where unset — a quarter of the size of one <c>{"before": null, "after": …}</c> object per value, and
    /// ten times quicker for PostgreSQL to read into jsonb (measured: 6 MB and 420 ms against 1.7 MB and 45 ms per 5,000 people).
    /// </summary>
    public static List<AuditDraft> Drafts(IReadOnlyList<PendingChange> pending, IReadOnlyDictionary<object, IReadOnlyList<RuleOutcome>> outcomes)
    {
        var drafts = pending.Where(p => !p.InBulk).Select(p => Draft(p, outcomes.GetValueOrDefault(p.Entry.Entity))).ToList();
        foreach (var vendor in pending.Where(p => p.InBulk).GroupBy(p => ((Domain.Personnel.Person)p.Entry.Entity).VendorId))
        {
            var entries = vendor.Select(p => p.Entry).ToList();
            var properties = AuditedProperties(entries[0]);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(entries.Count * 512);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteStartArray("fields");
                foreach (var property in properties)
                {
                    w.WriteStringValue(TrailName(property.Name));
                }
                w.WriteEndArray();
                w.WriteStartObject("people");
                foreach (var entry in entries)
                {
                    w.WriteStartArray(((Domain.Personnel.Person)entry.Entity).Id.ToString());
                    var values = entry.CurrentValues;
                    foreach (var property in properties)
                    {
                        if (values[property] is { } value)
                        {
                            JsonSerializer.Serialize(w, value, value.GetType(), ValueJson);
                        }
                        else
                        {
                            w.WriteNullValue();
                        }
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            var personOutcomes = vendor.SelectMany(p => outcomes.GetValueOrDefault(p.Entry.Entity) ?? []).ToList();
            drafts.Add(new AuditDraft(AuditEventTypes.PeopleAdded, AuditEventTypes.PeopleSubject, vendor.Key.ToString(),
                System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), OutcomesJson(personOutcomes),
                entries.Select(e => ("person", ((Domain.Personnel.Person)e.Entity).Id.ToString())).ToList()));
        }
        return drafts;
    }

    /// <summary>The properties a new row's event records (not shadow, not bookkeeping), in the model's order.</summary>
    private static List<Microsoft.EntityFrameworkCore.Metadata.IProperty> AuditedProperties(EntityEntry entry) =>
        entry.Metadata.GetProperties().Where(p => !p.IsShadowProperty() && !Ignored.Contains((entry.Metadata.ClrType, p.Name))
            && !Redacted.Contains((entry.Metadata.ClrType, p.Name))).ToList();

    /// <summary>The draft of a saved change (its generated keys are known now), with the rule outcomes evaluated for it.</summary>
    public static AuditDraft Draft(PendingChange change, IReadOnlyList<RuleOutcome>? outcomes)
    {
        var (subject, code) = AuditEventTypes.For(change.Entry.Metadata.ClrType, change.Kind);
        var key = change.Entry.Metadata.FindPrimaryKey()!;
        var subjectId = string.Join("/", key.Properties.Select(p =>
            Convert.ToString(change.Entry.Property(p.Name).CurrentValue ?? change.Entry.Property(p.Name).OriginalValue, System.Globalization.CultureInfo.InvariantCulture)));
        return new AuditDraft(code, subject, subjectId, change.Changes, OutcomesJson(outcomes ?? []));
    }

    /// <summary>What a refused access decision asked for, in the shape of a created row's changes (<c>{"name": {"before": null, "after": …}}</c>).</summary>
    public static string RequestJson(IReadOnlyDictionary<string, object?> request)
    {
        var changes = new JsonObject();
        foreach (var (name, value) in request.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            changes[name] = new JsonObject { ["before"] = null, ["after"] = JsonSerializer.SerializeToNode(value, value?.GetType() ?? typeof(object), ValueJson) };
        }
        return changes.ToJsonString();
    }

    /// <summary>The rule outcomes as stored in <c>audit_events.rule_outcomes</c>.</summary>
    public static string OutcomesJson(IEnumerable<RuleOutcome> outcomes) => JsonSerializer.Serialize(outcomes.Select(o => new
    {
        o.RuleId, Severity = o.Severity.ToString(), o.SubjectType, o.SubjectId, o.Message,
        Facts = new SortedDictionary<string, string>(o.Facts.ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal),
        o.Citation, o.PolicyVersion,
    }), ValueJson);

    /// <summary>Appends the drafts to the chain, in the current transaction, under the chain lock.</summary>
    public static async Task<List<AuditEvent>> AppendAsync(DbContext db, IEnumerable<AuditDraft> drafts, AuditScope scope,
        DateTimeOffset now, CancellationToken ct, Gate.PolicyStamp? evaluatedUnder = null)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Audit events are appended inside the change's transaction.");
        // The lock and the head in one round trip: the head is read only once the lock is held (statements run in order).
        // With them, when the change was evaluated under a stored policy version, the version active now: under the lock no
        // activation is in flight (it appends under the same lock), so a change decided under a replaced version is caught here.
        var sequence = 0L;
        var previous = AuditChain.GenesisHash;
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"SELECT pg_advisory_xact_lock({ChainLockKey}); SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1"
                + (evaluatedUnder is null ? "" : "; SELECT id, xmin FROM policy_versions WHERE status = 'Active'");
            // The reader is back once the first statement, the lock, has answered: the wait for it, plus one round trip (ADR 0043).
            var asked = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var reader = await command.ExecuteReaderAsync(ct);
            Common.Telemetry.ChainLockTaken(scope.Operation, asked);
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                sequence = reader.GetInt64(0);
                previous = reader.GetString(1);
            }
            if (evaluatedUnder is { } stamp)
            {
                await reader.NextResultAsync(ct);
                var active = await reader.ReadAsync(ct) ? new Gate.PolicyStamp(reader.GetGuid(0), reader.GetFieldValue<uint>(1)) : default;
                if (active != stamp)
                {
                    Gate.ActivePolicyCache.Forget(db);
                    throw new Gate.PolicyChangedException();
                }
            }
        }
        var at = AuditChain.ToStoredPrecision(now);

        var events = new List<AuditEvent>();
        foreach (var draft in drafts)
        {
            var e = new AuditEvent
            {
                Sequence = ++sequence,
                OccurredAt = at,
                ActorUserId = scope.Actor.UserId,
                ActorName = scope.Actor.Name,
                ActorRole = scope.Actor.Role,
                ActorVendorId = scope.Actor.VendorId,
                AuthenticationMethod = scope.Actor.AuthenticationMethod,
                EventType = draft.EventType,
                Operation = scope.Operation,
                SubjectType = draft.SubjectType,
                SubjectId = draft.SubjectId,
                Changes = draft.Changes,
                RuleOutcomes = draft.RuleOutcomes,
                CorrelationId = scope.CorrelationId,
                SessionId = scope.Actor.SessionId,
                ApiTokenId = scope.Actor.ApiTokenId,
                ClientAddress = scope.Actor.ClientAddress,
                UserAgent = scope.Actor.UserAgent,
                PreviousHash = previous,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            events.Add(e);
            if (draft.Subjects is { } subjects)
            {
                await WriteSubjectsAsync(db, e.Sequence, subjects, ct);
            }
        }
        db.Set<AuditEvent>().AddRange(events);
        return events;
    }

    /// <summary>
    /// The subject rows of a bulk event, by binary COPY in the change's transaction (thousands per import chunk: never tracked
    /// as entities). Written before the event itself is inserted; both commit or neither.
    /// </summary>
    private static async Task WriteSubjectsAsync(DbContext db, long sequence, IReadOnlyList<(string Type, string Id)> subjects, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY audit_event_subjects (subject_id, sequence, subject_type) FROM STDIN (FORMAT BINARY)", ct);
        writer.Timeout = Data.BulkInsert.TimeoutFor(subjects.Count);
        foreach (var (type, id) in subjects)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(sequence, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(type, NpgsqlTypes.NpgsqlDbType.Varchar, ct);
        }
        await writer.CompleteAsync(ct);
    }

    /// <summary>A value as JSON text (null for none), as the trail stores it.</summary>
    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), ValueJson);
}
