using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Notifications;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;

namespace ComplianceHub.Core.Common;

/// <summary>
/// The one place that turns what the code knows into what people read: every enum value a page, report, export label or
/// notification shows, country codes ("China (CN)"), fact and field keys ("workCountry" → "Work location") and fact values.
/// Pages, PDF reports, e-mails and the audit viewer all take their words from here; CSV and XLSX keep the column keys a
/// re-import reads and put these words beside them. <c>WordsTests</c> checks every value of every public enum has words.
/// </summary>
public static partial class Words
{
    /// <summary>Any enum value in words: the typed overloads below, found by the value's type.</summary>
    public static string Of(Enum value) => Enums.TryGetValue(value.GetType(), out var words)
        ? words(value)
        : throw new ArgumentException($"No words for {value.GetType().Name}.{value}: add them to {nameof(Words)}.", nameof(value));

    /// <summary>Whether <see cref="Of(Enum)"/> knows the type (for the test that every enum is covered).</summary>
    public static bool Covers(Type enumType) => Enums.ContainsKey(enumType);

    public static string Of(AccessType value) => value switch
    {
        AccessType.Privileged => "Privileged",
        AccessType.NonPrivileged => "Non-privileged",
        AccessType.Data => "Data",
        AccessType.Physical => "Physical",
        _ => Unknown(value),
    };

    public static string Of(GrantStatus value) => value switch
    {
        GrantStatus.PendingApproval => "Pending approval",
        GrantStatus.Active => "Active",
        GrantStatus.Suspended => "Suspended",
        GrantStatus.Revoked => "Revoked",
        GrantStatus.Expired => "Expired",
        _ => Unknown(value),
    };

    public static string Of(ImpactLevel value) => value switch
    {
        ImpactLevel.IL2 => "IL2",
        ImpactLevel.IL4 => "IL4",
        ImpactLevel.IL5 => "IL5",
        ImpactLevel.IL6 => "IL6 (classified)",
        _ => Unknown(value),
    };

    public static string Of(EmployerType value) => value switch
    {
        EmployerType.VendorEmployee => "Vendor employee",
        EmployerType.Subcontractor => "Subcontractor",
        EmployerType.StaffingAgency => "Staffing agency",
        _ => Unknown(value),
    };

    public static string Of(InvestigationTier value) => value switch
    {
        InvestigationTier.None => "No investigation",
        InvestigationTier.T1 => "Tier 1",
        InvestigationTier.T3 => "Tier 3",
        InvestigationTier.T5 => "Tier 5",
        _ => Unknown(value),
    };

    public static string Of(Clearance value) => value switch
    {
        Clearance.None => "No clearance",
        Clearance.Confidential => "Confidential",
        Clearance.Secret => "Secret",
        Clearance.TopSecret => "Top secret",
        _ => Unknown(value),
    };

    public static string Of(EscortQualification value) => value switch
    {
        EscortQualification.None => "Not qualified to escort",
        EscortQualification.Operator => "Qualified escort (operator)",
        EscortQualification.Engineer => "Qualified escort (engineer)",
        _ => Unknown(value),
    };

    public static string Of(EmploymentStatus value) => value switch
    {
        EmploymentStatus.Active => "Employed",
        EmploymentStatus.Terminated => "Terminated",
        _ => Unknown(value),
    };

    public static string Of(VendorStatus value) => value switch
    {
        VendorStatus.Active => "Active",
        VendorStatus.Suspended => "Suspended",
        VendorStatus.Inactive => "Inactive",
        _ => Unknown(value),
    };

    public static string Of(ScreeningStatus value) => value switch
    {
        ScreeningStatus.Clear => "Clear",
        ScreeningStatus.PotentialMatch => "Potential match",
        ScreeningStatus.ConfirmedMatch => "Confirmed match",
        _ => Unknown(value),
    };

    public static string Of(FactSource value) => value switch
    {
        FactSource.VendorDeclared => "Declared by the vendor",
        FactSource.OfficerVerified => "Verified by an officer",
        FactSource.Imported => "Imported",
        FactSource.Attested => "Attested",
        FactSource.Screening => "Screening",
        _ => Unknown(value),
    };

