namespace ComplianceHub.Web.Components.Pages.Findings;

/// <summary>What an officer does with a finding from the findings grid.</summary>
public enum FindingAction { Acknowledge, Remediate, Waiver }
