using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Web.Components.Pages.Attestations;
using ComplianceHub.Web.Components.Pages.Sessions;

namespace ComplianceHub.Web.Tests.Attestations;

/// <summary>The attestation form's logic: selection, corrections, the command it sends, and where per-field errors land.</summary>
public sealed class AttestationFormTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static AttestationDueRow Row(string name, string country = "US", params string[] citizenships) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "Acme", $"E-{name}", name, country, "Reston", citizenships.Length == 0 ? ["US"] : citizenships,
            Today.AddDays(-200), Today.AddDays(-20), AttestationState.Overdue, 1, Today);

    [Fact]
    public void EveryoneDue_StartsSelected_WithTheDefaultStatement()
    {
        var form = new AttestationForm([Row("Ann"), Row("Bo")], Today);
        Assert.Equal(2, form.SelectedCount);
        Assert.True(form.AllSelected);
        Assert.Equal(0, form.CorrectedCount);
        Assert.Equal("I attest that, to the best of my knowledge, the people listed work at the locations and hold the citizenships shown, as of 2026-11-28.",
            form.Statement);
    }

    [Fact]
    public void SelectAll_AndSingleSelections_DriveTheTriStateBox()
    {
        var form = new AttestationForm([Row("Ann"), Row("Bo")], Today);
        form.Lines[0].Selected = false;
        Assert.Null(form.AllSelected);
        form.SelectAll(false);
        Assert.False(form.AllSelected);
        form.SelectAll(true);
        Assert.True(form.AllSelected);
    }

    [Fact]
    public void ACorrection_IsDetected_AndUndone()
    {
        var form = new AttestationForm([Row("Ann", "US", "US", "GB")], Today);
        var line = form.Lines[0];
        line.Citizenships = ["gb", "us"]; // same set, other order and case
        Assert.False(line.Corrected);
        line.WorkCountry = "CN";
        Assert.True(line.Corrected);
        Assert.Equal(1, form.CorrectedCount);
        line.Reset();
        Assert.False(line.Corrected);
        line.WorkCity = " Reston ";
        Assert.False(line.Corrected);
    }

    [Fact]
    public void TheCommand_CarriesOnlyTheSelectedPeople_AsAttested()
    {
        var form = new AttestationForm([Row("Ann"), Row("Bo"), Row("Cy")], Today);
        form.Lines[1].Selected = false;
        form.Lines[2].WorkCountry = "CN";
        form.Lines[2].WorkCity = " Shenzhen ";
        var vendor = Guid.NewGuid();
        var command = form.Command(vendor, dryRun: true);
        Assert.True(command.DryRun);
        Assert.Equal(vendor, command.VendorId);
        Assert.Equal([form.Lines[0].Row.PersonId, form.Lines[2].Row.PersonId], command.Items.Select(i => i.PersonId));
        Assert.Equal("CN", command.Items[1].WorkCountry);
        Assert.Equal("Shenzhen", command.Items[1].WorkCity);
    }

    [Fact]
    public void PerFieldErrors_LandOnTheirLine_CountingOnlySelectedLines()
    {
        var form = new AttestationForm([Row("Ann"), Row("Bo"), Row("Cy")], Today);
        form.Lines[0].Selected = false;
        var errors = new Dictionary<string, string[]> { ["Items[1].WorkCity"] = ["'Work City' must not be empty."] };
        Assert.Equal("'Work City' must not be empty.", form.ErrorFor(errors, form.Lines[2], "WorkCity"));
        Assert.Null(form.ErrorFor(errors, form.Lines[1], "WorkCity"));
        Assert.Null(form.ErrorFor(errors, form.Lines[0], "WorkCity"));
    }

    [Theory]
    [InlineData("2026-11-28T09:30", "2026-11-28T09:30:00+00:00")]
    [InlineData("2026-11-28T09:30:15", "2026-11-28T09:30:15+00:00")]
    [InlineData("", null)]
    [InlineData("28/11/2026 09:30", null)]
    public void SessionTimes_AreReadAsUtc(string input, string? expected)
    {
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), RecordSessionDialog.ParseUtc(input));
    }

    [Fact]
    public void SessionDayFilters_ParseIsoDaysOnly()
    {
        Assert.Equal(new DateOnly(2026, 11, 28), SessionsPage.ParseDay("2026-11-28"));
        Assert.Null(SessionsPage.ParseDay("yesterday"));
        Assert.Null(SessionsPage.ParseDay(null));
    }
}