    public static string Of(Severity value) => value switch
    {
        Severity.Block => "Block",
        Severity.Suspend => "Suspend",
        Severity.Warn => "Warning",
        _ => Unknown(value),
    };

    public static string Of(FindingStatus value) => value switch
    {
        FindingStatus.Open => "Open",
        FindingStatus.Acknowledged => "Acknowledged",
        FindingStatus.Waived => "Waived",
        FindingStatus.Remediated => "Remediated",
        FindingStatus.Closed => "Closed",
        _ => Unknown(value),
    };

    public static string Of(WaiverStatus value) => value switch
    {
        WaiverStatus.PendingApproval => "Pending approval",
        WaiverStatus.Active => "Active",
        _ => Unknown(value),
    };

    public static string Of(IntegrityFindingStatus value) => value switch
    {
        IntegrityFindingStatus.Open => "Open",
        IntegrityFindingStatus.Closed => "Closed",
        _ => Unknown(value),
    };

    public static string Of(EscortRequestStatus value) => value switch
    {
        EscortRequestStatus.Pending => "Waiting for an officer",
        EscortRequestStatus.Approved => "Approved",
        EscortRequestStatus.Declined => "Declined",
        EscortRequestStatus.Withdrawn => "Withdrawn",
        _ => Unknown(value),
    };

    public static string Of(HitStatus value) => value switch
    {
        HitStatus.Pending => "Waiting for adjudication",
        HitStatus.TrueMatch => "True match",
        HitStatus.FalsePositive => "False positive",
        HitStatus.Superseded => "Superseded by a newer list",
        _ => Unknown(value),
    };

    public static string Of(HitDecision value) => value switch
    {
        HitDecision.TrueMatch => "True match",
        HitDecision.FalsePositive => "False positive",
        _ => Unknown(value),
    };

    public static string Of(ContributionSource value) => value switch
    {
        ContributionSource.GitLog => "Git history",
        ContributionSource.Csv => "CSV file",
        _ => Unknown(value),
    };

    public static string Of(ContributionMatch value) => value switch
    {
        ContributionMatch.Unmatched => "No matching person",
        ContributionMatch.Ambiguous => "Several possible people",
        ContributionMatch.Email => "Matched by roster e-mail",
        ContributionMatch.Alias => "Matched by alias",
        _ => Unknown(value),
    };

    public static string Of(ReviewVerdict value) => value switch
    {
        ReviewVerdict.Unreviewed => "Not reviewed",
        ReviewVerdict.NoConcern => "No concern",
        ReviewVerdict.NeedsRemediation => "Needs remediation",
        ReviewVerdict.Escalated => "Escalated",
        _ => Unknown(value),
    };

    public static string Of(PolicyStatus value) => value switch
    {
        PolicyStatus.Draft => "Draft",
        PolicyStatus.Active => "Active",
        PolicyStatus.Retired => "Retired",
        _ => Unknown(value),
    };

    public static string Of(ReevaluationReason value) => value switch
    {
        ReevaluationReason.Activation => "Policy activation",
        ReevaluationReason.Schedule => "Scheduled re-evaluation",
        _ => Unknown(value),
    };

    public static string Of(CitizenshipGroup value) => value switch
    {
        CitizenshipGroup.CoveredNation => "Covered nation",
        CitizenshipGroup.UsCitizen => "US citizen",
        CitizenshipGroup.UsPerson => "US person, not a citizen (permanent resident or US national)",
        CitizenshipGroup.OtherForeign => "Other foreign national",
        _ => Unknown(value),
    };

    public static string Of(AttestationState value) => value switch
    {
        AttestationState.Never => "Never attested",
        AttestationState.Overdue => "Overdue",
        AttestationState.DueSoon => "Due soon",
        AttestationState.Current => "Current",
        _ => Unknown(value),
    };

    public static string Of(SessionStatus value) => value switch
    {
        SessionStatus.SignedOff => "Signed off",
        SessionStatus.AwaitingSignOff => "Waiting for sign-off",
        SessionStatus.Overdue => "Sign-off overdue",
        _ => Unknown(value),
    };

    public static string Of(NotificationLevel value) => value switch
    {
        NotificationLevel.Info => "For information",
        NotificationLevel.Warning => "Needs attention",
        NotificationLevel.Urgent => "Urgent",
        _ => Unknown(value),
    };

