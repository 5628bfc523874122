using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Handlers;

/// <summary>The store's single owner as S3 documents show it: a canonical user id derived from the access key.</summary>
internal static class Owner
{
    public const string DisplayName = "peerbucket";

    public static string Id(string accessKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("owner:" + accessKey)));

    public static void Write(XmlWriter writer, string accessKey, string element = "Owner")
    {
        writer.WriteStartElement(element, S3Xml.Namespace);
        writer.Element("ID", Id(accessKey));
        writer.Element("DisplayName", DisplayName);
        writer.WriteEndElement();
    }
}
