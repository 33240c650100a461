using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Components.Pages.Policy;

/// <summary>A rule's switch and severity while it is edited.</summary>
public sealed class RuleSettingModel
{
    public bool Enabled { get; set; }
    public Severity Severity { get; set; }
}

/// <summary>
/// A policy draft while an officer edits it: mutable fields for the form, checked with the same validator the API and the
/// executor use, and turned back into <see cref="PolicyParameters"/> to send. Error keys are the parameters' paths without
/// the <c>Parameters.</c> prefix (<c>CountrySets[COVERED]</c>, <c>MaxGrantDays</c>, <c>Name</c>).
/// </summary>
public sealed class PolicyDraftModel
{
    /// <summary>The stored draft being revised; null for a new draft not saved yet.</summary>
    public Guid? DraftId { get; set; }
    public int? Number { get; set; }

    /// <summary>The stored draft's concurrency token as opened or saved: saving or activating a draft changed since is a conflict.</summary>
    public string? Version { get; set; }
    public string Name { get; set; } = "";
    public Dictionary<string, List<string>> CountrySets { get; } = new(StringComparer.Ordinal);
    public int AttestationPrivileged { get; set; }
    public int AttestationOther { get; set; }
    public int AttestationWarnBefore { get; set; }
    public int EscortMaxSupervised { get; set; }
    public int MaxGrantDays { get; set; }
    public int VettingMaxAgeYears { get; set; }
    public int DueBlock { get; set; }
    public int DueSuspend { get; set; }
    public int DueWarn { get; set; }
    public int SessionSignOffHours { get; set; }
    public double ScreeningThreshold { get; set; }
    public double CountryMismatchPenalty { get; set; }
    public int EvidenceWindowDays { get; set; }
    public int EvidenceCoveredMinSignIns { get; set; }
    public int EvidenceMismatchMinSignIns { get; set; }
    public int EvidenceSessionActivityDays { get; set; }
    public Dictionary<string, RuleSettingModel> Rules { get; } = new(StringComparer.Ordinal);

    public static PolicyDraftModel From(string name, PolicyParameters p, Guid? draftId = null, int? number = null)
    {
        var model = new PolicyDraftModel
        {
            DraftId = draftId,
            Number = number,
            Name = name,
            AttestationPrivileged = p.AttestationDays.Privileged,
            AttestationOther = p.AttestationDays.Other,
            AttestationWarnBefore = p.AttestationDays.WarnBefore,
            EscortMaxSupervised = p.EscortMaxSupervised,
            MaxGrantDays = p.MaxGrantDays,
            VettingMaxAgeYears = p.VettingMaxAgeYears,
            DueBlock = p.FindingDueDays.Block,
            DueSuspend = p.FindingDueDays.Suspend,
            DueWarn = p.FindingDueDays.Warn,
            SessionSignOffHours = p.SessionSignOffHours,
            ScreeningThreshold = p.ScreeningSettings.Threshold,
            CountryMismatchPenalty = p.ScreeningSettings.CountryMismatchPenalty,
            EvidenceWindowDays = p.EvidenceSettings.WindowDays,
            EvidenceCoveredMinSignIns = p.EvidenceSettings.CoveredMinSignIns,
            EvidenceMismatchMinSignIns = p.EvidenceSettings.MismatchMinSignIns,
            EvidenceSessionActivityDays = p.EvidenceSettings.SessionActivityDays,
        };
        foreach (var name2 in PolicyParametersValidator.RequiredSets.Concat(p.CountrySets.Keys).Distinct())
        {
            model.CountrySets[name2] = p.Set(name2).Order(StringComparer.Ordinal).ToList();
        }
        foreach (var rule in RuleCatalogue.All)
        {
            var setting = p.SettingFor(rule);
            model.Rules[rule.Id] = new RuleSettingModel { Enabled = setting.Enabled, Severity = setting.Severity };
        }
        return model;
    }

    public PolicyParameters ToParameters() => new(
        CountrySets.ToDictionary(s => s.Key, s => (IReadOnlySet<string>)s.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        new AttestationDays(AttestationPrivileged, AttestationOther, AttestationWarnBefore),
        EscortMaxSupervised,
        MaxGrantDays,
        VettingMaxAgeYears,
        new FindingDueDays(DueBlock, DueSuspend, DueWarn),
        SessionSignOffHours,
        Rules.ToDictionary(r => r.Key, r => new RuleSetting(r.Value.Enabled, r.Value.Severity), StringComparer.Ordinal),
        new Core.Rules.ScreeningSettings(ScreeningThreshold, CountryMismatchPenalty),
        new EvidenceSettings(EvidenceWindowDays, EvidenceCoveredMinSignIns, EvidenceMismatchMinSignIns, EvidenceSessionActivityDays));

    /// <summary>The rules that read the access-log evidence and that "Check access-log evidence" turns on together.</summary>
    public static IReadOnlyList<string> EvidenceRules { get; } = [Core.Rules.Catalogue.LocEvidenceCovered.RuleId, Core.Rules.Catalogue.LocEvidenceMismatch.RuleId];

    /// <summary>Whether the draft checks access-log evidence: both evidence rules are on.</summary>
    public bool ChecksEvidence => EvidenceRules.All(id => Rules.TryGetValue(id, out var r) && r.Enabled);

    /// <summary>
    /// Turns the access-log evidence checks on (both rules, with the recommended thresholds, the session half included: 30 days) or
    /// off (both rules, and the session half: 0 days).
    /// </summary>
    public void CheckEvidence(bool on)
    {
        foreach (var id in EvidenceRules)
        {
            Rules[id].Enabled = on;
        }
        var settings = on ? EvidenceSettings.Recommended : EvidenceSettings.Default;
        EvidenceWindowDays = settings.WindowDays;
        EvidenceCoveredMinSignIns = settings.CoveredMinSignIns;
        EvidenceMismatchMinSignIns = settings.MismatchMinSignIns;
        EvidenceSessionActivityDays = settings.SessionActivityDays;
    }

    /// <summary>The messages of the API's validator, keyed by field (empty when the draft can be saved).</summary>
    public IReadOnlyDictionary<string, string[]> Validate() =>
        Normalise(new DraftPolicyVersionValidator().Validate(new DraftPolicyVersion(Name, ToParameters())).ToDictionary().AsReadOnly());

    /// <summary>The executor's (or the validator's) error keys as the editor's fields name them.</summary>
    public static IReadOnlyDictionary<string, string[]> Normalise(IReadOnlyDictionary<string, string[]> errors) =>
        errors.GroupBy(e => e.Key.StartsWith("Parameters.", StringComparison.Ordinal) ? e.Key["Parameters.".Length..] : e.Key)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Distinct().ToArray());

    /// <summary>The policy's own name for a country set and what it rests on.</summary>
    public static (string Title, string Source) Describe(string set) => set switch
    {
        PolicyParameters.Covered => ("Covered nations", "10 U.S.C. 4872, FY2026 NDAA Sec. 1692; Hong Kong (HK) and Macau (MO) count as China (15 CFR 791.4). Nobody located here may have any access."),
        PolicyParameters.Adversary => ("Foreign adversaries", "15 CFR 791.4: the covered nations plus the other foreign adversaries (location blocks, citizenship needs review)."),
        PolicyParameters.Concern => ("Countries of concern", "ITAR 22 CFR 126.1(d)(1) and state sponsors of terrorism: citizenship needs export/AO review."),
        PolicyParameters.UsAreas => ("United States and outlying areas", "Where IL4 and above may be worked from (DISA CC SRG)."),
        _ => (set, "A country set of this policy."),
    };
}
