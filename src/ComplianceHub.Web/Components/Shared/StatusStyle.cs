using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using MudBlazor;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// Each status's words and chip colour, in one place: every page that shows a grant, a request or a policy version's status
/// takes them from here, so the same status looks the same everywhere.
/// </summary>
public static class StatusStyle
{
    /// <summary>A grant's status in words ("Pending approval").</summary>
    public static string Label(GrantStatus status) => Words.Of(status);

    /// <summary>A grant's status as the requester sees the request: waiting, or rejected (a refused request is revoked).</summary>
    public static string RequestLabel(GrantStatus status) => status switch
    {
        GrantStatus.PendingApproval => "Waiting for an officer",
        GrantStatus.Revoked => "Rejected or revoked",
        _ => Words.Of(status),
    };

    public static Color Color(GrantStatus status) => status switch
    {
        GrantStatus.Active => MudBlazor.Color.Success,
        GrantStatus.PendingApproval => MudBlazor.Color.Info,
        GrantStatus.Suspended => MudBlazor.Color.Warning,
        GrantStatus.Revoked => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    public static Color Color(EscortRequestStatus status) => status switch
    {
        EscortRequestStatus.Approved => MudBlazor.Color.Success,
        EscortRequestStatus.Pending => MudBlazor.Color.Info,
        EscortRequestStatus.Declined => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };

    public static Color Color(PolicyStatus status) => status switch
    {
        PolicyStatus.Active => MudBlazor.Color.Success,
        PolicyStatus.Draft => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };
}
