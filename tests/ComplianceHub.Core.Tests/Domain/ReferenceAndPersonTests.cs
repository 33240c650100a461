using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Reference;

namespace ComplianceHub.Core.Tests.Domain;

public sealed class ReferenceAndPersonTests
{
    [Fact]
    public void Iso3166_HoldsTheFullList_WithUniqueCodes()
    {
        Assert.Equal(249, Iso3166.All.Count);
        Assert.Equal(249, Iso3166.All.Select(c => c.Alpha2).Distinct().Count());
        Assert.Equal(249, Iso3166.All.Select(c => c.Alpha3).Distinct().Count());
        Assert.All(Iso3166.All, c => Assert.Matches("^[A-Z]{2}$", c.Alpha2));
    }

    [Theory]
    [InlineData("US", true)]
    [InlineData("cn", true)]
    [InlineData("HK", true)]
    [InlineData("KP", true)]
    [InlineData("XK", false)]
    [InlineData("UK", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Iso3166_KnowsAssignedCodesOnly(string? code, bool known) => Assert.Equal(known, Iso3166.IsKnown(code));

    [Fact]
    public void Person_NeedsAtLeastOneCitizenship() =>
        Assert.Throws<ArgumentException>(() => NewPerson([]));

    [Fact]
    public void Person_KeepsCitizenshipsAsASortedDistinctUpperCaseSet()
    {
        var p = NewPerson(["us", "CN", "US"]);
        Assert.Equal(["CN", "US"], p.Citizenships);
    }

    [Theory]
    [InlineData(new[] { "US" }, false, true)]
    [InlineData(new[] { "IN" }, true, true)]
    [InlineData(new[] { "US", "CN" }, false, true)]
    [InlineData(new[] { "CN" }, false, false)]
    public void Person_IsUsPerson_WhenUsCitizenOrPermanentResident(string[] citizenships, bool lpr, bool expected) =>
        Assert.Equal(expected, NewPerson(citizenships, lpr).IsUsPerson);

    private static Person NewPerson(string[] citizenships, bool lpr = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "E-1", "Jane Roe", "jane@x.test", EmployerType.VendorEmployee, citizenships, "US", lpr, "US", "Reston");
}
