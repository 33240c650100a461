using System.Text.Json;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;

namespace ComplianceHub.Core.Tests.Wording;

/// <summary>The one place that words values covers every value people can meet, and never shows code.</summary>
public sealed partial class WordsTests
{
    /// <summary>Every public enum of Core: what a page, report, export label or notification can show.</summary>
    public static TheoryData<Type> CoreEnums()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Words).Assembly.GetTypes().Where(t => t.IsEnum && IsPublic(t)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type);
        }
        return data;
    }

    private static bool IsPublic(Type t) => t.IsPublic || (t.IsNestedPublic && t.DeclaringType is { } d && IsPublic(d));

    [Fact]
    public void The_Enumeration_FindsTheCoreEnums() =>
        Assert.True(CoreEnums().Count >= 40, $"only {CoreEnums().Count} public enums found in Core: is the assembly the right one?");

    [Theory]
    [MemberData(nameof(CoreEnums))]
    public void EveryValueOfEveryEnum_HasWordsWithoutCode(Type enumType)
    {
        Assert.True(Words.Covers(enumType), $"{enumType.FullName} has no words: add a Words.Of overload and register it.");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Enum value in Enum.GetValues(enumType))
        {
            var words = Words.Of(value);
            Assert.False(string.IsNullOrWhiteSpace(words), $"{enumType.Name}.{value} has empty words");
            Assert.False(CamelCase().IsMatch(WithoutProductNames(words)), $"{enumType.Name}.{value} reads as code: '{words}'");
            Assert.DoesNotContain("_", words);
            Assert.True(seen.TryAdd(words, value.ToString()), $"{enumType.Name}.{value} and .{seen.GetValueOrDefault(words)} both read '{words}'");
        }
    }

    [Fact]
    public void AnEnumWithoutWords_IsRefusedLoudly() =>
        Assert.Throws<ArgumentException>(() => Words.Of(DayOfWeek.Monday));

    [Theory]
    [InlineData(AccessType.NonPrivileged, "Non-privileged")]
    [InlineData(Clearance.TopSecret, "Top secret")]
    [InlineData(GrantStatus.PendingApproval, "Pending approval")]
    [InlineData(EmployerType.VendorEmployee, "Vendor employee")]
    [InlineData(ComplianceHub.Core.Domain.Contributions.ReviewVerdict.NeedsRemediation, "Needs remediation")]
    public void TheIssuesExamples_ReadAsAsked(object value, string expected) => Assert.Equal(expected, Words.Of((Enum)value));

    [Fact]
    public void Countries_ReadAsNameWithCode()
    {
        Assert.Equal("China (CN)", Words.Country("CN"));
        Assert.Equal("China (CN)", Words.Country("cn"));
        Assert.Equal("China", Words.CountryName("CN"));
        Assert.Equal("China (CN), United States (US)", Words.Countries(["CN", "US"]));
        Assert.Equal("None", Words.Countries([]));
        Assert.Equal("Unknown country code ZZ", Words.Country("ZZ"));
        Assert.Equal("Not recorded", Words.Country(null));
    }

    [Fact]
    public void EveryIsoCountry_HasItsNameAndCode()
    {
        foreach (var c in Iso3166.All)
        {
            Assert.Equal($"{c.Name} ({c.Alpha2})", Words.Country(c.Alpha2));
        }
    }

    [Theory]
    [InlineData("workCountry", "Work location")]
    [InlineData("usLawfulPermanentResident", "US lawful permanent resident")]
    [InlineData("escortPersonId", "Escort")]
    [InlineData("someNewField", "Some new field")]
    [InlineData("IL4_MIN_TIER", "IL4 MIN TIER")]
    [InlineData("lastUSVisitOn", "Last US visit on")]
    public void FieldKeys_ReadAsLabels(string key, string expected) => Assert.Equal(expected, Words.Field(key));

    [Fact]
    public void FactValues_ReadAsWords()
    {
        Assert.Equal("China (CN)", Words.FactValue("workCountry", "CN"));
        Assert.Equal("Non-privileged", Words.FactValue("accessType", "NonPrivileged"));
        Assert.Equal("Top secret", Words.FactValue("clearance", "TopSecret"));
        Assert.Equal("Tier 3", Words.FactValue("investigationTier", "2")); // stored as its number
        Assert.Equal("2026-12-06", Words.FactValue("adjudicatedOn", "2026-12-06"));
        Assert.Equal("Not recorded", Words.FactValue("workCountry", (string?)null));
        using var doc = JsonDocument.Parse("""{"citizenships":["US","CN"],"continuousVetting":true,"escortQualification":"Operator","x":null}""");
        var root = doc.RootElement;
        Assert.Equal("United States (US), China (CN)", Words.FactValue("citizenships", root.GetProperty("citizenships")));
        Assert.Equal("Yes", Words.FactValue("continuousVetting", root.GetProperty("continuousVetting")));
        Assert.Equal("Qualified escort (operator)", Words.FactValue("escortQualification", root.GetProperty("escortQualification")));
        Assert.Equal("Not recorded", Words.FactValue("x", root.GetProperty("x")));
    }

    /// <summary>A lower-case letter directly followed by a capital: "NonPrivileged", "workCountry".</summary>
    [GeneratedRegex("[a-z][A-Z]")]
    private static partial Regex CamelCase();

    /// <summary>Product names people know written so (AWS CloudTrail) are not code.</summary>
    private static string WithoutProductNames(string words) => words.Replace("CloudTrail", "Cloud trail", StringComparison.Ordinal);
}
