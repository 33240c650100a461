namespace ComplianceHub.Core.Gate;

/// <summary>
/// What a write caused (API.md: every write returns <c>consequences</c>): grants the gate suspended or revoked,
/// findings it opened or closed.
/// </summary>
public sealed class Consequences
{
    public List<Guid> SuspendedGrants { get; } = [];
    public List<Guid> RevokedGrants { get; } = [];
    public List<Guid> FindingsOpened { get; } = [];
    public List<Guid> FindingsClosed { get; } = [];

    /// <summary>Grants held by a screening match and released when it was cleared.</summary>
    public List<Guid> ReactivatedGrants { get; } = [];

    /// <summary>Forgets everything (a pooled context is reused by another operation).</summary>
    internal void Clear()
    {
        SuspendedGrants.Clear();
        RevokedGrants.Clear();
        FindingsOpened.Clear();
        FindingsClosed.Clear();
        ReactivatedGrants.Clear();
    }

    /// <summary>A snapshot for a result.</summary>
    public ConsequencesView ToView() => new([.. SuspendedGrants], [.. RevokedGrants], [.. FindingsOpened], [.. FindingsClosed], [.. ReactivatedGrants]);
}

/// <summary>The consequences of a write, as the API returns them.</summary>
public sealed record ConsequencesView(IReadOnlyList<Guid> SuspendedGrants, IReadOnlyList<Guid> RevokedGrants,
    IReadOnlyList<Guid> FindingsOpened, IReadOnlyList<Guid> FindingsClosed, IReadOnlyList<Guid> ReactivatedGrants);
