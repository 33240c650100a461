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
    private const long ChainLockKey = 0x4348_4155_4454; // "CHAUDT"

    private static readonly JsonSerializerOptions ValueJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Properties whose values never enter the trail (the change itself is still recorded).</summary>
    private static readonly HashSet<(Type, string)> Redacted =
    [
        (typeof(ApplicationUser), nameof(ApplicationUser.PasswordHash)),
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
    public static readonly IReadOnlySet<Type> NotAudited = new HashSet<Type> { typeof(AuditEvent), typeof(DataProtectionKey), typeof(Domain.Personnel.PersonFactRecord), typeof(Domain.Personnel.PersonFactChange), typeof(EvaluationReceipt),
        // The entries of a list version are covered by its audit event, which carries the file's SHA-256 and entry count.
        typeof(Domain.Screening.RestrictedPartyEntry),
        // When a scheduled job last ran: bookkeeping that spaces the runs; what a run changes is audited.
        typeof(Data.ScheduledRun) };

    /// <summary>A change to audit: its entry, its kind, and its property-level before/after values as JSON text.</summary>
    internal sealed record PendingChange(EntityEntry Entry, AuditEventTypes.Change Kind, string Changes);

    /// <summary>Property names in the trail's camelCase, converted once per name.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CamelNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Snapshots every auditable change before it is saved (original values are gone afterwards): for each changed
    /// property <c>{"name": {"before": …, "after": …}}</c>, written straight to JSON text (an import snapshots tens of
    /// thousands of rows, so no intermediate JSON tree is built).
    /// </summary>
    public static List<PendingChange> Capture(ChangeTracker tracker)
    {
        tracker.DetectChanges();
        var pending = new List<PendingChange>();
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
                w.WritePropertyName(CamelNames.GetOrAdd(name, n => JsonNamingPolicy.CamelCase.ConvertName(n)));
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

    /// <summary>The properties of a new row as <c>{"name": {"before": null, "after": …}}</c>, unset (null) values left out.</summary>
    private static void WriteCreated(Utf8JsonWriter w, EntityEntry entry, Type type)
    {
        var values = entry.CurrentValues;
        foreach (var property in entry.Metadata.GetProperties())
        {
            var name = property.Name;
            if (property.IsShadowProperty() || Ignored.Contains((type, name)))
            {
                continue;
            }
            var value = values[property];
            if (value is null)
            {
                continue;
            }
            w.WritePropertyName(CamelNames.GetOrAdd(name, n => JsonNamingPolicy.CamelCase.ConvertName(n)));
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

    /// <summary>An event about to be chained: everything but the sequence, time, actor and hashes.</summary>
    internal sealed record AuditDraft(int EventType, string SubjectType, string SubjectId, string Changes, string RuleOutcomes);

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
        DateTimeOffset now, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Audit events are appended inside the change's transaction.");
        // The lock and the head in one round trip: the head is read only once the lock is held (statements run in order).
        var sequence = 0L;
        var previous = AuditChain.GenesisHash;
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"SELECT pg_advisory_xact_lock({ChainLockKey}); SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1";
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                sequence = reader.GetInt64(0);
                previous = reader.GetString(1);
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
                PreviousHash = previous,
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            events.Add(e);
        }
        db.Set<AuditEvent>().AddRange(events);
        return events;
    }

    /// <summary>A value as JSON text (null for none), as the trail stores it.</summary>
    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), ValueJson);
}
