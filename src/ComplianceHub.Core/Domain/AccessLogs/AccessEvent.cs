using System.Net;

namespace ComplianceHub.Core.Domain.AccessLogs;

/// <summary>Why an access event's address has no country. Never "United States" by default.</summary>
public enum LocationUnknown
{
    /// <summary>The address has a country.</summary>
    None,

    /// <summary>The log's source is not an IP address (an AWS service name, an empty field).</summary>
    NotAnAddress,

    /// <summary>A private network address (RFC 1918, unique local IPv6, shared address space): where it is depends on the network.</summary>
    Private,

    /// <summary>The machine itself (127.0.0.0/8, ::1).</summary>
    Loopback,

    /// <summary>A link-local address (169.254.0.0/16, fe80::/10).</summary>
    LinkLocal,

    /// <summary>A reserved, documentation, multicast or unspecified address: not on the public internet.</summary>
    Reserved,

    /// <summary>A public address the geolocation database has no country for.</summary>
    NotInDatabase,

    /// <summary>No geolocation database was installed when the event was imported.</summary>
    NoDatabase,
}

/// <summary>
/// One sign-in or access read from a vendor's system log (issue 25): who (as the log names them, and the person they match),
/// when, from which address, the country the geolocation database gave it, the system, and the line it came from.
/// Append-only evidence: written by binary COPY with its import (never tracked), and never changed — but for the person an
/// unmatched identity is later resolved to (<c>Data/Sql/0014</c> refuses everything else).
/// </summary>
public sealed class AccessEvent
{
    private AccessEvent() { }

    public long Id { get; private set; }
    public Guid ImportId { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid SystemId { get; private set; }
    public Guid? PersonId { get; private set; }

    /// <summary>The identity as the log names it, trimmed and lower-case (an e-mail, a UPN, a user name).</summary>
    public string Identity { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The source as written in the log.</summary>
    public string SourceAddress { get; private set; } = "";

    /// <summary>The source as an IP address, when it is one.</summary>
    public IPAddress? Address { get; private set; }

    /// <summary>The ISO 3166 code the geolocation database gave the address, or null (<see cref="Unknown"/> says why).</summary>
    public string? Country { get; private set; }

    public LocationUnknown Unknown { get; private set; }

    /// <summary>A successful sign-in or access; failed sign-ins are kept as evidence but are not access.</summary>
    public bool Succeeded { get; private set; }

    /// <summary>The log's own event id, or the SHA-256 of the line's content when the log has none: one row per system and key.</summary>
    public string EventKey { get; private set; } = "";

    /// <summary>The line (or record) number in the imported file.</summary>
    public int Line { get; private set; }

    /// <summary>The line as written (cut at 500 characters), or the JSON record's key fields.</summary>
    public string Excerpt { get; private set; } = "";

    /// <summary>What the entries hash of an import covers, per event (pipe-separated, in line order).</summary>
    public static string Fingerprint(int line, string identity, DateTimeOffset occurredAt, string sourceAddress, string? country, bool succeeded,
        Guid systemId, string eventKey) =>
        $"{line}|{identity}|{occurredAt.UtcTicks}|{sourceAddress}|{country}|{(succeeded ? 1 : 0)}|{systemId:N}|{eventKey}\n";
}
