using ComplianceHub.Core.Authorization;
using MudBlazor;

namespace ComplianceHub.Web.Components.Layout;

/// <summary>One entry of the navigation.</summary>
/// <param name="Title">Link text.</param>
/// <param name="Href">Target; pages outside Blazor (the API reference) load in full.</param>
/// <param name="Icon">MudBlazor icon.</param>
/// <param name="Roles">Roles that see the entry; the page itself enforces the same policy.</param>
/// <param name="External">True for targets outside the Blazor router.</param>
public sealed record NavEntry(string Title, string Href, string Icon, IReadOnlyList<string> Roles, bool External = false);

/// <summary>
/// The navigation, by role. Showing an entry is a convenience only: every page declares its own
/// authorization policy, and its queries are scoped by role and vendor.
/// </summary>
public static class NavCatalog
{
    public static IReadOnlyList<NavEntry> Entries { get; } =
    [
        new("Home", "/", Icons.Material.Filled.Home, Roles.All),
        new("Dashboard", "/dashboard", Icons.Material.Filled.Dashboard, [Roles.ContractingOfficer, Roles.Auditor]),
        new("Vendors", "/vendors", Icons.Material.Filled.Business, [Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator]),
        new("Roster", "/roster", Icons.Material.Filled.People, [Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative]),
        new("Import roster", "/roster/import", Icons.Material.Filled.UploadFile, [Roles.VendorRepresentative]),
        new("Access requests", "/requests", Icons.Material.Filled.VpnKey, [Roles.VendorRepresentative]),
        new("Attestations", "/attestations", Icons.Material.Filled.AssignmentTurnedIn, [Roles.VendorRepresentative, Roles.ContractingOfficer, Roles.Auditor]),
        new("Escorted sessions", "/sessions", Icons.Material.Filled.EventNote, [Roles.VendorRepresentative, Roles.ContractingOfficer, Roles.Auditor]),
        new("Escort board", "/escorts", Icons.Material.Filled.SupervisorAccount, [Roles.ContractingOfficer, Roles.Auditor]),
        new("Findings", "/findings", Icons.Material.Filled.ReportProblem, [Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative]),
        new("Access reviews", "/access-reviews", Icons.Material.Filled.RuleFolder, [Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative]),
        new("Code contributions", "/contributions", Icons.Material.Filled.Code, [Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative]),
        new("Import contributions", "/contributions/import", Icons.Material.Filled.CloudUpload, [Roles.VendorRepresentative]),
        new("Access logs", "/access-logs", Icons.Material.Filled.Login, [Roles.ContractingOfficer, Roles.Auditor, Roles.VendorRepresentative]),
        new("Import access log", "/access-logs/import", Icons.Material.Filled.DriveFolderUpload, [Roles.ContractingOfficer, Roles.VendorRepresentative]),
        new("Screening", "/screening", Icons.Material.Filled.PersonSearch, [Roles.ContractingOfficer, Roles.Auditor]),
        new("Approvals", "/approvals", Icons.Material.Filled.FactCheck, [Roles.ContractingOfficer]),
        new("Policy", "/policy", Icons.Material.Filled.Policy, [Roles.ContractingOfficer, Roles.Auditor]),
        new("Audit trail", "/audit", Icons.Material.Filled.ManageSearch, [Roles.Auditor, Roles.Administrator]),
        new("Access on a day", "/access", Icons.Material.Filled.History, [Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator]),
        new("Evidence package", "/evidence", Icons.Material.Filled.Inventory2, [Roles.Auditor, Roles.Administrator]),
        new("Systems", "/systems", Icons.Material.Filled.Dns, [Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator]),
        new("Known egress ranges", "/egress-ranges", Icons.Material.Filled.Router, [Roles.ContractingOfficer, Roles.Auditor, Roles.Administrator]),
        new("Geolocation database", "/geolocation", Icons.Material.Filled.Public, [Roles.Administrator, Roles.ContractingOfficer, Roles.Auditor]),
        new("Accounts", "/admin/accounts", Icons.Material.Filled.ManageAccounts, [Roles.Administrator]),
        new("Contracting offices", "/admin/offices", Icons.Material.Filled.AccountBalance, [Roles.Administrator]),
        new("API reference", "/scalar/v1", Icons.Material.Filled.Api,
            [Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor], External: true),
    ];

    /// <summary>The entries a role sees, in order.</summary>
    public static IReadOnlyList<NavEntry> For(string? role) =>
        role is null ? [] : Entries.Where(e => e.Roles.Contains(role)).ToList();
}
