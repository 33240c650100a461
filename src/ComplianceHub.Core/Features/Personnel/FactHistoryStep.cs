using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>
/// The gate's fact-history step: facts are always recorded. Each added or changed person gets one history record of the
/// facts that changed (every fact when new), effective on <see cref="ComplianceDbContext.FactsEffectiveOn"/> or today, with
/// the source the handler set or the actor's (a representative declares, an officer verifies, the command line imports).
/// </summary>
internal sealed class FactHistoryStep : IGateStep
{
    /// <summary>Person attributes that are facts (kept in the history); names and keys are not.</summary>
    private static readonly HashSet<string> NotFacts = [nameof(Person.Id), nameof(Person.VendorId), nameof(Person.Version)];

    /// <summary>How a fact's value is written to the history; one instance, so its metadata cache is built once, not per value.</summary>
    private static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public bool RulesOnly => true;

    public bool ChangesInPlace => false; // the history is written beside the tracker (FactHistoryWriter)

    public Task RunAsync(GateContext gate, CancellationToken ct)
    {
        foreach (var entry in gate.Changes.People)
        {
            RecordHistory(gate.Db, gate.History, entry, gate.Scope, gate.Now, gate.Today);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// One history record per change of a person: a JSON object of every fact that changed (every fact when the person is
    /// new); facts from another source than the change's (screening's, for a new person) are named in its sources. The
    /// records are not tracked; they are written with the change, in its transaction, by <see cref="FactHistoryWriter"/>.
    /// </summary>
    private static void RecordHistory(ComplianceDbContext db, List<PersonFactRecord> sink, EntityEntry<Person> entry, AuditScope? scope, DateTimeOffset now, DateOnly today)
    {
        var source = db.FactSource ?? (scope?.Actor.Role switch
        {
            Roles.VendorRepresentative => FactSource.VendorDeclared,
            _ when scope?.Actor.AuthenticationMethod == "cli" => FactSource.Imported,
            _ => FactSource.OfficerVerified,
        });
        // One record per change: every fact that changed (every fact of a new person), written straight into one JSON object;
        // facts from another source than the change's (screening's, for a new person) are named in its sources.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        List<(string Name, FactSource Source)>? others = null;
        var written = 0;
        var added = entry.State == EntityState.Added;
        var current = entry.CurrentValues;
        var original = added ? null : entry.OriginalValues;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var property in entry.Metadata.GetProperties())
            {
                var name = property.Name;
                if (NotFacts.Contains(name) || property.IsShadowProperty())
                {
                    continue;
                }
                var value = current[property];
                if (!added && (!entry.Property(name).IsModified ||
                    JsonSerializer.Serialize(original![property]) == JsonSerializer.Serialize(value)))
                {
                    continue;
                }
                var camel = CamelNames.GetOrAdd(name, n => JsonNamingPolicy.CamelCase.ConvertName(n));
                var from = name is nameof(Person.ScreeningStatus) or nameof(Person.ScreeningMatch) ? FactSource.Screening : source;
                if (from != source)
                {
                    (others ??= []).Add((camel, from));
                }
                w.WritePropertyName(camel);
                if (value is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(w, value, property.ClrType, FactJson);
                }
                written++;
            }
            w.WriteEndObject();
        }
        if (written == 0)
        {
            return;
        }
        // The record's source is the change's own, unless every fact came from another (a screening result alone).
        var main = others is null || others.Count < written ? source : others[0].Source;
        var sources = others is null || main != source ? null
            : JsonSerializer.Serialize(others.ToDictionary(o => o.Name, o => o.Source.ToString(), StringComparer.Ordinal));
        sink.Add(new PersonFactRecord(entry.Entity.Id, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), db.FactsEffectiveOn ?? today, main,
            scope?.Actor.UserId, scope?.Actor.Name ?? "", now, sources));
    }

    /// <summary>Fact names in the history's camelCase, converted once per name.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CamelNames = new(StringComparer.Ordinal);
}
/// <summary>
/// The gate's fact-consequence step: every current grant of a changed person, and every grant such a person covers as an
/// escort, is re-evaluated in bulk (<see cref="FactsLoader"/>): what now fails a blocking rule is suspended, termination
/// revokes, findings open and close.
/// </summary>
internal sealed class FactConsequencesStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var changed = gate.Changes.People.Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id).ToList();
        if (changed.Count == 0)
        {
            return;
        }
        var db = gate.Db;
        var (version, parameters, rules) = await gate.PolicyAsync(ct);
        var supervised = db.EscortAssignments.Where(a => changed.Contains(a.EscortId)).Select(a => a.PersonId);
        var affected = FactsLoader.CurrentGrants(db).Where(g => changed.Contains(g.PersonId) || supervised.Contains(g.PersonId));
        await ComplianceGate.ApplyAsync(db, affected, rules, parameters, version.Id, gate.Now, r => $"Suspended by the policy: {r}.",
            gate.Outcomes, gate.HandledGrants, ct);
    }
}
