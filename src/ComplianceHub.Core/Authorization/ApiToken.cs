using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Authorization;

/// <summary>What a personal access token may do.</summary>
public enum ApiTokenScope
{
    /// <summary>Read only: GET requests (lists, exports, evidence).</summary>
    ReadOnly,

    /// <summary>Read and write (a roster sync).</summary>
    ReadWrite,

    /// <summary>
    /// Read, and write through the named operations only (<see cref="ApiToken.Operations"/>, e.g. <c>import-roster</c>): a
    /// roster sync that can do nothing else. Any other write is refused (403) by the command pipeline.
    /// </summary>
    Operations,
}

/// <summary>
/// A personal access token for a service account (a vendor's HR system syncing its roster): named, acting as its
/// owner account (so with the owner's role and vendor scope), expiring, revocable, stored only as a SHA-256 hash, its
/// last use recorded. The secret is shown once, when the token is created.
/// </summary>
public sealed class ApiToken
{
    /// <summary>Every token starts with this, so the API tells a personal access token from a sign-in token.</summary>
    public const string Prefix = "chp_";

    private ApiToken() { }

    private ApiToken(Guid id, string name, Guid ownerUserId, string hash, string hint, Guid createdBy, DateTimeOffset createdAt, DateTimeOffset expiresAt,
        ApiTokenScope scope)
    {
        Scope = scope;
        Id = id;
        Name = name;
        OwnerUserId = ownerUserId;
        Hash = hash;
        Hint = hint;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public Guid OwnerUserId { get; private set; }

    /// <summary>SHA-256 of the secret, hex; the secret itself is never stored.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>The first characters of the secret, to recognise a token in a list.</summary>
    public string Hint { get; private set; } = "";
    public Guid CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>What the token may do; a read-only token is refused any write (403).</summary>
    public ApiTokenScope Scope { get; private set; } = ApiTokenScope.ReadWrite;

    /// <summary>The operations (command names, as the audit trail records them) a token of scope <see cref="ApiTokenScope.Operations"/> may perform, sorted.</summary>
    public List<string> Operations { get; private set; } = [];

    public DateTimeOffset? RevokedAt { get; private set; }
    public Guid? RevokedBy { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    public bool ValidAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>A new token and its secret (to show once).</summary>
    public static (ApiToken Token, string Secret) Create(string name, Guid ownerUserId, Guid createdBy, DateTimeOffset now, DateTimeOffset expiresAt,
        ApiTokenScope scope, IEnumerable<string>? operations = null)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken(Guid.CreateVersion7(), name, ownerUserId, HashOf(secret), secret[..(Prefix.Length + 4)], createdBy, now, expiresAt, scope)
        {
            Operations = scope == ApiTokenScope.Operations ? (operations ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [],
        };
        return (token, secret);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public void Revoke(Guid by, DateTimeOffset at)
    {
        RevokedAt ??= at;
        RevokedBy ??= by;
    }

    /// <summary>Records a use, at most once an hour (each record is an audited write).</summary>
    public bool RecordUse(DateTimeOffset at)
    {
        if (LastUsedAt is { } last && at - last < TimeSpan.FromHours(1))
        {
            return false;
        }
        LastUsedAt = at;
        return true;
    }
}
