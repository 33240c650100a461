using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ComplianceHub.Core.Domain.Attestations;

/// <summary>What the representative attested for one person.</summary>
public sealed record AttestedPerson(Guid PersonId, string WorkCountry, string WorkCity, IReadOnlyList<string> Citizenships);

/// <summary>
/// A vendor representative's signed statement of where a set of their people work and which citizenships they hold.
/// Signed by the account at submission: who, when, and a SHA-256 of exactly what was attested.
/// </summary>
public sealed class LocationAttestation
{
    private LocationAttestation() { }

    public LocationAttestation(Guid id, Guid vendorId, string statement, IReadOnlyList<AttestedPerson> items, Guid submittedBy,
        string submittedByName, DateTimeOffset submittedAt)
    {
        Id = id;
        VendorId = vendorId;
        Statement = statement;
        Items = JsonSerializer.Serialize(items.OrderBy(i => i.PersonId), JsonOptions);
        SubmittedBy = submittedBy;
        SubmittedByName = submittedByName;
        SubmittedAt = submittedAt;
        ContentHash = ComputeHash();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Guid Id { get; private set; }
    public Guid VendorId { get; private set; }
    public string Statement { get; private set; } = "";

    /// <summary>The attested people as JSON (<see cref="AttestedPerson"/>, ordered by person id).</summary>
    public string Items { get; private set; } = "[]";
    public Guid SubmittedBy { get; private set; }
    public string SubmittedByName { get; private set; } = "";
    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>SHA-256 (hex) over the attestation's id, vendor, signer, time, statement and items.</summary>
    public string ContentHash { get; private set; } = "";

    public IReadOnlyList<AttestedPerson> People => JsonSerializer.Deserialize<List<AttestedPerson>>(Items, JsonOptions) ?? [];

    /// <summary>Recomputes the hash from the stored content: equal to <see cref="ContentHash"/> unless something was altered.</summary>
    public string ComputeHash()
    {
        var canonical = string.Join('\n', Id, VendorId, SubmittedBy, SubmittedByName,
            SubmittedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            Statement, JsonSerializer.Serialize(People, JsonOptions));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