    public static string Of(GrantDecision value) => value switch
    {
        GrantDecision.Suspend => "Suspend",
        GrantDecision.Revoke => "Revoke",
        GrantDecision.Reactivate => "Reactivate",
        _ => Unknown(value),
    };

    public static string Of(GrantRequestState value) => value switch
    {
        GrantRequestState.All => "All requests",
        GrantRequestState.Pending => "Waiting for an officer",
        GrantRequestState.Granted => "Granted",
        GrantRequestState.Ended => "Rejected or ended",
        _ => Unknown(value),
    };

    public static string Of(TimelineKind value) => value switch
    {
        TimelineKind.Fact => "Fact change",
        TimelineKind.Grant => "Access grant",
        TimelineKind.Escort => "Escort",
        _ => Unknown(value),
    };

    public static string Of(ImportPhase value) => value switch
    {
        ImportPhase.Reading => "Reading the file",
        ImportPhase.Checking => "Checking the rows",
        ImportPhase.Matching => "Matching people",
        ImportPhase.Saving => "Saving",
        ImportPhase.Done => "Done",
        _ => Unknown(value),
    };

    public static string Of(ImportAction value) => value switch
    {
        ImportAction.Add => "Add",
        ImportAction.Change => "Change",
        ImportAction.Terminate => "Terminate",
        ImportAction.Unchanged => "No change",
        ImportAction.Error => "Error",
        _ => Unknown(value),
    };

    public static string Of(ContributionImportAction value) => value switch
    {
        ContributionImportAction.Add => "Add",
        ContributionImportAction.Update => "Update",
        ContributionImportAction.Unchanged => "No change",
        ContributionImportAction.Error => "Error",
        _ => Unknown(value),
    };

    public static string Of(ExportKind value) => value switch
    {
        ExportKind.Findings => "Findings",
        ExportKind.Roster => "Roster",
        ExportKind.Grants => "Access grants",
        ExportKind.Escorts => "Escorts",
        ExportKind.Attestations => "Attestations",
        ExportKind.Audit => "Audit trail",
        ExportKind.Contributions => "Code contributions",
        ExportKind.AccessEvents => "Access-log events",
        ExportKind.AccessEvidence => "Where a person's access came from",
        _ => Unknown(value),
    };

    public static string Of(ExportFormat value) => value switch
    {
        ExportFormat.Csv => "CSV",
        ExportFormat.Xlsx => "Excel (XLSX)",
        ExportFormat.Pdf => "PDF",
        ExportFormat.Json => "JSON",
        _ => Unknown(value),
    };

    public static string Of(TableFormat value) => value switch
    {
        TableFormat.Csv => "CSV",
        TableFormat.Xlsx => "Excel (XLSX)",
        _ => Unknown(value),
    };

    public static string Of(AuditEventTypes.Change value) => value switch
    {
        AuditEventTypes.Change.Created => "created",
        AuditEventTypes.Change.Changed => "changed",
        AuditEventTypes.Change.Deleted => "deleted",
        _ => Unknown(value),
    };

    public static string Of(SessionState value) => value switch
    {
        SessionState.Valid => "Signed in",
        SessionState.PasswordChangeRequired => "Must change the temporary password",
        SessionState.SecondFactorEnrolmentRequired => "Must set up a second factor",
        SessionState.Unknown => "No such session",
        SessionState.Ended => "Signed out",
        SessionState.Expired => "Expired",
        SessionState.AccountDisabled => "Account disabled",
        SessionState.LockedOut => "Account locked",
        SessionState.StampChanged => "Account changed since sign-in",
        _ => Unknown(value),
    };

    public static string Of(ApiTokenScope value) => value switch
    {
        ApiTokenScope.ReadOnly => "Read only",
        ApiTokenScope.ReadWrite => "Read and write",
        ApiTokenScope.Operations => "Read, and the named operations only",
        _ => Unknown(value),
    };

    public static string Of(CheckpointSigningStatus value) => value switch
    {
        CheckpointSigningStatus.Signed => "Signed",
        CheckpointSigningStatus.NotDue => "Nothing new to sign",
        CheckpointSigningStatus.Refused => "Refused: the chain does not verify",
        _ => Unknown(value),
    };

