using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Handlers;

/// <summary>An owner as S3 documents show it (canonical id, display name). The administrator's canonical id is derived
/// from its access key; a user's is the one it was created with.</summary>
internal sealed record Owner(string Id, string DisplayName)
{
    public const string AdministratorName = "peerbucket";

    public static Owner Administrator(string accessKey) =>
        new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("owner:" + accessKey))), AdministratorName);

    public void Write(XmlWriter writer, string element = "Owner")
    {
        writer.WriteStartElement(element, S3Xml.Namespace);
        writer.Element("ID", Id);
        writer.Element("DisplayName", DisplayName);
        writer.WriteEndElement();
    }
}
