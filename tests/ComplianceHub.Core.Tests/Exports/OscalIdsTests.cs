using ComplianceHub.Core.Exports;

namespace ComplianceHub.Core.Tests.Exports;

/// <summary>
/// The OSCAL identifiers are RFC 4122 version 5 UUIDs: the values below were computed independently (Python's
/// <c>uuid.uuid5(UUID("ab83a241-025c-4273-a096-e698ff281687"), name)</c>), so anyone can recompute a finding's entries from its id.
/// </summary>
public sealed class OscalIdsTests
{
    [Theory]
    [InlineData("portal", "dbf6121d-6e4a-5c95-8c01-127b5a12c599")]
    [InlineData("vendor/0199a000-0000-7000-8000-00000000ac01", "b4e33afb-0181-5333-b46f-bab520a84af6")]
    public void Derive_IsRfc4122Version5_OfTheNamespace(string name, string expected)
    {
        Assert.Equal(Guid.Parse(expected), OscalIds.Derive(name));
        Assert.Equal(Guid.Parse(expected), name == "portal" ? OscalIds.Portal : OscalIds.Vendor(Guid.Parse(name["vendor/".Length..])));
    }

    [Fact]
    public void AFindingsEntries_HaveDistinctStableVersion5Uuids()
    {
        var finding = Guid.CreateVersion7();
        Guid[] ids = [OscalIds.Observation(finding), OscalIds.Risk(finding), OscalIds.PoamItem(finding), OscalIds.Part(finding, "waiver")];
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(5, id.Version));
        Assert.Equal(ids[2], OscalIds.PoamItem(finding));
    }
}
