using System.Net;

namespace ComplianceHub.Core.Domain.AccessLogs;

/// <summary>
/// An address range an officer marked as a known egress (a VPN concentrator, a cloud provider's NAT, a corporate proxy): the
/// country of its addresses says where the network leaves to the internet, not where the person sits, so the evidence rules
/// pass over sign-ins from it. Added and removed with a reason, each audited.
/// </summary>
public sealed class KnownEgressRange
{
    private KnownEgressRange() { }

    public KnownEgressRange(Guid id, IPNetwork range, string reason, Guid addedBy, string addedByName, DateTimeOffset addedAt)
    {
        Id = id;
        Range = range;
        Reason = reason;
        AddedBy = addedBy;
        AddedByName = addedByName;
        AddedAt = addedAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The range (CIDR notation), IPv4 or IPv6.</summary>
    public IPNetwork Range { get; private set; }

    public string Reason { get; private set; } = "";
    public Guid AddedBy { get; private set; }
    public string AddedByName { get; private set; } = "";
    public DateTimeOffset AddedAt { get; private set; }
    public uint Version { get; private set; }
}