    public static string Of(CheckpointSource value) => value switch
    {
        CheckpointSource.Database => "In the database",
        CheckpointSource.FileOnly => "Only in the checkpoint file",
        _ => Unknown(value),
    };

    public static string Of(CheckpointProblemKind value) => value switch
    {
        CheckpointProblemKind.Rewritten => "Events rewritten after signing",
        CheckpointProblemKind.Truncated => "Events removed after signing",
        CheckpointProblemKind.UntrustedKey => "Signed by a key this installation does not trust",
        CheckpointProblemKind.BadSignature => "Signature does not verify",
        CheckpointProblemKind.RemovedFromDatabase => "Removed from the database",
        _ => Unknown(value),
    };

    public static string Of(CheckpointFileState value) => value switch
    {
        CheckpointFileState.NotConfigured => "No checkpoint file configured",
        CheckpointFileState.Compared => "Compared with the checkpoint file",
        CheckpointFileState.Missing => "Checkpoint file missing",
        CheckpointFileState.Unreadable => "Checkpoint file unreadable",
        _ => Unknown(value),
    };

    public static string Of(StateDiscrepancyKind value) => value switch
    {
        StateDiscrepancyKind.Changed => "Changed outside the portal",
        StateDiscrepancyKind.NoCreatingEvent => "Created outside the portal",
        StateDiscrepancyKind.DeletedInTrail => "Deleted in the trail but still present",
        StateDiscrepancyKind.Gone => "Removed outside the portal",
        _ => Unknown(value),
    };

    public static string Of(EvidenceSignature value) => value switch
    {
        EvidenceSignature.Unsigned => "Not signed",
        EvidenceSignature.IntegrityOnly => "Unchanged since signed (signer not checked)",
        EvidenceSignature.Verified => "Signed by a trusted key",
        _ => Unknown(value),
    };

    public static string Of(OutcomeKind value) => value switch
    {
        OutcomeKind.Ok => "Done",
        OutcomeKind.Invalid => "Not valid",
        OutcomeKind.Refused => "Refused by the policy",
        OutcomeKind.NotFound => "Not found",
        OutcomeKind.Forbidden => "Not allowed",
        OutcomeKind.Conflict => "Changed meanwhile",
        _ => Unknown(value),
    };

    /// <summary>A yes/no fact.</summary>
    public static string YesNo(bool value) => value ? "Yes" : "No";

    // ---- Countries -------------------------------------------------------------------------------------------------

