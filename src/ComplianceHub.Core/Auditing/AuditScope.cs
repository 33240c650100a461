using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Auditing;

/// <summary>Who an audit event names as the actor.</summary>
/// <param name="UserId">The account, when there is one.</param>
/// <param name="Name">Display name (or a description for the server operator).</param>
/// <param name="Role">The actor's role at the time.</param>
/// <param name="VendorId">The vendor a representative acted for.</param>
/// <param name="AuthenticationMethod"><c>cookie</c>, <c>password</c>, <c>cli</c>…</param>
public sealed record AuditActor(Guid? UserId, string Name, string Role, Guid? VendorId, string AuthenticationMethod)
{
    /// <summary>The server-side session the actor's cookie or sign-in bearer token names, if any.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The personal access token the request was authenticated with, if any.</summary>
    public Guid? ApiTokenId { get; init; }

    /// <summary>The client's address, from the request in progress when the actor is named (<see cref="RequestOrigin"/>).</summary>
    public string? ClientAddress { get; init; } = RequestOrigin.Current?.ClientAddress;

    /// <summary>The client's user agent, from the request in progress when the actor is named (<see cref="RequestOrigin"/>).</summary>
    public string? UserAgent { get; init; } = RequestOrigin.Current?.UserAgent;

    public static AuditActor From(Actor actor, string authenticationMethod) =>
        new(actor.UserId == Guid.Empty ? null : actor.UserId, actor.DisplayName, actor.Role, actor.VendorId, authenticationMethod)
        {
            SessionId = actor.SessionId,
            ApiTokenId = actor.ApiTokenId,
        };
}

/// <summary>
/// The actor and operation of the writes in progress on this logical call (an <see cref="AsyncLocal{T}"/>), read by
/// the DbContext gate when it writes audit events. A write with no scope is refused: nothing is saved anonymously.
/// </summary>
public sealed record AuditScope(AuditActor Actor, string Operation, string CorrelationId)
{
    private static readonly AsyncLocal<AuditScope?> Ambient = new();

    /// <summary>The scope of the current call, or null.</summary>
    public static AuditScope? Current => Ambient.Value;

    /// <summary>Makes <paramref name="scope"/> current until the result is disposed (then the previous one returns).</summary>
    public static IDisposable Begin(AuditScope scope)
    {
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Restore(previous);
    }

    /// <summary>A scope for <paramref name="actor"/> doing <paramref name="operation"/>, with a new correlation id.</summary>
    /// <remarks>Nested scopes keep the outer correlation id, so one operation's events stay together.</remarks>
    public static IDisposable Begin(Actor actor, string operation, string? authenticationMethod = null) =>
        Begin(new AuditScope(AuditActor.From(actor, actor == Authorization.Actor.ServerOperator ? "cli" : authenticationMethod ?? actor.AuthenticationMethod), operation,
            Current?.CorrelationId ?? Guid.CreateVersion7().ToString()));

    private sealed class Restore(AuditScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
