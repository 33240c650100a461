namespace ComplianceHub.Core.Domain;

// Enumeration names are part of the API contract (shared/design/API.md) and are stored as strings,
// so raw tables stay readable in an audit. Never rename a member.

/// <summary>DoD cloud impact level of a system.</summary>
public enum ImpactLevel { IL2, IL4, IL5, IL6 }

/// <summary>How a person is engaged by the vendor.</summary>
public enum EmployerType { VendorEmployee, Subcontractor, StaffingAgency }

/// <summary>Federal background investigation tier.</summary>
public enum InvestigationTier { None, T1, T3, T5 }

/// <summary>Security clearance level.</summary>
public enum Clearance { None, Confidential, Secret, TopSecret }

/// <summary>Technical level at which a person may act as an escort.</summary>
public enum EscortQualification { None, Operator, Engineer }

/// <summary>Whether a person is currently employed by the vendor.</summary>
public enum EmploymentStatus { Active, Terminated }

/// <summary>Lifecycle of a vendor in the contracting office.</summary>
public enum VendorStatus { Active, Suspended, Inactive }

/// <summary>
/// Where a person stands against the restricted-party list: no unresolved match, a potential match awaiting a
/// contracting officer's adjudication, or a match the officer confirmed.
/// </summary>
public enum ScreeningStatus { Clear, PotentialMatch, ConfirmedMatch }

/// <summary>How a grant reaches a system (the API's AccessType).</summary>
public enum AccessType { Privileged, NonPrivileged, Data, Physical }

/// <summary>Lifecycle of an access grant (the API's GrantStatus).</summary>
public enum GrantStatus { PendingApproval, Active, Suspended, Revoked, Expired }
