using System.Globalization;
using System.Text.Json;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>The two JSON formats: Microsoft Entra ID sign-ins and AWS CloudTrail records.</summary>
internal static class JsonLogs
{
    /// <summary>
    /// Entra ID sign-ins (Microsoft Graph's signIn resource): the portal's "Download JSON" (an array) or Graph's <c>{"value":[...]}</c>.
    /// Service principal sign-ins (no user principal name, a service principal) are not people's: skipped.
    /// </summary>
    public static IAsyncEnumerable<AccessLogItem> EntraIdAsync(Stream text, ReadCounts counts, CancellationToken ct) =>
        new JsonRecords(text, counts, "value", topArray: true, AccessLogReader.Describe(AccessLogFormat.EntraIdJson)).ReadAsync((line, r, output) =>
        {
            var id = r.Text("id");
            var upn = r.Text("userPrincipalName")?.Trim();
            var time = r.Text("createdDateTime");
            var ip = r.Text("ipAddress")?.Trim();
            var app = r.Text("appDisplayName");
            var resource = r.Text("resourceDisplayName");
            var errorCode = r.Child("status").Text("errorCode");
            if (string.IsNullOrEmpty(upn) && (r.Text("servicePrincipalId") is { Length: > 0 } || r.Text("servicePrincipalName") is { Length: > 0 }))
            {
                counts.Skipped++;
                return;
            }
            var excerpt = JsonExcerpt.Of(("id", id), ("createdDateTime", time), ("userPrincipalName", upn), ("ipAddress", ip),
                ("appDisplayName", app), ("resourceDisplayName", resource), ("errorCode", errorCode));
            var problems = output.Count;
            void Problem(string field, string message) => output.Add(new(null, new AccessLogProblem(line, field, message)));
            if (string.IsNullOrEmpty(upn))
            {
                Problem("userPrincipalName", "The sign-in names no user (its user principal name is empty).");
            }
            var at = Times.Required(time, "sign-in time", assumeUtc: true, Problem, "createdDateTime");
            var address = Times.Address(ip, Problem, "ipAddress");
            bool? succeeded = errorCode is null ? null : errorCode == "0";
            if (succeeded is null)
            {
                Problem("status", "The sign-in has no status error code, so it cannot tell a success (0) from a failure. Export the log again with all fields.");
            }
            if (output.Count == problems)
            {
                output.Add(new(new AccessLogEntry(line, NullIfEmpty(id), upn!, at!.Value, ip!, address, NullIfEmpty(resource) ?? NullIfEmpty(app),
                    succeeded!.Value, excerpt), null));
            }
        }, ct);

    /// <summary>
    /// AWS CloudTrail records (<c>{"Records":[...]}</c>, as delivered to S3). The identity is the IAM user's name, the session name of an
    /// assumed role (for IAM Identity Center: the person's e-mail), "root", or else the principal id. A record with an error code, or a
    /// console sign-in whose response says "Failure", is a failure.
    /// </summary>
    public static IAsyncEnumerable<AccessLogItem> CloudTrailAsync(Stream text, ReadCounts counts, CancellationToken ct) =>
        new JsonRecords(text, counts, "Records", topArray: false, AccessLogReader.Describe(AccessLogFormat.CloudTrailJson)).ReadAsync((line, r, output) =>
        {
            var id = r.Text("eventID");
            var time = r.Text("eventTime");
            var ip = r.Text("sourceIPAddress")?.Trim();
            var source = r.Text("eventSource");
            var name = r.Text("eventName");
            var account = r.Text("recipientAccountId");
            var errorCode = r.Text("errorCode");
            var user = r.Child("userIdentity");
            var identity = Identity(user);
            var consoleLogin = r.Child("responseElements").Text("ConsoleLogin");
            var excerpt = JsonExcerpt.Of(("eventID", id), ("eventTime", time), ("eventSource", source), ("eventName", name),
                ("userIdentity", user.Text("arn") ?? identity), ("sourceIPAddress", ip), ("recipientAccountId", account), ("errorCode", errorCode),
                ("ConsoleLogin", consoleLogin));
            var problems = output.Count;
            void Problem(string field, string message) => output.Add(new(null, new AccessLogProblem(line, field, message)));
            if (string.IsNullOrEmpty(identity))
            {
                Problem("userIdentity", "The record names no user (no user name, role session or principal).");
            }
            var at = Times.Required(time, "event time", assumeUtc: true, Problem, "eventTime");
            var address = Times.Address(ip, Problem, "sourceIPAddress");
            var succeeded = string.IsNullOrEmpty(errorCode) && !string.Equals(consoleLogin, "Failure", StringComparison.OrdinalIgnoreCase);
            if (output.Count == problems)
            {
                output.Add(new(new AccessLogEntry(line, NullIfEmpty(id), identity!, at!.Value, ip!, address, NullIfEmpty(account) ?? NullIfEmpty(source),
                    succeeded, excerpt), null));
            }
        }, ct);

