using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Tests.Authorization;

/// <summary>ASVS 5.0 V6.2.4 and V6.2.11: no password built on a common one or on the holder's own name.</summary>
public sealed class CommonPasswordValidatorTests
{
    private static readonly ApplicationUser Holder = new() { Email = "jordan.mcallister@agency.example", DisplayName = "Jordan McAllister" };

    private static async Task<string?> ProblemAsync(string password)
    {
        var result = await new CommonPasswordValidator().ValidateAsync(null!, Holder, password);
        return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void TheList_HoldsTheTenThousandMostCommonPasswords()
    {
        Assert.Equal(10_000, CommonPasswordValidator.Count);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("Password2026!!!!")]     // the common core with digits and symbols around it
    [InlineData("!!2026Sunshine2026!!")]
    [InlineData("Q1w2e3r4t5y6!!!!")]     // its letters alone are "qwerty"
    [InlineData("1qaz2wsx3edc4rfv")]     // common as a whole, long as it is
    public async Task APasswordBuiltOnACommonOne_IsRefused(string password)
    {
        Assert.Equal("CommonPassword", await ProblemAsync(password));
    }

    [Theory]
    [InlineData("Jordan-Rides-2026!")]
    [InlineData("2026!mcallister-Blue")]
    public async Task APasswordWithTheHoldersName_IsRefused(string password)
    {
        Assert.Equal("PersonalPassword", await ProblemAsync(password));
    }

    [Theory]
    [InlineData("Demo!2026-ComplianceHub")]
    [InlineData("Temporary-Pass-2026!")]
    [InlineData("Copper-Lantern-Fjord-88!")]
    public async Task OtherPasswords_Pass(string password)
    {
        Assert.Null(await ProblemAsync(password));
    }
}
