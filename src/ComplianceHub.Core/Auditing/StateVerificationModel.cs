using System.Globalization;
using System.Text;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Domain.Vendors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ComplianceHub.Core.Auditing;

/// <summary>How a column's stored value is compared with the value the trail records for it.</summary>
internal enum ColumnKind
{
    /// <summary>Text, codes, ids and enums stored as their names: the trail's JSON string against the column as text.</summary>
    Text,

    /// <summary>Numbers: JSON against JSON (so 5 equals 5.0).</summary>
    Json,

    /// <summary>A flag: the trail's <c>true</c>/<c>false</c> against the column's.</summary>
    Bool,

    /// <summary>An array (citizenships): the trail's JSON array against the column's elements as text, in order.</summary>
    TextArray,

    /// <summary>A day: the trail's <c>YYYY-MM-DD</c> against the column formatted alike.</summary>
    Date,

    /// <summary>An instant: the trail's .NET ISO 8601 text (up to 7 fractional digits) against the column to the microsecond.</summary>
    Instant,

    /// <summary>A jsonb column holding JSON text (a policy's parameters, a finding's facts): the trail's string parsed, against the column.</summary>
    JsonText,

    /// <summary>An enum stored as its number: the trail's name against the column's number turned into its name.</summary>
    EnumNumber,
}

/// <summary>Where a row's vendor comes from, for an office-scoped reader and for naming it.</summary>
internal enum VendorSource { None, Own, Self, Person }

/// <summary>One audited column: the trail's field name for it (camelCase, as <see cref="AuditRecorder"/> writes it), the column, how they compare.</summary>
internal sealed record AuditedColumn(string Field, string Column, ColumnKind Kind, IProperty Property, IReadOnlyDictionary<long, string>? EnumNames = null);

/// <summary>A column of an audited table that is not compared, and why.</summary>
public sealed record BookkeepingColumn(string Table, string Column, string Reason);

/// <summary>
/// One audited table: its rows, the subject type and event codes of their audit events, the columns compared and those left
/// out as bookkeeping. Built from the EF model, so a property added to an entity is compared from the day it exists (a type the
/// verifier cannot compare stops it at start-up of the check: fail closed).
/// </summary>
internal sealed record AuditedTable(Type EntityType, string Table, string KeyColumn, string SubjectType, int Block, string Noun, string Plural,
    IReadOnlyList<AuditedColumn> Columns, VendorSource Vendor, IReadOnlyList<string> Identity, IReadOnlyList<(string Id, string Changes)> Seeds)
{
    public int Created => Block + (int)AuditEventTypes.Change.Created;
    public int Changed => Block + (int)AuditEventTypes.Change.Changed;
    public int Deleted => Block + (int)AuditEventTypes.Change.Deleted;

    public AuditedColumn? Column(string field) => Columns.FirstOrDefault(c => c.Field == field);
}

/// <summary>
/// The tables state verification compares with the trail, and the SQL that does it (ADR 0031). Every table whose rows the
/// rules read or decide: people, grants, escort assignments, findings, policy versions, cloud systems, vendors — and the
/// integrity findings, so that closing one behind the portal's back is itself detected.
/// </summary>
internal static class StateVerificationModel
{
    /// <summary>
    /// Columns that are not facts about the row and so are not compared. Each changes without an audit event by design; the
    /// list is the one the security guide and ADR 0031 print.
    /// </summary>
    public static IReadOnlyList<BookkeepingColumn> Bookkeeping { get; } =
    [
        new("every audited table", "xmin (the Version property)",
            "PostgreSQL's row version: the id of the transaction that last wrote the row, advanced by every write (VACUUM FREEZE " +
            "included). It is the optimistic-concurrency token (the API's \"version\"), not a fact; the trail's created events record 0."),
    ];

    private static readonly (Type Type, string Noun, string Plural, VendorSource Vendor, string[] Identity)[] Audited =
    [
        (typeof(Person), "person", "people", VendorSource.Own, ["fullName", "vendorId"]),
        (typeof(AccessGrant), "grant", "grants", VendorSource.Person, ["personId", "systemId"]),
        (typeof(EscortAssignment), "escort assignment", "escort assignments", VendorSource.Person, ["escortId", "personId", "systemId"]),
        (typeof(Finding), "finding", "findings", VendorSource.Own, ["ruleId", "personId", "vendorId"]),
        (typeof(PolicyVersion), "policy version", "policy versions", VendorSource.None, ["number", "name"]),
        (typeof(CloudSystem), "system", "systems", VendorSource.None, ["name"]),
        (typeof(Vendor), "vendor", "vendors", VendorSource.Self, ["name"]),
        (typeof(IntegrityFinding), "integrity finding", "integrity findings", VendorSource.None, ["kind"]),
    ];

