namespace ComplianceHub.Core.Authorization;

/// <summary>The four roles of the portal. The names are part of the API contract.</summary>
public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string ContractingOfficer = nameof(ContractingOfficer);
    public const string VendorRepresentative = nameof(VendorRepresentative);
    public const string Auditor = nameof(Auditor);

    /// <summary>Every role, in the order they are shown.</summary>
    public static IReadOnlyList<string> All { get; } = [Administrator, ContractingOfficer, VendorRepresentative, Auditor];

    /// <summary>A short human name for a role.</summary>
    public static string DisplayName(string role) => role switch
    {
        Administrator => "Administrator",
        ContractingOfficer => "Contracting officer",
        VendorRepresentative => "Vendor representative",
        Auditor => "Auditor",
        _ => role,
    };
}

/// <summary>Claim types the portal adds to a signed-in principal.</summary>
public static class ComplianceClaimTypes
{
    /// <summary>The one vendor a vendor representative acts for (a GUID). Absent for every other role.</summary>
    public const string VendorId = "ch:vendor_id";

    /// <summary>The vendor's legal name, for display only; scoping always uses <see cref="VendorId"/>.</summary>
    public const string VendorName = "ch:vendor_name";

    /// <summary>
    /// The contracting office a contracting officer or auditor acts for (a GUID), set at sign-in from the account. Absent for an
    /// installation-wide officer or auditor and for every other role. Changing it ends the account's sessions (ADR 0028).
    /// </summary>
    public const string OfficeId = "ch:office_id";

    /// <summary>The office's name, for display only.</summary>
    public const string OfficeName = "ch:office_name";

    /// <summary>
    /// The vendors the office holds contracts with (GUIDs separated by spaces), resolved on every request by
    /// <see cref="OfficeScopes"/> and never stored in a cookie or token: read only from an identity whose authentication
    /// type is <see cref="OfficeScopes.IdentityType"/>.
    /// </summary>
    public const string OfficeVendors = "ch:office_vendors";

    /// <summary>The account's display name.</summary>
    public const string DisplayName = "ch:display_name";

    /// <summary>The API token a request was authenticated with (set by the bearer-token handler only).</summary>
    public const string ApiTokenId = "ch:token_id";

    /// <summary>How a bearer token was obtained, for the audit trail: <c>bearer-token</c> (POST /api/v1/auth/token).</summary>
    public const string AuthenticationMethod = "ch:auth_method";

    /// <summary>What the personal access token of the request may do (<see cref="ApiTokenScope"/>).</summary>
    public const string ApiTokenScope = "ch:token_scope";

    /// <summary>The operations a personal access token of scope <c>Operations</c> may perform, separated by spaces.</summary>
    public const string ApiTokenOperations = "ch:token_operations";

    /// <summary>The server-side session (<see cref="UserSession"/>) a portal cookie or sign-in bearer token belongs to.</summary>
    public const string SessionId = "ch:sid";
}

/// <summary>Authorization policy names, declared once and used by pages, endpoints and commands.</summary>
public static class Policies
{
    public const string Administrator = "role:administrator";
    public const string ContractingOfficer = "role:contracting-officer";
    public const string VendorRepresentative = "role:vendor-representative";
    public const string Auditor = "role:auditor";

    /// <summary>Roles that may read across every vendor (officers, auditors, administrators).</summary>
    public const string ReadAllVendors = "read:all-vendors";

    /// <summary>
    /// Roles that read rosters, findings and sessions: officers, auditors and administrators across vendors, a vendor
    /// representative only their own vendor's (the queries and handlers scope the rows; a row of another vendor is a 404).
    /// </summary>
    public const string ReadRosters = "read:rosters";

    /// <summary>
    /// Who imports code contributions: contracting officers, auditors (an outside audit brings the repository's history) and
    /// vendor representatives for their own vendor.
    /// </summary>
    public const string ContributionImporters = "role:contribution-importers";

    /// <summary>Who imports access logs (issue 25): contracting officers, and vendor representatives for their own vendor.</summary>
    public const string AccessLogImporters = "role:access-log-importers";

    /// <summary>Who reads access-log imports and events: officers and auditors across vendors, a representative their own vendor's.</summary>
    public const string ReadAccessLogs = "read:access-logs";
}
