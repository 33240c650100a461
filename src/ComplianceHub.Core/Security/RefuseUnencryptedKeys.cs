using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace ComplianceHub.Core.Security;

/// <summary>
/// The key ring's encryptor when no data-protection certificate is configured: it stores nothing, so a key never reaches the
/// database in the clear (where the application's own role could read it and forge any cookie).
/// </summary>
internal sealed class RefuseUnencryptedKeys : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => throw new InvalidOperationException(KeyFiles.NotConfiguredMessage);
}
