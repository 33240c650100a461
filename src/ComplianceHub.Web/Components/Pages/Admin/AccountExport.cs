using System.Globalization;
using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Components.Pages.Admin;

/// <summary>CSV of exactly what the accounts grid shows (same filters and sort), every page of it.</summary>
internal static class AccountExport
{
    public static IEndpointRouteBuilder MapAccountExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/accounts/export.csv", async (HttpContext http, AccountDirectory directory,
                string? search, string? role, string? status, string? sort, bool? desc, CancellationToken ct) =>
            {
                var actor = Actor.FromPrincipal(http.User);
                if (actor is null || !actor.IsAdministrator)
                {
                    return Results.Forbid();
                }
                var csv = new StringBuilder("email,displayName,role,vendor,status,createdAt,lastSignInAt,lockedOutUntil,disabledAt,disabledReason,signIn,office\n");
                var filter = new AccountFilter(search, string.IsNullOrEmpty(role) ? null : role, string.IsNullOrEmpty(status) ? null : status);
                for (var page = 1; ; page++)
                {
                    var rows = await directory.ListAsync(actor, filter, new PageRequest(page, PageRequest.MaxPageSize, sort, desc ?? false), ct);
                    foreach (var a in rows.Items)
                    {
                        csv.AppendJoin(',', Cell(a.Email), Cell(a.DisplayName), Cell(Roles.DisplayName(a.Role)), Cell(a.VendorName),
                            Cell(AccountStatuses.Describe(a.Status)),
                            Cell(a.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
                            Cell(a.LastSignInAt?.ToString("O", CultureInfo.InvariantCulture)),
                            Cell(a.LockedOutUntil?.ToString("O", CultureInfo.InvariantCulture)),
                            Cell(a.DisabledAt?.ToString("O", CultureInfo.InvariantCulture)), Cell(a.DisabledReason), Cell(a.SignInMethods),
                            Cell(a.Role is Roles.ContractingOfficer or Roles.Auditor ? a.ActsFor : null)).Append('\n');
                    }
                    if (page * PageRequest.MaxPageSize >= rows.Total)
                    {
                        break;
                    }
                }
                return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(),
                    "text/csv; charset=utf-8", "accounts.csv");
            })
            .RequireAuthorization(Policies.Administrator)
            .RequireRateLimiting(Hosting.RateLimits.Export)
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Quotes a cell and neutralises spreadsheet formulas (cells starting with = + - @, tab or CR).</summary>
    internal static string Cell(string? value) => Core.Exports.TableFile.CsvCell(value);
}
