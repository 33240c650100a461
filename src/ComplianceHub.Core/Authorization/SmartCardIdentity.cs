using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace ComplianceHub.Core.Authorization;

/// <summary>
/// Who a CAC or PIV certificate names, as an account is bound to it: the user principal name in the certificate's subject
/// alternative name (a CAC's is <c>EDIPI@mil</c>, a PIV's the agency's UPN), or, on a certificate without one, the EDIPI at
/// the end of a DoD common name (<c>LAST.FIRST.MIDDLE.1234567890</c>). Stored lower-case.
/// </summary>
public static partial class SmartCardIdentity
{
    /// <summary>The subject alternative name extension.</summary>
    public const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Microsoft's user principal name, the otherName CAC and PIV certificates carry.</summary>
    public const string UpnOid = "1.3.6.1.4.1.311.20.2.3";

    /// <summary>TLS client authentication and smart card logon: a certificate with key usages must allow one of them.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";
    public const string SmartCardLogonOid = "1.3.6.1.4.1.311.20.2.2";

    public const int MaxLength = 256;

    [GeneratedRegex(@"^\d{10}$")]
    private static partial Regex Edipi();

    [GeneratedRegex(@"\.(\d{10})$")]
    private static partial Regex EdipiInCommonName();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex Upn();

    /// <summary>
    /// What an administrator types when binding an account: a 10-digit EDIPI (stored as <c>EDIPI@mil</c>) or a UPN. Returns
    /// the stored form, or null with the reason in <paramref name="problem"/>.
    /// </summary>
    public static string? Normalize(string? input, out string? problem)
    {
        var value = (input ?? "").Trim().ToLowerInvariant();
        problem = null;
        if (Edipi().IsMatch(value))
        {
            return value + "@mil";
        }
        if (value.Length == 0 || value.Length > MaxLength || !Upn().IsMatch(value))
        {
            problem = "Enter the card's 10-digit DoD ID number (EDIPI) or the user principal name its certificate carries, such as 1234567890@mil.";
            return null;
        }
        return value;
    }

    /// <summary>The identity the certificate names, or null when it names none this portal can bind to.</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        if (UpnOf(certificate) is { } upn && Normalize(upn, out _) is { } stored)
        {
            return stored;
        }
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var match = EdipiInCommonName().Match(commonName ?? "");
        return match.Success ? match.Groups[1].Value + "@mil" : null;
    }

    /// <summary>Whether the certificate may be used to sign in: no extended key usage at all, or one that allows it.</summary>
    public static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return usages is null || usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()
            .Any(o => o.Value is ClientAuthenticationOid or SmartCardLogonOid);
    }

    /// <summary>The first UPN otherName in the subject alternative name, read with the ASN.1 reader (GeneralNames, RFC 5280).</summary>
    public static string? UpnOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return null;
        }
        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 0) // otherName
                {
                    var other = names.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                    var type = other.ReadObjectIdentifier();
                    var value = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                    if (type == UpnOid)
                    {
                        return value.ReadCharacterString(UniversalTagNumber.UTF8String);
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return null; // a malformed extension names no one
        }
        return null;
    }
}
