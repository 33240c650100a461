using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Cli.Scale;

/// <summary>An audit event of the scale population before it is chained: everything but its sequence number and hashes.</summary>
internal sealed record AuditDraft(DateTimeOffset At, AuditActor Actor, int EventType, string Operation, string SubjectType, string SubjectId,
    string Changes, string RuleOutcomes, string CorrelationId);

/// <summary>
/// The <c>changes</c> JSON of audit events in the portal's own shape (AuditRecorder): property name in camelCase →
/// <c>{"before": …, "after": …}</c>, values serialised like the recorder serialises them (enums as names, dates ISO).
/// </summary>
internal static class AuditJson
{
    private static readonly JsonSerializerOptions ValueJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A created row: every non-null property, before null.</summary>
    public static string Created(IEnumerable<(string Name, object? Value)> properties)
    {
        var changes = new JsonObject();
        foreach (var (name, value) in properties)
        {
            if (value is not null)
            {
                changes[name] = new JsonObject { ["before"] = null, ["after"] = Node(value) };
            }
        }
        return changes.ToJsonString();
    }

    /// <summary>A changed row: the properties that changed, before and after.</summary>
    public static string Changed(params (string Name, object? Before, object? After)[] properties)
    {
        var changes = new JsonObject();
        foreach (var (name, before, after) in properties)
        {
            changes[name] = new JsonObject { ["before"] = Node(before), ["after"] = Node(after) };
        }
        return changes.ToJsonString();
    }

    private static JsonNode? Node(object? value) => value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), ValueJson);
}
