using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using ComplianceHub.Web.Components.Pages.People;

namespace ComplianceHub.Web.Tests.People;

/// <summary>The fact-change dialog sends only what changed, and says what the change did.</summary>
public sealed class FactChangeDialogTests
{
    private static readonly PersonSummary Person = new(Guid.NewGuid(), "Alex Patel", "alex@globex.example", "GLX-1016", Guid.NewGuid(), "Globex Federal",
        EmployerType.VendorEmployee, EmploymentStatus.Active, null, ScreeningStatus.Clear, null,
        [new CountryName("US", "United States")], new CountryName("US", "United States"), false, true,
        new CountryName("US", "United States"), "Reston", InvestigationTier.T5, null, true, Clearance.Secret, null, EscortQualification.None, null, null);

    [Fact]
    public void AMove_SendsTheNewLocationOnly()
    {
        var command = FactChangeDialog.Command(Person, "CN", " Shanghai ", ["US"], false, new DateOnly(2026, 11, 28));

        Assert.Equal("CN", command.WorkCountry);
        Assert.Equal("Shanghai", command.WorkCity);
        Assert.Null(command.Citizenships);
        Assert.Null(command.UsLawfulPermanentResident);
        Assert.Equal(new DateOnly(2026, 11, 28), command.EffectiveOn);
    }

    [Fact]
    public void ANewCitizenship_SendsTheWholeSet_AndKeepsTheLocation()
    {
        var command = FactChangeDialog.Command(Person, "US", "Reston", ["CN", "US"], false, null);

        Assert.Null(command.WorkCountry);
        Assert.Null(command.WorkCity);
        Assert.Equal(["CN", "US"], command.Citizenships);
    }

    [Fact]
    public void NothingChanged_SendsNoFact_SoTheValidatorAsksForOne()
    {
        var command = FactChangeDialog.Command(Person, "US", "Reston", ["US"], false, null);

        Assert.True(command is { WorkCountry: null, Citizenships: null, CountryOfBirth: null, UsLawfulPermanentResident: null });
        Assert.False(new ChangePersonFactsValidator().Validate(command).IsValid);
    }

    [Fact]
    public void TheResult_SaysWhatTheChangeDid()
    {
        var grants = new[] { Guid.NewGuid(), Guid.NewGuid() };
        Assert.Equal("Change recorded: 2 grants suspended, 1 finding opened.",
            FactChangeDialog.Describe(new ConsequencesView(grants, [], [Guid.NewGuid()], [], [])));
        Assert.Equal("Change recorded. No grant or finding changed.", FactChangeDialog.Describe(new ConsequencesView([], [], [], [], [])));
    }
}
