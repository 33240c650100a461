using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Gate;
using ComplianceHub.Core.Domain.Personnel;
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
        var facts = new Dictionary<FactSource, List<(string Name, string? Json)>>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (NotFacts.Contains(name) || property.Metadata.IsShadowProperty())
            {
                continue;
            }
            if (entry.State == EntityState.Modified &&
                (!property.IsModified || JsonSerializer.Serialize(property.OriginalValue) == JsonSerializer.Serialize(property.CurrentValue)))
            {
                continue;
            }
            var from = name is nameof(Person.ScreeningStatus) or nameof(Person.ScreeningMatch) ? FactSource.Screening : source;
            var value = property.CurrentValue is null ? null : JsonSerializer.Serialize(property.CurrentValue, property.Metadata.ClrType, FactJson);
            (facts.TryGetValue(from, out var list) ? list : facts[from] = []).Add((JsonNamingPolicy.CamelCase.ConvertName(name), value));
        }
        if (facts.Count == 0)
        {
            return;
        }
        // One record per change: the facts of the change's own source, and those of another (a new person's screening
        // result) named with theirs.
        var main = facts.ContainsKey(source) ? source : facts.Keys.First();
        var others = facts.Where(f => f.Key != main).SelectMany(f => f.Value.Select(v => (v.Name, Source: f.Key))).ToList();
        var sources = others.Count == 0 ? null
            : JsonSerializer.Serialize(others.ToDictionary(o => o.Name, o => o.Source.ToString(), StringComparer.Ordinal));
        sink.Add(new PersonFactRecord(entry.Entity.Id, FactObject(facts.SelectMany(f => f.Value).ToList()), db.FactsEffectiveOn ?? today, main,
            scope?.Actor.UserId, scope?.Actor.Name ?? "", now, sources));
    }

    /// <summary>The changed facts as one JSON object (attribute → value as JSON text, null when cleared).</summary>
    private static string FactObject(List<(string Name, string? Json)> facts)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * facts.Count);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (name, json) in facts)
            {
                w.WritePropertyName(name);
                if (json is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(json, skipInputValidation: true);
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
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
