using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Tests.Authorization;

public sealed class NewAccountValidatorTests
{
    private const string Password = "Demo!2026-ComplianceHub";
    private readonly NewAccountValidator validator = new();

    [Fact]
    public void Valid_ForAnOfficer() =>
        Assert.True(validator.Validate(new NewAccount("co@x.test", "Officer", Roles.ContractingOfficer, null, Password)).IsValid);

    [Theory]
    [InlineData("", "Officer", Roles.ContractingOfficer, false, "Email")]
    [InlineData("not-an-email", "Officer", Roles.ContractingOfficer, false, "Email")]
    [InlineData("co@x.test", "", Roles.ContractingOfficer, false, "DisplayName")]
    [InlineData("co@x.test", "Officer", "Root", false, "Role")]
    [InlineData("rep@x.test", "Rep", Roles.VendorRepresentative, false, "VendorId")]
    [InlineData("aud@x.test", "Auditor", Roles.Auditor, true, "VendorId")]
    public void Invalid_NamesTheField(string email, string name, string role, bool withVendor, string field)
    {
        var result = validator.Validate(new NewAccount(email, name, role, withVendor ? Guid.NewGuid() : null, Password));
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Invalid_ForAShortPassword()
    {
        var result = validator.Validate(new NewAccount("co@x.test", "Officer", Roles.ContractingOfficer, null, "Short1!"));
        Assert.Contains(result.Errors, e => e.PropertyName == "Password" && e.ErrorMessage.Contains("15", StringComparison.Ordinal));
    }
}
