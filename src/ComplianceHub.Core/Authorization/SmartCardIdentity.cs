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

    // ASCII only, on purpose: no other digits, no look-alike letters, nothing a case fold could turn into an ASCII letter.
    [GeneratedRegex(@"^[0-9]{10}$")]
    private static partial Regex Edipi();

    [GeneratedRegex(@"\.([0-9]{10})$")]
    private static partial Regex EdipiInCommonName();

    [GeneratedRegex(@"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$")]
    private static partial Regex Upn();

    /// <summary>
    /// What an administrator types when binding an account: a 10-digit EDIPI (stored as <c>EDIPI@mil</c>) or a UPN. Returns
    /// the stored form, or null with the reason in <paramref name="problem"/>.
    /// </summary>
    public static string? Normalize(string? input, out string? problem)
    {
        var value = (input ?? "").Trim();
        problem = null;
        if (Edipi().IsMatch(value))
        {
            return value + "@mil";
        }
        // Checked before lower-casing: a case fold must not turn a look-alike into an ASCII letter (the Kelvin sign into k).
        if (value.Length == 0 || value.Length > MaxLength || !Upn().IsMatch(value))
        {
            problem = "Enter the card's 10-digit DoD ID number (EDIPI) or the user principal name its certificate carries, such as 1234567890@mil.";
            return null;
        }
        return value.ToLowerInvariant();
    }

    /// <summary>
    /// The identity the certificate names, or null when it names none this portal can bind to. A certificate with a UPN is
    /// known by it alone — exactly one, ASCII, with its domain — and one whose UPNs cannot be read, or with more than one,
    /// names no one (no falling back to its common name); only a certificate with no UPN at all is known by the EDIPI its
    /// common name ends with.
    /// </summary>
    public static string? Of(X509Certificate2 certificate)
    {
        var (upns, readable) = UpnsOf(certificate);
        if (!readable || upns.Count > 1)
        {
            return null;
        }
        if (upns.Count == 1)
        {
            var upn = upns[0];
            return upn.Length <= MaxLength && Upn().IsMatch(upn) ? upn.ToLowerInvariant() : null;
        }
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var match = EdipiInCommonName().Match(commonName ?? "");
        return match.Success ? match.Groups[1].Value + "@mil" : null;
    }

    /// <summary>Whether the certificate may be used to sign in: its extended key usage names client authentication or smart card logon.</summary>
    public static bool AllowsClientAuthentication(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
        && usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value is ClientAuthenticationOid or SmartCardLogonOid);

    /// <summary>The UPN of the subject alternative name when there is exactly one (null otherwise).</summary>
    public static string? UpnOf(X509Certificate2 certificate) => UpnsOf(certificate) is ([var one], true) ? one : null;

    /// <summary>
    /// Every UPN otherName in the subject alternative name, read with the ASN.1 reader (GeneralNames, RFC 5280), and whether
    /// the extension could be read at all (a UPN that is not a UTF8String, or a malformed extension, makes it unreadable).
    /// </summary>
    private static (List<string> Upns, bool Readable) UpnsOf(X509Certificate2 certificate)
    {
        var upns = new List<string>();
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return (upns, true);
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
                        upns.Add(value.ReadCharacterString(UniversalTagNumber.UTF8String));
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
            return (upns, true);
        }
        catch (AsnContentException)
        {
            return (upns, false); // a malformed extension, or a UPN of another string type: names no one
        }
    }
}
