using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Tests.Rules;

namespace ComplianceHub.Core.Tests.Domain;

/// <summary>Birth in a US territory, as the rules and the input checks read it (issue 21).</summary>
public sealed class UsNationalityTests
{
    [Theory]
    [InlineData("ES", "PR", true, true)]
    [InlineData("PH", "GU", true, true)]
    [InlineData("DO", "VI", true, true)]
    [InlineData("JP", "MP", true, true)]
    [InlineData("WS", "AS", false, true)]
    [InlineData("AS", "AS", false, true)]
    [InlineData("AS", "WS", false, true)]
    [InlineData("US", "DE", true, true)]
    [InlineData("GB", "GB", false, false)]
    [InlineData("GB", "UM", false, false)]
    public void BirthInATerritory_MakesACitizenOrANational(string citizenships, string birth, bool citizen, bool usPerson)
    {
        var facts = Given.Person(citizenships, birth);
        Assert.Equal(citizen, facts.IsUsCitizen);
        Assert.Equal(usPerson, facts.IsUsPerson);
    }

    [Fact]
    public void AnEscortBornInPuertoRico_IsAUsCitizenForEscortEligibility()
    {
        var escort = Given.Person("ES", "PR", escort: EscortQualification.Engineer);
        Assert.Empty(EscortEligibility.Today(escort, PolicyDefaults.Baseline2026.Set(PolicyParameters.UsAreas)));
        var american = Given.Person("WS", "AS", escort: EscortQualification.Engineer);
        Assert.Equal(["us-citizen"], EscortEligibility.Today(american, PolicyDefaults.Baseline2026.Set(PolicyParameters.UsAreas)).Select(p => p.Check));
    }

    [Theory]
    [InlineData("PR", "Puerto Rico (PR) is a US territory, not a nationality: people born there are US citizens.")]
    [InlineData("gu", "Guam (GU) is a US territory")]
    [InlineData("VI", "people born there are US citizens")]
    [InlineData("MP", "Enter the citizenship United States (US), and Northern Mariana Islands as the country of birth.")]
    public void ATerritoryEnteredAsACitizenship_IsRefused_WithTheExplanation(string code, string explanation)
    {
        var fields = new PersonFields("ACM-1", "Pat Doe", "pat@acme.example", EmployerType.VendorEmployee, [code], "US", false,
            new WorkLocation("US", "Reston"), InvestigationTier.T3, new DateOnly(2025, 1, 1), true, Clearance.None, new DateOnly(2025, 1, 1));
        var result = new PersonFieldsValidator().Validate(fields);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains(explanation, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.ErrorMessage.Contains("not an ISO", StringComparison.Ordinal));
    }

    [Fact]
    public void AmericanSamoa_IsAcceptedAsACitizenship_ReadAsUsNational()
    {
        Assert.Null(UsNationality.NotANationality("AS"));
        Assert.Null(UsNationality.NotANationality("DE"));
        Assert.True(UsNationality.IsNational(["AS"], "WS"));
        Assert.False(UsNationality.IsCitizen(["AS"], "AS"));
    }

    [Theory]
    [InlineData("UK", "Choose a country from the list: UK is not a country code — did you mean United Kingdom (GB)?")]
    [InlineData("Burma", "Choose a country from the list: Burma is not a country code — did you mean Myanmar (MM)?")]
    [InlineData("XX", "Choose a country from the list: XX is not a known country code.")]
    public void AnEverydayNameEnteredAsACitizenship_IsAnsweredWithTheCodeItMeans(string typed, string message)
    {
        var fields = new PersonFields("ACM-1", "Pat Doe", "pat@acme.example", EmployerType.VendorEmployee, [typed], "US", false,
            new WorkLocation("US", "Reston"));
        Assert.Contains(new PersonFieldsValidator().Validate(fields).Errors, e => e.ErrorMessage == message);
    }
}
