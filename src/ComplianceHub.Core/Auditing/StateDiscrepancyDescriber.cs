using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Puts what state verification found into words a person reads: the row by its names ("grant of Jane Doe (Acme) on IL5
/// Mission"), the field by its label, ids by what they name, values as the person page shows them
/// (<see cref="PersonWorkspaceQuery.FormatValue"/>, the one place values become words). Looks names up a batch at a time; a person
/// the reader may not see is "a person of another vendor".
/// </summary>
internal sealed class StateDiscrepancyDescriber(ComplianceDbContext db, Actor actor, IReadOnlyList<AuditedTable> tables)
{
    private const string None = "(none)";
    private readonly Dictionary<string, AuditedTable> bySubject = tables.ToDictionary(t => t.SubjectType);

    public async Task<IReadOnlyList<StateDiscrepancy>> DescribeAsync(IReadOnlyList<StateVerifier.RawDiscrepancy> batch, CancellationToken ct)
    {
        var identities = batch.Select(d => Identity(d.Identity)).ToList();
        var ids = new HashSet<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            foreach (var value in identities[i].Values)
            {
                if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id))
                {
                    ids.Add(id);
                }
            }
            if (batch[i].Field is { } field && bySubject[batch[i].SubjectType].Column(field) is { } column && IsId(column))
            {
                foreach (var json in new[] { batch[i].Expected, batch[i].Found })
                {
                    if (GuidOf(json) is { } id)
                    {
                        ids.Add(id);
                    }
                }
            }
        }
        var names = await NamesAsync(ids, ct);
        return batch.Select((d, i) => Describe(d, identities[i], names)).ToList();
    }

    private StateDiscrepancy Describe(StateVerifier.RawDiscrepancy d, Dictionary<string, JsonElement> identity, Names names)
    {
        var table = bySubject[d.SubjectType];
        var subject = SubjectText(table, identity, names);
        var kind = d.Kind switch
        {
            "changed" => StateDiscrepancyKind.Changed,
            "unrecorded" => StateDiscrepancyKind.NoCreatingEvent,
            "deleted" => StateDiscrepancyKind.DeletedInTrail,
            _ => StateDiscrepancyKind.Gone,
        };
        string? fieldName = null, expected = null, found = null;
        string explanation;
        if (kind == StateDiscrepancyKind.Changed && d.Field is { } field)
        {
            var column = table.Column(field);
            fieldName = PersonWorkspaceQuery.FieldName(field);
            (expected, found) = column?.Kind == ColumnKind.JsonText
                ? JsonDifference(d.Expected, d.Found)
                : (ValueText(table, column, field, d.Expected, names), ValueText(table, column, field, d.Found, names));
            explanation = $"{Capitalised(subject)}: {Lowered(fieldName)} changed outside the portal — the trail says {expected}, the table holds {found}.";
        }
        else
        {
            explanation = kind switch
            {
                StateDiscrepancyKind.NoCreatingEvent =>
                    $"{Capitalised(subject)} is in the table, but the trail never recorded its creation: it was added outside the portal.",
                StateDiscrepancyKind.DeletedInTrail =>
                    $"{Capitalised(subject)} was deleted through the portal, yet it is in the table again: it was restored outside the portal.",
                _ => $"{Capitalised(subject)} is in the trail, but no longer in the table: it was deleted outside the portal.",
            };
        }
        return new StateDiscrepancy(table.Table, d.RowId, kind, subject, d.Field, fieldName, expected, found, explanation, d.VendorId, d.Expected, d.Found);
    }

    /// <summary>The row in words, from its identifying values (the trail's where it has them, else the table's).</summary>
    private static string SubjectText(AuditedTable table, Dictionary<string, JsonElement> identity, Names names)
    {
        string Value(string field) => identity.TryGetValue(field, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
            : "";
        string Name(string field) => Guid.TryParse(Value(field), out var id) ? names.Of(id) : "an unknown record";
        string Person(string field) => Guid.TryParse(Value(field), out var id) ? names.PersonWithVendor(id) : "no one";
        return table.Noun switch
        {
            "person" => $"person {Value("fullName")} ({Name("vendorId")})",
            "grant" => $"grant of {Person("personId")} on {Name("systemId")}",
            "escort assignment" => $"escort assignment of {Name("escortId")} escorting {Person("personId")} on {Name("systemId")}",
            "finding" => $"finding {Value("ruleId")} on {Person("personId")}",
            "integrity finding" => $"integrity finding \u201c{Domain.Findings.IntegrityFindingKinds.Title(Value("kind"))}\u201d",
            "policy version" => $"policy version {Value("number")} ({Value("name")})",
            _ => $"{table.Noun} {Value("name")}",
        };
    }

    /// <summary>A value as JSON text in words: ids by what they name, instants in UTC, codes and flags as the person page shows them.</summary>
    private static string ValueText(AuditedTable table, AuditedColumn? column, string field, string? json, Names names)
    {
        if (json is null || json == "null")
        {
            return None;
        }
        if (column is not null && IsId(column))
        {
            return GuidOf(json) is { } id ? names.Of(id) : Raw(json);
        }
        using var document = JsonDocument.Parse(json);
        var value = document.RootElement;
        switch (column?.Kind)
        {
            case ColumnKind.Date when value.ValueKind == JsonValueKind.String:
                return value.GetString()!;
            case ColumnKind.Instant when value.ValueKind == JsonValueKind.String
                                        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                return instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture) + " UTC";
        }
        // Enums, flags, lists and the person's own facts read as on the person page; other text as it stands.
        var asOnThePersonPage = table.Noun == "person" || value.ValueKind is not JsonValueKind.String
                                || column?.Property.ClrType is { } clr && (Nullable.GetUnderlyingType(clr) ?? clr).IsEnum;
        return asOnThePersonPage
            ? PersonWorkspaceQuery.FormatValue(field, json) ?? None
            : Clip(value.GetString()!);
    }

    /// <summary>
    /// Two JSON documents (the trail's JSON text of a jsonb column, the column's value) by where they differ, in words:
    /// "Work country: China (CN)" against "Work country: United States (US)" — not the whole documents, whose key order differs.
    /// </summary>
    private static (string Expected, string Found) JsonDifference(string? trailJson, string? tableJson)
    {
        using var trail = Document(trailJson, unwrapString: true);
        using var table = Document(tableJson, unwrapString: false);
        if (trail is null || table is null)
        {
            return (trail is null ? None : "a JSON document", table is null ? None : "a JSON document");
        }
        var differences = new List<(List<string> Path, JsonElement? Trail, JsonElement? Table)>();
        Compare(trail.RootElement, table.RootElement, [], differences);
        string Side(Func<(List<string> Path, JsonElement? Trail, JsonElement? Table), JsonElement?> side) =>
            string.Join("; ", differences.Take(3).Select(x => $"{Label(x.Path)}{(x.Path.Count == 0 ? "" : ": ")}{JsonValueText(x.Path, side(x))}"))
            + (differences.Count > 3 ? $"; and {differences.Count - 3} more" : "");
        return differences.Count == 0
            ? ("the same content", "the same content")
            : (Side(x => x.Trail), Side(x => x.Table));

        static string Label(List<string> path) => string.Join(" › ", path.Select(PersonWorkspaceQuery.FieldName));

        static string JsonValueText(List<string> path, JsonElement? value) => value is not { } v ? None
            : PersonWorkspaceQuery.FormatValue(path.Count == 0 ? "" : path[^1], v.GetRawText()) ?? None;
    }

    private static void Compare(JsonElement trail, JsonElement table, List<string> path, List<(List<string>, JsonElement?, JsonElement?)> differences)
    {
        if (trail.ValueKind == JsonValueKind.Object && table.ValueKind == JsonValueKind.Object)
        {
            var a = trail.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            var b = table.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
            {
                List<string> at = [.. path, key];
                if (a.TryGetValue(key, out var x) && b.TryGetValue(key, out var y))
                {
                    Compare(x, y, at, differences);
                }
                else
                {
                    differences.Add((at, a.TryGetValue(key, out x) ? x : null, b.TryGetValue(key, out y) ? y : null));
                }
            }
        }
        else if (!JsonElement.DeepEquals(trail, table))
        {
            differences.Add((path, trail, table));
        }
    }

    /// <summary>A JSON value, or the JSON text inside a JSON string (the trail's form of a jsonb column); null for none or not JSON.</summary>
    private static JsonDocument? Document(string? json, bool unwrapString)
    {
        if (json is null || json == "null")
        {
            return null;
        }
        try
        {
            var document = JsonDocument.Parse(json);
            if (!unwrapString || document.RootElement.ValueKind != JsonValueKind.String)
            {
                return document;
            }
            using (document)
            {
                return JsonDocument.Parse(document.RootElement.GetString()!);
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsId(AuditedColumn column) => (Nullable.GetUnderlyingType(column.Property.ClrType) ?? column.Property.ClrType) == typeof(Guid);

    private static Guid? GuidOf(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.String && Guid.TryParse(document.RootElement.GetString(), out var id) ? id : null;
    }

    private static string Raw(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Clip(document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : document.RootElement.GetRawText());
    }

    private static string Clip(string text) => text.Length <= 160 ? $"\"{text}\"" : $"\"{text[..157]}…\"";

    private static Dictionary<string, JsonElement> Identity(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"Work country" → "work country"; "NDA signed on" stays.</summary>
    private static string Lowered(string text) => text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    /// <summary>What each id of a batch names: a person (with their vendor), an account, a system, a vendor, a policy version, a grant.</summary>
    private async Task<Names> NamesAsync(HashSet<Guid> ids, CancellationToken ct)
    {
        var names = new Names();
        if (ids.Count == 0)
        {
            return names;
        }
        var list = ids.ToList();
        var people = await db.People.AsNoTracking().Where(p => list.Contains(p.Id))
            .Select(p => new { p.Id, p.FullName, p.VendorId, Vendor = db.Vendors.Where(v => v.Id == p.VendorId).Select(v => v.Name).FirstOrDefault() })
            .ToListAsync(ct);
        foreach (var p in people)
        {
            names.People[p.Id] = actor.Sees(p.VendorId) ? (p.FullName, p.Vendor ?? "") : ("a person of another vendor", "");
        }
        foreach (var v in await db.Vendors.AsNoTracking().Where(v => list.Contains(v.Id)).Select(v => new { v.Id, v.Name }).ToListAsync(ct))
        {
            names.Other[v.Id] = actor.Sees(v.Id) ? v.Name : "another vendor";
        }
        foreach (var s in await db.Systems.AsNoTracking().Where(s => list.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct))
        {
            names.Other[s.Id] = s.Name;
        }
        foreach (var v in await db.PolicyVersions.AsNoTracking().Where(v => list.Contains(v.Id)).Select(v => new { v.Id, v.Number, v.Name }).ToListAsync(ct))
        {
            names.Other[v.Id] = $"policy version {v.Number} ({v.Name})";
        }
        foreach (var u in await db.Users.AsNoTracking().Where(u => list.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct))
        {
            names.Other[u.Id] = $"the account of {u.DisplayName}";
        }
        var grants = await (from g in db.Grants.AsNoTracking()
                            where list.Contains(g.Id)
                            join p in db.People on g.PersonId equals p.Id
                            join s in db.Systems on g.SystemId equals s.Id
                            select new { g.Id, p.FullName, p.VendorId, System = s.Name }).ToListAsync(ct);
        foreach (var g in grants)
        {
            names.Other[g.Id] = $"the grant of {(actor.Sees(g.VendorId) ? g.FullName : "a person of another vendor")} on {g.System}";
        }
        return names;
    }

    private sealed class Names
    {
        public Dictionary<Guid, (string Name, string Vendor)> People { get; } = [];
        public Dictionary<Guid, string> Other { get; } = [];

        public string Of(Guid id) => id == Guid.Empty ? "the server (command line or scheduler)"
            : People.TryGetValue(id, out var p) ? p.Name : Other.GetValueOrDefault(id, "a record that no longer exists");

        public string PersonWithVendor(Guid id) => People.TryGetValue(id, out var p)
            ? p.Vendor.Length == 0 ? p.Name : $"{p.Name} ({p.Vendor})"
            : "a person who is no longer on any roster";
    }
}
