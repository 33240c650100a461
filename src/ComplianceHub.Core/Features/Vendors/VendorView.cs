using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Vendors;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>A vendor as the API shows it.</summary>
public sealed record VendorView(Guid Id, string Name, string CageCode, string Uei, VendorStatus Status, string Version)
{
    public static VendorView From(Vendor v) => new(v.Id, v.Name, v.CageCode, v.Uei, v.Status, v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