    /// <summary>Who a CloudTrail record's userIdentity is, as a person would be named.</summary>
    private static string? Identity(JsonElement user)
    {
        var type = user.Text("type");
        switch (type)
        {
            case "Root":
                return "root";
            case "AssumedRole":
                // arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/jane@vendor.example: the session name.
                var arn = user.Text("arn");
                var slash = arn?.LastIndexOf('/') ?? -1;
                if (slash >= 0 && slash < arn!.Length - 1)
                {
                    return arn[(slash + 1)..];
                }
                break;
        }
        return NullIfEmpty(user.Text("userName")) ?? NullIfEmpty(user.Text("principalId")) ?? NullIfEmpty(user.Text("invokedBy"))
            ?? NullIfEmpty(user.Text("accountId"));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Times and addresses as every format checks them.</summary>
internal static partial class Times
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[T ](?<time>\d{2}:\d{2}(?::\d{2})?)(?<fraction>\.\d+)?(?<zone>Z|z|[+-]\d{2}:?\d{2})?$")]
    private static partial System.Text.RegularExpressions.Regex Iso();

    public const string Example = "2026-12-03T08:14:02Z";

    /// <summary>
    /// An ISO 8601 date and time, in UTC. Without a zone it is UTC when <paramref name="assumeUtc"/> (a column or field documented as
    /// UTC), else a problem.
    /// </summary>
    public static DateTimeOffset? Parse(string? text, bool assumeUtc, out string? problem)
    {
        problem = null;
        var value = text?.Trim() ?? "";
        var match = Iso().Match(value);
        if (!match.Success)
        {
            problem = $"The time \"{LogInput.Cut(value, 60)}\" is not a date and time. Write it like {Example}.";
            return null;
        }
        if (!match.Groups["zone"].Success && !assumeUtc)
        {
            problem = $"The time \"{LogInput.Cut(value, 60)}\" has no time zone. Add Z for UTC or an offset such as -05:00, like {Example}.";
            return null;
        }
        // DateTimeOffset reads at most 7 decimals (100 ns); logs may write 9.
        var fraction = match.Groups["fraction"].Value;
        var zone = match.Groups["zone"].Success ? match.Groups["zone"].Value : "Z";
        if (zone.Length == 5)
        {
            zone = zone.Insert(3, ":"); // +0100 is +01:00
        }
        var normalized = $"{match.Groups["date"].Value}T{match.Groups["time"].Value}{(fraction.Length > 8 ? fraction[..8] : fraction)}{zone.ToUpperInvariant()}";
        if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            problem = $"The time \"{LogInput.Cut(value, 60)}\" is not a date and time that exists. Write it like {Example}.";
            return null;
        }
        return at.ToUniversalTime();
    }

    /// <summary>A time that must be there: a missing or bad one is reported through <paramref name="problem"/>.</summary>
    public static DateTimeOffset? Required(string? text, string what, bool assumeUtc, Action<string, string> problem, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problem(field, $"The {what} is missing. Export the log again with all fields.");
            return null;
        }
        var at = Parse(text, assumeUtc, out var message);
        if (message is not null)
        {
            problem(field, message);
        }
        return at;
    }

    /// <summary>A source address that must be there (a name with no IP address is allowed).</summary>
    public static System.Net.IPAddress? Address(string? text, Action<string, string> problem, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problem(field, "The source address is missing: without it the sign-in cannot be placed.");
            return null;
        }
        var address = LogInput.Address(text, out var message);
        if (message is not null)
        {
            problem(field, message);
        }
        return address;
    }
}
