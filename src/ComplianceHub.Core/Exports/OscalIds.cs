using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The identifiers of the portal's OSCAL documents (ADR 0038). OSCAL 1.0.6 accepts only version 4 (random) and version 5 (name-based)
/// UUIDs, and the portal's own ids are version 7, so every object that stands for a portal record gets a version 5 UUID (RFC 4122
/// section 4.3, SHA-1) derived from <see cref="Namespace"/> and a name that says what it stands for (<c>finding/{id}/risk</c>,
/// <c>person/{id}</c>…): the same finding has the same observation, risk and POA&amp;M item UUIDs in every export, so two exports line
/// up, and anyone holding the portal's ids can recompute them. Only the document itself gets a fresh version 4 UUID.
/// </summary>
public static class OscalIds
{
    /// <summary>The portal's namespace for OSCAL identifiers and properties (<c>ns</c> of every property it defines).</summary>
    public const string PropertyNamespace = "https://compliancehub.example/ns/oscal";

    /// <summary>The namespace UUID the version 5 UUIDs are derived from (fixed once; changing it would break every re-export's match).</summary>
    public static readonly Guid Namespace = Guid.Parse("ab83a241-025c-4273-a096-e698ff281687");

    /// <summary>The portal itself as a party: the organisation that prepared the document.</summary>
    public static Guid Portal => Derive("portal");

    /// <summary>The portal as a component of the local definitions: the tool every observation and risk comes from.</summary>
    public static Guid PortalTool => Derive("portal/tool");

    public static Guid Observation(Guid findingId) => Derive($"finding/{findingId:D}/observation");

    public static Guid Risk(Guid findingId) => Derive($"finding/{findingId:D}/risk");

    public static Guid PoamItem(Guid findingId) => Derive($"finding/{findingId:D}/poam-item");

    /// <summary>A response of a finding's risk (<c>waiver</c>, <c>answer</c>, <c>remediation</c>) or an entry of its log (<c>log/opened</c>…).</summary>
    public static Guid Part(Guid findingId, string part) => Derive($"finding/{findingId:D}/{part}");

    public static Guid Person(Guid personId) => Derive($"person/{personId:D}");

    public static Guid Vendor(Guid vendorId) => Derive($"vendor/{vendorId:D}");

    public static Guid System(Guid systemId) => Derive($"system/{systemId:D}");

    /// <summary>The version 5 UUID of <paramref name="name"/> in <see cref="Namespace"/>.</summary>
    public static Guid Derive(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        // RFC 4122 names SHA-1 for version 5: an identifier, not a security use.
#pragma warning disable CA5350
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
