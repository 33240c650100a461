using ComplianceHub.Core.Rules;

namespace ComplianceHub.Tests.Shared;

/// <summary>Policy parameters for the drafts tests activate.</summary>
public static class PolicyDrafts
{
    /// <summary>The 2026 baseline with <paramref name="country"/> (alpha-2) added to the covered nations.</summary>
    public static PolicyParameters BaselineCovering(string country)
    {
        var sets = PolicyDefaults.Baseline2026.CountrySets.ToDictionary(kv => kv.Key, kv => kv.Value);
        sets[PolicyParameters.Covered] = new HashSet<string>(sets[PolicyParameters.Covered]) { country };
        return PolicyDefaults.Baseline2026 with { CountrySets = sets };
    }
}
