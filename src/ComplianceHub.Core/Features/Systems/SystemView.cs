using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Systems;

namespace ComplianceHub.Core.Features.Systems;

/// <summary>A cloud system as the API shows it.</summary>
public sealed record SystemView(Guid Id, string Name, string Provider, string Environment, ImpactLevel ImpactLevel, string Version)
{
    public static SystemView From(CloudSystem s) => new(s.Id, s.Name, s.Provider, s.Environment, s.ImpactLevel,
        s.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
