using System.Security.Claims;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Who is acting: the signed-in account, its one role and, for a vendor representative, its one vendor.
/// Built from the claims principal once per request or circuit; every query and command takes it.
/// </summary>
public sealed record Actor(Guid UserId, string DisplayName, string Role, Guid? VendorId, string? VendorName)
{
    /// <summary>
    /// The operator at the server's command line (CLI: create-user, seed). Holding the database credentials, they act
    /// with an administrator's rights and no vendor scope; the audit trail names them as this actor.
    /// </summary>
    public static Actor ServerOperator { get; } = new(Guid.Empty, "server operator (CLI)", Roles.Administrator, null, null);

    /// <summary>The portal's own scheduler (time-based re-evaluation), acting with administrator rights and no vendor scope.</summary>
    public static Actor Scheduler { get; } = new(Guid.Empty, "scheduler (time-based re-evaluation)", Roles.Administrator, null, null);

    /// <summary>How the actor signed in, as the audit trail records it: <c>cookie</c> (the portal), <c>bearer-token</c>
    /// (from POST /api/v1/auth/token) or <c>api-token</c> (a personal access token).</summary>
    public string AuthenticationMethod { get; init; } = "cookie";

    /// <summary>The server-side session the credential names (a portal cookie or a sign-in bearer token), if any.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The personal access token the request was authenticated with, if any.</summary>
    public Guid? ApiTokenId { get; init; }

    /// <summary>
    /// The only writes this actor may perform, when it acts through a personal access token of scope
    /// <see cref="ApiTokenScope.Operations"/>; null otherwise. <see cref="Common.CommandExecutor"/> refuses every other command.
    /// </summary>
    public IReadOnlyList<string>? TokenOperations { get; init; }

    /// <summary>
    /// The contracting office a contracting officer or auditor acts for, or null when they act installation-wide (and for every
    /// other role). See <see cref="VisibleVendorIds"/>.
    /// </summary>
    public Guid? OfficeId { get; init; }

    /// <summary>The office's name, for display.</summary>
    public string? OfficeName { get; init; }

    /// <summary>
    /// The vendors whose contracts <see cref="OfficeId"/> holds, as resolved for this request or circuit by
    /// <see cref="OfficeScopes"/>. Null when not resolved: an actor with an office then sees no vendor (fail closed).
    /// </summary>
    public IReadOnlyList<Guid>? OfficeVendorIds { get; init; }

    /// <summary>
    /// The vendors the actor may see and act on, the one answer every vendor-scoped query and command asks (ADR 0028): the one
    /// vendor of a representative; the vendors whose contracts the office holds for an officer or auditor of an office; null
    /// (every vendor) for administrators, installation-wide officers and auditors, and the server's own actors.
    /// </summary>
    public Guid[]? VisibleVendorIds => Role switch
    {
        Roles.VendorRepresentative => VendorId is { } v ? [v] : [],
        Roles.ContractingOfficer or Roles.Auditor when OfficeId is not null => OfficeVendorIds?.ToArray() ?? [],
        _ => null,
    };

    /// <summary>Whether the actor sees every vendor (no vendor scope applies).</summary>
    public bool SeesEveryVendor => VisibleVendorIds is null;

    /// <summary>Whether the actor may see and act on <paramref name="vendorId"/>'s rows: the point check beside <see cref="VisibleVendorIds"/>.</summary>
    /// <remarks>The same answer as <see cref="VisibleVendorIds"/>, without copying the office's list for each call.</remarks>
    public bool Sees(Guid vendorId) => Role switch
    {
        Roles.VendorRepresentative => VendorId == vendorId,
        Roles.ContractingOfficer or Roles.Auditor when OfficeId is not null => OfficeVendorIds is { } ids && ids.Contains(vendorId),
        _ => true,
    };

    public bool IsAdministrator => Role == Roles.Administrator;
    public bool IsContractingOfficer => Role == Roles.ContractingOfficer;
    public bool IsVendorRepresentative => Role == Roles.VendorRepresentative;
    public bool IsAuditor => Role == Roles.Auditor;

    /// <summary>
    /// The actor of a signed-in principal, or null when the principal is anonymous or malformed
    /// (no single known role, or a representative without exactly one vendor): fail closed.
    /// </summary>
    public static Actor? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }
        var roles = principal.FindAll(principal.Identities.First().RoleClaimType)
            .Select(c => c.Value).Where(Roles.All.Contains).Distinct().ToList();
        if (roles.Count != 1)
        {
            return null;
        }
        var role = roles[0];
        var vendorClaims = principal.FindAll(ComplianceClaimTypes.VendorId).Select(c => c.Value).Distinct().ToList();
        Guid? vendorId = null;
        if (role == Roles.VendorRepresentative)
        {
            if (vendorClaims.Count != 1 || !Guid.TryParse(vendorClaims[0], out var v))
            {
                return null;
            }
            vendorId = v;
        }
        else if (vendorClaims.Count != 0)
        {
            return null;
        }
        var officeClaims = principal.FindAll(ComplianceClaimTypes.OfficeId).Select(c => c.Value).Distinct().ToList();
        Guid? officeId = null;
        if (officeClaims.Count > 0)
        {
            // Only an officer or auditor belongs to an office, and to one.
            if (role is not (Roles.ContractingOfficer or Roles.Auditor) || officeClaims.Count != 1 || !Guid.TryParse(officeClaims[0], out var o))
            {
                return null;
            }
            officeId = o;
        }
        return new Actor(userId, principal.FindFirstValue(ComplianceClaimTypes.DisplayName) ?? principal.Identity.Name ?? "",
            role, vendorId, principal.FindFirstValue(ComplianceClaimTypes.VendorName))
        {
            OfficeId = officeId,
            OfficeName = officeId is null ? null : principal.FindFirstValue(ComplianceClaimTypes.OfficeName),
            OfficeVendorIds = officeId is null ? null : OfficeScopes.VendorsFrom(principal),
            AuthenticationMethod = principal.HasClaim(c => c.Type == ComplianceClaimTypes.ApiTokenId) ? "api-token"
                : principal.FindFirstValue(ComplianceClaimTypes.AuthenticationMethod) ?? "cookie",
            SessionId = Guid.TryParse(principal.FindFirstValue(ComplianceClaimTypes.SessionId), out var session) ? session : null,
            ApiTokenId = Guid.TryParse(principal.FindFirstValue(ComplianceClaimTypes.ApiTokenId), out var token) ? token : null,
            // A token scoped to named operations: those only; a scope claim of Operations without the list allows no write.
            TokenOperations = principal.FindFirstValue(ComplianceClaimTypes.ApiTokenScope) == nameof(ApiTokenScope.Operations)
                ? (principal.FindFirstValue(ComplianceClaimTypes.ApiTokenOperations) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : null,
        };
    }
}
