namespace ComplianceHub.Core.Rules;

/// <summary>The threshold and the country penalty of the active policy (PolicyParameters.Screening).</summary>
public sealed record ScreeningSettings(double Threshold, double CountryMismatchPenalty)
{
    public static ScreeningSettings Default { get; } = new(0.92, 0.05);
}