    private static readonly FrozenDictionary<string, string> CountryNames =
        Iso3166.All.ToFrozenDictionary(c => c.Alpha2, c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A country's name alone ("China"); an unknown code is shown as given, marked as unknown.</summary>
    public static string CountryName(string? code) => string.IsNullOrWhiteSpace(code)
        ? "Not recorded"
        : CountryNames.TryGetValue(code.Trim(), out var name) ? name : $"Unknown country code {code.Trim()}";

    /// <summary>A country as people read it: its name with the code ("China (CN)").</summary>
    public static string Country(string? code) => string.IsNullOrWhiteSpace(code)
        ? "Not recorded"
        : CountryNames.TryGetValue(code.Trim(), out var name) ? $"{name} ({code.Trim().ToUpperInvariant()})" : $"Unknown country code {code.Trim()}";

    /// <summary>Several countries, in the order given ("China (CN), United States (US)"); none reads "None".</summary>
    public static string Countries(IEnumerable<string>? codes)
    {
        var list = codes?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(Country).ToList() ?? [];
        return list.Count == 0 ? "None" : string.Join(", ", list);
    }

    // ---- Fields and facts ------------------------------------------------------------------------------------------

    /// <summary>
    /// The label of a field or fact key, as the audit trail, the rule outcomes' facts and the API name it
    /// ("workCountry" → "Work location"). A key not in the list is split into words rather than shown as code.
    /// </summary>
    public static string Field(string key) =>
        FieldLabels.TryGetValue(key, out var label) || RuleFactLabels.TryGetValue(key, out label) ? label : SplitWords(key);

    private static readonly FrozenDictionary<string, string> FieldLabels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = "Record",
        ["fullName"] = "Name",
        ["name"] = "Name",
        ["email"] = "E-mail",
        ["employeeId"] = "Employee ID",
        ["employerType"] = "Employer",
        ["citizenships"] = "Citizenships",
        ["countryOfBirth"] = "Country of birth",
        ["usLawfulPermanentResident"] = "US lawful permanent resident",
        ["workCountry"] = "Work location",
        ["workLocation"] = "Work location",
        ["investigationTier"] = "Investigation",
        ["adjudicatedOn"] = "Investigation adjudicated on",
        ["continuousVetting"] = "Enrolled in continuous vetting",
        ["clearance"] = "Clearance",
        ["ndaSignedOn"] = "Non-disclosure agreement signed on",
        ["escortQualification"] = "Escort qualification",
        ["employmentStatus"] = "Employment",
        ["locationAttestedOn"] = "Location last attested on",
        ["screeningStatus"] = "Restricted-party screening",
        ["screeningMatch"] = "Screening match",
        ["vendorId"] = "Vendor",
        ["personId"] = "Person",
        ["escortPersonId"] = "Escort",
        ["escortId"] = "Escort",
        ["escortedPersonId"] = "Person escorted",
        ["systemId"] = "System",
        ["grantId"] = "Access grant",
        ["contractId"] = "Contract",
        ["officeId"] = "Contracting office",
        ["accessType"] = "Access type",
        ["status"] = "Status",
        ["startsOn"] = "Starts on",
        ["endsOn"] = "Ends on",
        ["justification"] = "Justification",
        ["escorted"] = "Escorted",
        ["impactLevel"] = "Impact level",
        ["requestedBy"] = "Requested by",
        ["requestedAt"] = "Requested at",
        ["approvedBy"] = "Approved by",
        ["approvedAt"] = "Approved at",
        ["decidedBy"] = "Decided by",
        ["decidedAt"] = "Decided at",
        ["ruleId"] = "Rule",
        ["severity"] = "Severity",
        ["message"] = "Message",
        ["citation"] = "Citation",
        ["dueOn"] = "Due on",
        ["openedAt"] = "Opened at",
        ["closedAt"] = "Closed at",
        ["reviewVerdict"] = "Review verdict",
        ["reviewComment"] = "Review comment",
        ["policyVersion"] = "Policy version",
        ["policyVersionId"] = "Policy version",
        ["source"] = "Source",
        ["reason"] = "Reason",
        ["comment"] = "Comment",
        ["rowVersion"] = "Version",
        ["createdAt"] = "Created at",
        ["updatedAt"] = "Updated at",
        ["format"] = "Log format",
        ["sshdYear"] = "Year of the sshd lines",
        ["sshdTimeZone"] = "Time zone of the sshd server",
        ["sshdZone"] = "Time zone of the sshd server",
        ["identity"] = "Identity in the log",
        ["importId"] = "Access-log import",
        ["sha256"] = "SHA-256 of the file",
        ["entriesSha256"] = "SHA-256 of the events added",
        ["geolocationDatabase"] = "Geolocation database",
        ["sourceAddress"] = "Source address",
        ["occurredAt"] = "Time (UTC)",
        ["succeeded"] = "Succeeded",
        ["file"] = "File",
        ["line"] = "Line",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A fact or field value in words, given its key: enum names of the facts become their words, country codes their names,
    /// lists are joined, booleans read Yes/No, dates stay ISO (a date has no time zone). Values of other keys are shown as given.
    /// </summary>
    public static string FactValue(string key, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return "Not recorded";
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return YesNo(value.GetBoolean());
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ToString()).ToList();
            return IsCountryKey(key) ? Countries(items) : items.Count == 0 ? "None" : string.Join(", ", items.Select(i => FactValue(key, i)));
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString();
        return FactValue(key, text);
    }

    /// <summary>A fact or field value given as text (see <see cref="FactValue(string, JsonElement)"/>).</summary>
    public static string FactValue(string key, string? value)
    {
        if (value is null)
        {
            return "Not recorded";
        }
        if (RuleFactValue(key, value) is { } words)
        {
            return words;
        }
        if (IsCountryKey(key))
        {
            return Country(value);
        }
        if ((FactEnums.TryGetValue(key, out var enumType) || RuleFactEnums.TryGetValue(key, out enumType)) && Enum.TryParse(enumType, value, ignoreCase: false, out var parsed) && Enum.IsDefined(enumType, parsed!))
        {
            return Of((Enum)parsed!);
        }
        if ((FactEnums.TryGetValue(key, out enumType) || RuleFactEnums.TryGetValue(key, out enumType)) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined(enumType, number))
        {
            return Of((Enum)Enum.ToObject(enumType, number));
        }
        return value;
    }

