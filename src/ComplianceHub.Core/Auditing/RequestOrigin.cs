namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Where the request a change comes from was sent from: the client's address and its user agent, as the portal's server saw
/// them (behind a proxy: the address the trusted proxy forwarded). Ambient for the request — the portal's first middleware
/// sets it for every HTTP request, a circuit's WebSocket request included, so a page's changes carry it too — and read when
/// an audit actor is named (<see cref="AuditActor"/>), so every event of the request records it. None at the command line
/// or in the scheduler.
/// </summary>
public sealed record RequestOrigin
{
    /// <summary>As long as the session table keeps an address (an IPv6 address with a zone fits).</summary>
    public const int MaxAddressLength = 64;

    /// <summary>A user agent is cut to this many characters; the rest names nobody.</summary>
    public const int MaxUserAgentLength = 300;

    private static readonly AsyncLocal<RequestOrigin?> Ambient = new();

    private RequestOrigin(string? clientAddress, string? userAgent) => (ClientAddress, UserAgent) = (clientAddress, userAgent);

    public string? ClientAddress { get; }

    public string? UserAgent { get; }

    /// <summary>The origin of the request in progress, or null outside one.</summary>
    public static RequestOrigin? Current => Ambient.Value;

    /// <summary>An origin from what the server saw: empty values become none, long ones are cut, control characters dropped.</summary>
    public static RequestOrigin Of(string? clientAddress, string? userAgent) => new(Clean(clientAddress, MaxAddressLength), Clean(userAgent, MaxUserAgentLength));

    /// <summary>Makes <paramref name="origin"/> current until the result is disposed.</summary>
    public static IDisposable Begin(RequestOrigin origin)
    {
        var previous = Ambient.Value;
        Ambient.Value = origin;
        return new Restore(previous);
    }

    private static string? Clean(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return text.Length == 0 ? null : text.Length <= max ? text : text[..max];
    }

    private sealed class Restore(RequestOrigin? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
