using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>A policy version as the API shows it.</summary>
public sealed record PolicyVersionView(Guid Id, int Number, string Name, PolicyStatus Status, PolicyParameters Parameters,
    Guid? DraftedBy, Guid? ActivatedBy, DateTimeOffset? ActivatedAt, string Version = "")
{
    public static PolicyVersionView From(PolicyVersion v) =>
        new(v.Id, v.Number, v.Name, v.Status, PolicyJson.Deserialize(v.Parameters), v.DraftedBy, v.ActivatedBy, v.ActivatedAt,
            v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// Holds a policy version to the concurrency token its sender read: an activation or revision of a draft that changed
/// since (revised by its author, or activated) is a conflict, so nobody activates content they did not review.
/// </summary>
internal static class PolicyVersionToken
{
    public static string? Mismatch(Common.CommandContext context, PolicyVersion version, string? expected)
    {
        // The save compares xmin either way: a change committed between this read and the save is a conflict too.
        if (expected is null)
        {
            return null;
        }
        if (!RowVersion.TryRead(expected, out var token) || token != version.Version)
        {
            return $"Version {version.Number} changed after you opened it; reload it and review it again.";
        }
        context.Db.Entry(version).Property(v => v.Version).OriginalValue = token;
        return null;
    }
}
