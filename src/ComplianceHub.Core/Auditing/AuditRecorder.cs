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

    internal sealed record PendingChange(EntityEntry Entry, AuditEventTypes.Change Kind, JsonObject Changes);

    /// <summary>Snapshots every auditable change before it is saved (original values are gone afterwards).</summary>
    public static List<PendingChange> Capture(ChangeTracker tracker)
    {
        tracker.DetectChanges();
        var pending = new List<PendingChange>();
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

            var changes = new JsonObject();
            var type = entry.Metadata.ClrType;
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Ignored.Contains((type, name)) || property.Metadata.IsShadowProperty())
                {
                    continue;
                }
                object? before = kind == AuditEventTypes.Change.Created ? null : property.OriginalValue;
                object? after = kind == AuditEventTypes.Change.Deleted ? null : property.CurrentValue;
                if (kind == AuditEventTypes.Change.Changed && (!property.IsModified || Equals(Json(before)?.ToJsonString(), Json(after)?.ToJsonString())))
                {
                    continue;
                }
                if (kind == AuditEventTypes.Change.Created && after is null)
                {
                    continue;
                }
                var redact = Redacted.Contains((type, name));
                changes[JsonNamingPolicy.CamelCase.ConvertName(name)] = new JsonObject
                {
                    ["before"] = redact && before is not null ? "[redacted]" : Json(before),
                    ["after"] = redact && after is not null ? "[redacted]" : Json(after),
                };
            }
            if (kind == AuditEventTypes.Change.Changed && changes.Count == 0)
            {
                continue;
            }
            pending.Add(new PendingChange(entry, kind.Value, changes));
        }
        return pending;
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
        return new AuditDraft(code, subject, subjectId, change.Changes.ToJsonString(), OutcomesJson(outcomes ?? []));
    }

    /// <summary>What a refused access decision asked for, in the shape of a created row's changes (<c>{"name": {"before": null, "after": …}}</c>).</summary>
    public static string RequestJson(IReadOnlyDictionary<string, object?> request)
    {
        var changes = new JsonObject();
        foreach (var (name, value) in request.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            changes[name] = new JsonObject { ["before"] = null, ["after"] = Json(value) };
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
        var connection = db.Database.GetDbConnection();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = $"SELECT pg_advisory_xact_lock({ChainLockKey})";
            await command.ExecuteNonQueryAsync(ct);
        }

        var head = await db.Set<AuditEvent>().AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditChain.GenesisHash;
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

    private static JsonNode? Json(object? value) => value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), ValueJson);
}
