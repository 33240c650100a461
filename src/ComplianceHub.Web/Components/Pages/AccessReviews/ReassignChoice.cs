namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>Whom items go to, and why.</summary>
public sealed record ReassignChoice(Guid ReviewerId, string Reason);
