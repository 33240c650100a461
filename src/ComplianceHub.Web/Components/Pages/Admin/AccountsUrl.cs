using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Admin;

/// <summary>
/// The accounts grid's address (<c>/admin/accounts?q=acme&amp;role=VendorRepresentative&amp;status=Disabled</c>, then its layout),
/// so a reload, a bookmark or a saved view opens the list as it was. An unknown role or status is no filter.
/// </summary>
public static class AccountsUrl
{
    public const string Path = "/admin/accounts";

    public static AccountFilter Parse(string uri)
    {
        var query = new FilterQuery(uri);
        return new AccountFilter(query.Text("q"), query.OneOf("role", Roles.All), query.OneOf("status", AccountStatuses.All));
    }

    public static string Build(AccountFilter filter) =>
        FilterQuery.Build(Path, ("q", filter.Search), ("role", filter.Role), ("status", filter.Status));

    /// <summary>The grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(AccountRow.Email)] = "email",
        [nameof(AccountRow.DisplayName)] = "displayName",
        [nameof(AccountRow.Role)] = "role",
        [nameof(AccountRow.ActsFor)] = "vendorName",
        [nameof(AccountRow.LastSignInAt)] = "lastSignInAt",
    };

    /// <summary>The columns a reader may hide (the email and the actions always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("name", "Name"), new("role", "Role"), new("actsFor", "Acts for"), new("lastSignIn", "Last sign-in"), new("status", "Status"),
    ];
}
