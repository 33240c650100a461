using ComplianceHub.Web.Components.Pages.Admin;

namespace ComplianceHub.Web.Tests.Admin;

public sealed class AccountExportTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("plain", "\"plain\"")]
    [InlineData(null, "")]
    public void Cell_QuotesAndNeutralisesFormulas(string? value, string expected) => Assert.Equal(expected, AccountExport.Cell(value));
}
