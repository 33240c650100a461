using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Core.Tests.Authorization;

/// <summary>
/// Who a card names: its one UPN (ASCII, with a domain), or — only without any UPN — the EDIPI its common name ends with.
/// Several UPNs, an unreadable one, or look-alike characters name no one; the common name is then not asked.
/// </summary>
public sealed class SmartCardIdentityTests
{
    private static X509Certificate2 Card(string commonName, params (string Oid, UniversalTagNumber Type, string Value)[] otherNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        if (otherNames.Length > 0)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                foreach (var (oid, type, value) in otherNames)
                {
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                    {
                        writer.WriteObjectIdentifier(oid);
                        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                        {
                            writer.WriteCharacterString(type, value);
                        }
                    }
                }
            }
            request.CertificateExtensions.Add(new X509Extension(SmartCardIdentity.SubjectAltNameOid, writer.Encode(), false));
        }
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static (string, UniversalTagNumber, string) Upn(string value, UniversalTagNumber type = UniversalTagNumber.UTF8String) =>
        (SmartCardIdentity.UpnOid, type, value);

    [Fact]
    public void OneUpn_IsTheIdentity_LowerCased()
    {
        using var card = Card("DOE.JANE.Q.1234567890", Upn("1234567890@MIL"));
        Assert.Equal("1234567890@mil", SmartCardIdentity.Of(card));
    }

    [Fact]
    public void WithoutAnyUpn_TheEdipiOfTheCommonName_IsTheIdentity()
    {
        using var card = Card("DOE.JANE.Q.1234567890");
        Assert.Equal("1234567890@mil", SmartCardIdentity.Of(card));
    }

    [Fact]
    public void TwoUpns_NameNoOne_AndTheCommonNameIsNotAsked()
    {
        using var card = Card("DOE.JANE.Q.1234567890", Upn("1234567890@mil"), Upn("9999999999@mil"));
        Assert.Null(SmartCardIdentity.Of(card));
        Assert.Null(SmartCardIdentity.UpnOf(card));
    }

    [Theory]
    [InlineData("1234567890")]             // a bare number is no UPN in a certificate (only an administrator's shorthand)
    [InlineData("jane.doe@agency\u212Agov")] // the Kelvin sign, which lower-cases to k
    [InlineData("１２３４５６７８９０@mil")]     // full-width digits
    [InlineData("jane\u200Bdoe@agency.gov")] // a zero-width space
    public void AUpnThatIsNotPlainAscii_OrHasNoDomain_NamesNoOne(string upn)
    {
        using var card = Card("DOE.JANE.Q.1234567890", Upn(upn));
        Assert.Null(SmartCardIdentity.Of(card));
    }

    [Fact]
    public void AUpnOfAnotherStringType_IsUnreadable_AndNamesNoOne()
    {
        using var card = Card("DOE.JANE.Q.1234567890", Upn("1234567890@mil", UniversalTagNumber.IA5String));
        Assert.Null(SmartCardIdentity.Of(card));
    }

    [Theory]
    [InlineData("1234567890", "1234567890@mil")]
    [InlineData(" Jane.Doe@Agency.GOV ", "jane.doe@agency.gov")]
    [InlineData("jane.doe@agency\u212Agov", null)]
    [InlineData("１２３４５６７８９０", null)]
    [InlineData("nodomain", null)]
    public void WhatAnAdministratorTypes_IsNormalised_AsciiOnly(string typed, string? stored)
    {
        Assert.Equal(stored, SmartCardIdentity.Normalize(typed, out _));
    }
}
