using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Components.Pages.Attestations;

/// <summary>One person on the attestation form: what the roster says, and what the representative attests (corrections inline).</summary>
public sealed class AttestationLine(AttestationDueRow row)
{
    public AttestationDueRow Row { get; } = row;
    public bool Selected { get; set; } = true;
    public string? WorkCountry { get; set; } = row.WorkCountry;
    public string WorkCity { get; set; } = row.WorkCity;
    public IReadOnlyCollection<string> Citizenships { get; set; } = row.Citizenships.ToList();

    /// <summary>True when what is attested differs from the roster (a correction: a fact change with consequences).</summary>
    public bool Corrected =>
        !string.Equals(WorkCountry, Row.WorkCountry, StringComparison.OrdinalIgnoreCase)
        || !string.Equals(WorkCity.Trim(), Row.WorkCity, StringComparison.Ordinal)
        || !Citizenships.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal).SequenceEqual(Row.Citizenships.Order(StringComparer.Ordinal));

    public void Reset()
    {
        WorkCountry = Row.WorkCountry;
        WorkCity = Row.WorkCity;
        Citizenships = Row.Citizenships.ToList();
    }

    public AttestedPerson ToAttested() => new(Row.PersonId, WorkCountry ?? "", WorkCity.Trim(), Citizenships.ToList());
}

/// <summary>The attestation form's state: the people due, which are selected, their corrections, the statement.</summary>
public sealed class AttestationForm
{
    public AttestationForm(IEnumerable<AttestationDueRow> due, DateOnly today)
    {
        Lines = due.Select(r => new AttestationLine(r)).ToList();
        Statement = DefaultStatement(today);
    }

    public IReadOnlyList<AttestationLine> Lines { get; }
    public string Statement { get; set; }

    public IEnumerable<AttestationLine> Selected => Lines.Where(l => l.Selected);
    public int SelectedCount => Lines.Count(l => l.Selected);
    public int CorrectedCount => Selected.Count(l => l.Corrected);

    /// <summary>True, false, or null (some selected): the "select all due" checkbox.</summary>
    public bool? AllSelected => Lines.All(l => l.Selected) ? true : Lines.Any(l => l.Selected) ? null : false;

    public void SelectAll(bool selected)
    {
        foreach (var line in Lines)
        {
            line.Selected = selected;
        }
    }

    public SubmitAttestation Command(Guid vendorId, bool dryRun) =>
        new(vendorId, Statement, Selected.Select(l => l.ToAttested()).ToList(), dryRun);

    /// <summary>The statement the form starts with; the representative may edit it.</summary>
    public static string DefaultStatement(DateOnly today) =>
        $"I attest that, to the best of my knowledge, the people listed work at the locations and hold the citizenships shown, as of {today:yyyy-MM-dd}.";

    /// <summary>The per-field errors of one line (the validator's keys are Items[i].Field, i in selected order).</summary>
    public string? ErrorFor(IReadOnlyDictionary<string, string[]> errors, AttestationLine line, string field)
    {
        var index = Selected.ToList().IndexOf(line);
        return index >= 0 && errors.TryGetValue($"Items[{index}].{field}", out var messages) ? string.Join(" ", messages) : null;
    }

    public static string StateText(AttestationState state) => Words.Of(state);
}