    private static readonly object Gate = new();
    private static IReadOnlyList<AuditedTable>? tables;

    /// <summary>The audited tables of <paramref name="db"/>'s model (built once: the model does not change while the process runs).</summary>
    public static IReadOnlyList<AuditedTable> Tables(DbContext db)
    {
        lock (Gate)
        {
            // Seed data is kept in the design-time model only (the runtime model is read-optimised).
            return tables ??= Audited.Select(a => Build(db.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model, a.Type, a.Noun,
                a.Plural, a.Vendor, a.Identity)).ToList();
        }
    }

    private static AuditedTable Build(IModel model, Type type, string noun, string plural, VendorSource vendor, string[] identity)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not in the model.");
        var table = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
        var key = entity.FindPrimaryKey()!.Properties.Single();
        var (subject, block) = AuditEventTypes.Blocks[type];
        var columns = new List<AuditedColumn>();
        foreach (var property in entity.GetProperties())
        {
            var column = property.GetColumnName(store)!;
            if (property.IsShadowProperty() || column == "xmin")
            {
                continue; // the recorder writes no shadow property; xmin is bookkeeping (see Bookkeeping)
            }
            columns.Add(ColumnOf(property, column, AuditRecorder.TrailName(property.Name)));
        }
        var seeds = entity.GetSeedData().Select(values => (
            Convert.ToString(values[key.Name], CultureInfo.InvariantCulture)!,
            AuditRecorder.CreatedJson(entity, values))).ToList();
        return new AuditedTable(type, table, key.GetColumnName(store)!, subject, block, noun, plural, columns, vendor, identity, seeds);
    }

    private static AuditedColumn ColumnOf(IProperty property, string column, string field)
    {
        var mapping = property.GetTypeMapping();
        var provider = Nullable.GetUnderlyingType(mapping.Converter?.ProviderClrType ?? property.ClrType) ?? mapping.Converter?.ProviderClrType ?? property.ClrType;
        var storeType = property.GetColumnType();
        var kind = provider switch
        {
            _ when storeType == "jsonb" && provider == typeof(string) => ColumnKind.JsonText,
            _ when provider == typeof(string) || provider == typeof(Guid) || provider == typeof(char) => ColumnKind.Text,
            // cidr and inet as PostgreSQL prints them, as the trail writes them (AddressJson).
            _ when provider == typeof(System.Net.IPNetwork) || provider == typeof(System.Net.IPAddress) => ColumnKind.Text,
            _ when provider == typeof(DateTimeOffset) || provider == typeof(DateTime) => ColumnKind.Instant,
            _ when provider == typeof(DateOnly) => ColumnKind.Date,
            _ when provider.IsEnum => ColumnKind.EnumNumber,
            _ when provider == typeof(bool) => ColumnKind.Bool,
            _ when provider == typeof(int) || provider == typeof(long) || provider == typeof(short)
                   || provider == typeof(decimal) || provider == typeof(double) || provider == typeof(float) || provider == typeof(uint) => ColumnKind.Json,
            _ when provider != typeof(string) && provider.IsAssignableTo(typeof(System.Collections.IEnumerable)) => ColumnKind.TextArray,
            _ => throw new InvalidOperationException(
                $"State verification cannot compare {property.DeclaringType.ClrType.Name}.{property.Name} ({provider.Name}, {storeType}): teach StateVerificationModel its kind."),
        };
        var names = kind == ColumnKind.EnumNumber
            ? Enum.GetValues(provider).Cast<object>().ToDictionary(v => Convert.ToInt64(v, CultureInfo.InvariantCulture), v => v.ToString()!)
            : null;
        return new AuditedColumn(field, column, kind, property, names);
    }

    /// <summary>A SQL string literal.</summary>
    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The trail's value of <paramref name="field"/> in the replayed state: the <c>after</c> of the latest event that recorded it.</summary>
    private static string Trail(string state, string field) => $"({state} -> {Literal(field)} -> 'after')";

    /// <summary>The same as text (a JSON string unquoted; null for JSON null or no value).</summary>
    private static string TrailText(string state, string field) => $"({state} -> {Literal(field)} ->> 'after')";

    /// <summary>The column's value as JSON in the trail's representation (what the report shows as found).</summary>
    private static string Found(AuditedColumn c, string col) => c.Kind switch
    {
        ColumnKind.Text => $"to_jsonb({col}::text)",
        ColumnKind.Json or ColumnKind.Bool => $"to_jsonb({col})",
        ColumnKind.TextArray => $"to_jsonb({col}::text[])",
        ColumnKind.Date => $"to_jsonb(to_char({col}, 'YYYY-MM-DD'))",
        ColumnKind.Instant => $"to_jsonb({col})",
        ColumnKind.JsonText => col,
        ColumnKind.EnumNumber => $"to_jsonb({EnumName(c, col)})",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>
    /// True when the column holds the value the trail implies (never null: a missing value and JSON null are both "none").
    /// Text, days, flags and instants are compared as text, under the statement's TimeZone UTC and DateStyle ISO — a fraction of
    /// the cost of building JSON from every column of every row; numbers and arrays as JSON.
    /// </summary>
    private static string Same(AuditedColumn c, string state, string col)
    {
        var text = TrailText(state, c.Field);
        return c.Kind switch
        {
            ColumnKind.Text or ColumnKind.Date or ColumnKind.Bool => $"({text} IS NOT DISTINCT FROM {col}::text)",
            ColumnKind.Instant => $"(audit_instant_text({text}) IS NOT DISTINCT FROM {col}::text)",
            ColumnKind.JsonText => $"(audit_json_text({text}) IS NOT DISTINCT FROM {col})",
            ColumnKind.EnumNumber => $"({text} IS NOT DISTINCT FROM {EnumName(c, col)})",
            _ => $"(coalesce({Trail(state, c.Field)}, 'null'::jsonb) = coalesce({Found(c, col)}, 'null'::jsonb))",
        };
    }

    private static string EnumName(AuditedColumn c, string col) =>
        $"CASE {col} {string.Concat(c.EnumNames!.Select(n => $"WHEN {n.Key} THEN {Literal(n.Value)} "))}ELSE {col}::text END";

    /// <summary>A uuid read from the trail's text, or null when it is not one (a cast that cannot fail).</summary>
    private static string TrailUuid(string state, string field) =>
        $"CASE WHEN ({Trail(state, field)} #>> '{{}}') ~* '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$' " +
        $"THEN ({Trail(state, field)} #>> '{{}}')::uuid END";

    /// <summary>
    /// The whole verification as one statement: the trail read once and replayed per subject (<c>replay</c>), then each table
    /// joined with its subjects, one branch per table in the order of <paramref name="audited"/>, each followed by a row of kind
    /// <c>end</c> (the verifier's progress). Parameters: <c>@seeds</c> (jsonb: the rows the schema's migrations create),
    /// <c>@vendors</c> (text[]: the reader's vendors, null for all).
    /// </summary>
    public static string Sql(IReadOnlyList<AuditedTable> audited)
    {
        var sql = new StringBuilder();
        sql.Append("WITH events AS (\n");
        sql.Append("    SELECT e.subject_type, e.subject_id, e.sequence, e.event_type % 100 AS kind, e.changes FROM audit_events e\n    WHERE ");
        sql.AppendJoin("\n       OR ", audited.Select(t =>
            $"(e.event_type BETWEEN {t.Created} AND {t.Deleted} AND e.subject_type = {Literal(t.SubjectType)})"));
        sql.Append('\n');
        if (audited.Any(t => t.EntityType == typeof(Person)))
        {
            // People added in bulk (ADR 0022): each person's part of the event, read from the chained changes.
            sql.Append("  UNION ALL\n");
            sql.Append($"    SELECT 'person', p.person_id, e.sequence, 0, p.person_changes FROM audit_events e CROSS JOIN LATERAL audit_people_added(e.changes) p\n");
            sql.Append($"    WHERE e.event_type = {AuditEventTypes.PeopleAdded} AND e.subject_type = {Literal(AuditEventTypes.PeopleSubject)}\n");
        }
        // Rows the schema's migrations create (the baseline policy version): explained by the model's seed data, before any event.
        sql.Append("  UNION ALL\n");
        sql.Append("    SELECT s.subject_type, s.subject_id, 0, 0, s.changes FROM jsonb_to_recordset(@seeds) AS s(subject_type text, subject_id text, changes jsonb)\n");
        sql.Append("), replay AS MATERIALIZED (\n");
        sql.Append("    SELECT subject_type, subject_id, max(sequence) FILTER (WHERE kind = 0) AS created, max(sequence) FILTER (WHERE kind = 2) AS deleted,\n");
        sql.Append("           max(sequence) FILTER (WHERE kind <> 2) AS touched, audit_replay(changes ORDER BY sequence) AS state\n");
        sql.Append("    FROM events GROUP BY subject_type, subject_id\n");
        sql.Append(")\n");
        for (var i = 0; i < audited.Count; i++)
        {
            if (i > 0)
            {
                sql.Append("UNION ALL\n");
            }
            Branch(sql, audited[i]);
            sql.Append($"UNION ALL\nSELECT {Literal(audited[i].SubjectType)}, NULL, 'end', NULL, NULL, NULL, NULL, NULL\n");
        }
        return sql.ToString();
    }

    private static void Branch(StringBuilder sql, AuditedTable t)
    {
        string Inner(int i) => $"c{i}";
        string Outer(int i) => $"j.c{i}";
        var columns = t.Columns;
        int Index(string field) => columns.Select((c, i) => (c, i)).Single(x => x.c.Field == field).i;

        var alive = "coalesce(r.deleted, -1) < r.touched";
        var same = string.Join("\n              AND ", columns.Select((c, i) => Same(c, "r.state", "t." + Quote(c.Column))));
        var vendor = t.Vendor switch
        {
            VendorSource.Own => $"coalesce({Outer(Index("vendorId"))}::text, {Trail("j.state", "vendorId")} #>> '{{}}')",
            VendorSource.Self => "coalesce(j.t_id::text, j.r_id)",
            VendorSource.Person => $"(SELECT p.vendor_id::text FROM people p WHERE p.id = coalesce({Outer(Index("personId"))}, {TrailUuid("j.state", "personId")}))",
            _ => "NULL::text",
        };
        var identity = "jsonb_build_object(" + string.Join(", ", t.Identity.Select(f =>
        {
            var c = t.Column(f)!;
            // The trail's value names the row as the portal last knew it; the table's, when the trail has none (a deleted row).
            return $"{Literal(f)}, coalesce(nullif({Trail("j.state", f)}, 'null'::jsonb), {Found(c, Outer(Index(f)))})";
        })) + ")";

        sql.Append("SELECT * FROM (\n");
        sql.Append($"  SELECT {Literal(t.SubjectType)} AS subject_type, coalesce(j.t_id::text, j.r_id) AS row_id,\n");
        sql.Append("         CASE WHEN j.t_id IS NULL THEN 'gone' WHEN j.created IS NULL THEN 'unrecorded' WHEN j.deleted > j.touched THEN 'deleted' ELSE 'changed' END AS kind,\n");
        sql.Append($"         d.field, d.expected::text, d.found::text, {vendor} AS vendor_id, {identity}::text AS identity\n");
        sql.Append("  FROM (\n");
        sql.Append($"    SELECT r.subject_id AS r_id, r.created, r.deleted, r.touched, r.state, t.{Quote(t.KeyColumn)} AS t_id");
        for (var i = 0; i < columns.Count; i++)
        {
            sql.Append($", t.{Quote(columns[i].Column)} AS {Inner(i)}");
        }
        sql.Append(",\n");
        sql.Append($"           t.{Quote(t.KeyColumn)} IS NOT NULL AND r.created IS NOT NULL AND {alive}\n");
        sql.Append($"           AND NOT ({same}) AS differs\n");
        sql.Append($"    FROM (SELECT * FROM replay WHERE subject_type = {Literal(t.SubjectType)}) r\n");
        sql.Append($"    FULL JOIN {Quote(t.Table)} t ON t.{Quote(t.KeyColumn)}::text = r.subject_id\n");
        // OFFSET 0 keeps the planner from pulling this up: "differs" is computed once per row, not once per field below.
        sql.Append("    OFFSET 0\n");
        sql.Append("  ) j\n");
        // The fields of a row that differs, one row each; for the others (nearly all) the gate skips the list altogether.
        sql.Append("  LEFT JOIN LATERAL (SELECT v.* FROM (VALUES\n    ");
        sql.AppendJoin(",\n    ", columns.Select((c, i) =>
            $"({Literal(c.Field)}, {Trail("j.state", c.Field)}, {Found(c, Outer(i))}, {Same(c, "j.state", Outer(i))})"));
        sql.Append("\n  ) AS v(field, expected, found, same) WHERE j.differs AND NOT v.same OFFSET 0) AS d ON true\n");
        sql.Append($"  WHERE (j.t_id IS NULL AND coalesce(j.deleted, -1) < j.touched)\n");
        sql.Append("     OR (j.t_id IS NOT NULL AND (j.created IS NULL OR j.deleted > j.touched))\n");
        sql.Append("     OR d.field IS NOT NULL\n");
        sql.Append(") b WHERE @vendors::text[] IS NULL OR b.vendor_id IS NULL OR b.vendor_id = ANY(@vendors::text[])\n");
    }

    /// <summary>The rows of every audited table and the head of the trail, in the verification's snapshot.</summary>
    public static string CountsSql(IReadOnlyList<AuditedTable> audited) =>
        "SELECT (SELECT coalesce(max(sequence), 0) FROM audit_events)" +
        string.Concat(audited.Select(t => $", (SELECT count(*) FROM {Quote(t.Table)})"));
}