    private static bool IsCountryKey(string key) => RuleCountryKeys.Contains(key) ||
        key.Equals("citizenships", StringComparison.OrdinalIgnoreCase) || key.Equals("countryOfBirth", StringComparison.OrdinalIgnoreCase)
        || key.Equals("workCountry", StringComparison.OrdinalIgnoreCase) || key.Equals("workLocation", StringComparison.OrdinalIgnoreCase)
        || key.Equals("country", StringComparison.OrdinalIgnoreCase);

    /// <summary>The enum each fact or field key holds, so a stored name reads as words.</summary>
    private static readonly FrozenDictionary<string, Type> FactEnums = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["accessType"] = typeof(AccessType),
        ["status"] = typeof(GrantStatus),
        ["impactLevel"] = typeof(ImpactLevel),
        ["employerType"] = typeof(EmployerType),
        ["investigationTier"] = typeof(InvestigationTier),
        ["clearance"] = typeof(Clearance),
        ["escortQualification"] = typeof(EscortQualification),
        ["employmentStatus"] = typeof(EmploymentStatus),
        ["screeningStatus"] = typeof(ScreeningStatus),
        ["severity"] = typeof(Severity),
        ["reviewVerdict"] = typeof(ReviewVerdict),
        ["source"] = typeof(FactSource),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>"workCountry" → "Work country"; "IL4_MIN" → "IL4 min": never code as a label.</summary>
    public static string SplitWords(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return "";
        }
        var words = new StringBuilder(key.Length + 8);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '_' or '-' or '.')
            {
                words.Append(' ');
                continue;
            }
            var startsWord = i > 0 && char.IsUpper(c) && (char.IsLower(key[i - 1]) || (i + 1 < key.Length && char.IsLower(key[i + 1]) && char.IsUpper(key[i - 1])));
            if (startsWord)
            {
                words.Append(' ');
            }
            words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : IsAcronymAt(key, i) ? c : char.ToLowerInvariant(c));
        }
        return words.ToString().Trim();
    }

    /// <summary>Whether the letter at <paramref name="i"/> is part of a run of capitals (an acronym such as "US" or "IL").</summary>
    private static bool IsAcronymAt(string key, int i) =>
        char.IsUpper(key[i]) && ((i + 1 < key.Length && char.IsUpper(key[i + 1])) || (i > 0 && char.IsUpper(key[i - 1]) && (i + 1 == key.Length || !char.IsLower(key[i + 1]))));

    private static string Unknown(Enum value) => value.ToString();

    private static readonly FrozenDictionary<Type, Func<Enum, string>> Enums = new Dictionary<Type, Func<Enum, string>>
    {
        [typeof(AccessType)] = v => Of((AccessType)v),
        [typeof(GrantStatus)] = v => Of((GrantStatus)v),
        [typeof(ImpactLevel)] = v => Of((ImpactLevel)v),
        [typeof(EmployerType)] = v => Of((EmployerType)v),
        [typeof(InvestigationTier)] = v => Of((InvestigationTier)v),
        [typeof(Clearance)] = v => Of((Clearance)v),
        [typeof(EscortQualification)] = v => Of((EscortQualification)v),
        [typeof(EmploymentStatus)] = v => Of((EmploymentStatus)v),
        [typeof(VendorStatus)] = v => Of((VendorStatus)v),
        [typeof(ScreeningStatus)] = v => Of((ScreeningStatus)v),
        [typeof(FactSource)] = v => Of((FactSource)v),
        [typeof(Severity)] = v => Of((Severity)v),
        [typeof(FindingStatus)] = v => Of((FindingStatus)v),
        [typeof(WaiverStatus)] = v => Of((WaiverStatus)v),
        [typeof(IntegrityFindingStatus)] = v => Of((IntegrityFindingStatus)v),
        [typeof(EscortRequestStatus)] = v => Of((EscortRequestStatus)v),
        [typeof(HitStatus)] = v => Of((HitStatus)v),
        [typeof(HitDecision)] = v => Of((HitDecision)v),
        [typeof(ContributionSource)] = v => Of((ContributionSource)v),
        [typeof(ContributionMatch)] = v => Of((ContributionMatch)v),
        [typeof(ReviewVerdict)] = v => Of((ReviewVerdict)v),
        [typeof(PolicyStatus)] = v => Of((PolicyStatus)v),
        [typeof(ReevaluationReason)] = v => Of((ReevaluationReason)v),
        [typeof(CitizenshipGroup)] = v => Of((CitizenshipGroup)v),
        [typeof(AttestationState)] = v => Of((AttestationState)v),
        [typeof(SessionStatus)] = v => Of((SessionStatus)v),
        [typeof(NotificationLevel)] = v => Of((NotificationLevel)v),
        [typeof(GrantDecision)] = v => Of((GrantDecision)v),
        [typeof(GrantRequestState)] = v => Of((GrantRequestState)v),
        [typeof(TimelineKind)] = v => Of((TimelineKind)v),
        [typeof(ImportPhase)] = v => Of((ImportPhase)v),
        [typeof(ImportAction)] = v => Of((ImportAction)v),
        [typeof(ContributionImportAction)] = v => Of((ContributionImportAction)v),
        [typeof(Domain.AccessLogs.AccessLogSource)] = v => Of((Domain.AccessLogs.AccessLogSource)v),
        [typeof(Domain.AccessLogs.LocationUnknown)] = v => Of((Domain.AccessLogs.LocationUnknown)v),
        [typeof(ExportKind)] = v => Of((ExportKind)v),
        [typeof(ExportFormat)] = v => Of((ExportFormat)v),
        [typeof(TableFormat)] = v => Of((TableFormat)v),
        [typeof(AuditEventTypes.Change)] = v => Of((AuditEventTypes.Change)v),
        [typeof(SessionState)] = v => Of((SessionState)v),
        [typeof(ApiTokenScope)] = v => Of((ApiTokenScope)v),
        [typeof(CheckpointSigningStatus)] = v => Of((CheckpointSigningStatus)v),
        [typeof(CheckpointSource)] = v => Of((CheckpointSource)v),
        [typeof(CheckpointProblemKind)] = v => Of((CheckpointProblemKind)v),
        [typeof(CheckpointFileState)] = v => Of((CheckpointFileState)v),
        [typeof(StateDiscrepancyKind)] = v => Of((StateDiscrepancyKind)v),
        [typeof(EvidenceSignature)] = v => Of((EvidenceSignature)v),
        [typeof(OutcomeKind)] = v => Of((OutcomeKind)v),
        [typeof(Domain.AccessReviews.AccessReviewDecision)] = v => Of((Domain.AccessReviews.AccessReviewDecision)v),
        [typeof(Domain.AccessReviews.AccessReviewItemStatus)] = v => Of((Domain.AccessReviews.AccessReviewItemStatus)v),
        [typeof(Domain.AccessReviews.AccessReviewRecommendation)] = v => Of((Domain.AccessReviews.AccessReviewRecommendation)v),
        [typeof(Domain.AccessReviews.DeadlineAction)] = v => Of((Domain.AccessReviews.DeadlineAction)v),
        [typeof(Domain.AccessReviews.CommentRule)] = v => Of((Domain.AccessReviews.CommentRule)v),
        [typeof(Domain.AccessReviews.Recurrence)] = v => Of((Domain.AccessReviews.Recurrence)v),
        [typeof(Domain.AccessReviews.CampaignCloseReason)] = v => Of((Domain.AccessReviews.CampaignCloseReason)v),
        [typeof(Domain.AccessReviews.CampaignStatus)] = v => Of((Domain.AccessReviews.CampaignStatus)v),
        [typeof(Features.AccessLogs.EvidenceAgreement)] = v => Of((Features.AccessLogs.EvidenceAgreement)v),
        [typeof(Domain.AccessLogs.LocationUnknown)] = v => Of((Domain.AccessLogs.LocationUnknown)v),
        [typeof(Features.AccessLogs.AccessLogFormat)] = v => Of((Features.AccessLogs.AccessLogFormat)v),
    }.ToFrozenDictionary();
}
