using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>Get/PutBucketAcl and Get/PutObjectAcl: canned ACLs and the AllUsers READ grant, as full AccessControlPolicy documents.</summary>
internal static class AclHandlers
{
    public static Task GetBucketAclAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        return WriteAsync(request, request.Bucket().Acl);
    }

    public static Task GetObjectAclAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        return WriteAsync(request, request.NamedObject().Attributes.Acl);
    }

    public static async Task PutBucketAclAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var acl = await ReadAsync(request);
        await request.Store.Buckets.SetAclAsync(request.BucketName, acl);
    }

    public static async Task PutObjectAclAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var acl = await ReadAsync(request);
        await request.Store.Objects.SetAclAsync(request.BucketName, request.Key, acl, request.VersionId);
    }

    /// <summary>The ACL from x-amz-acl / x-amz-grant-read, or from an AccessControlPolicy body.</summary>
    private static async Task<CannedAcl> ReadAsync(S3Request request)
    {
        PublicAccessRules.RefusePublicAclHeaders(request);
        OwnershipRules.RefuseAclsWhenDisabled(request);
        var acl = await ReadUncheckedAsync(request);
        if (acl != CannedAcl.Private && request.Bucket().AclsDisabled)
        {
            throw OwnershipRules.NotSupported(); // an AccessControlPolicy body granting more than the owner
        }

        PublicAccessRules.RefusePublicAcl(request, acl);
        return acl;
    }

    private static async Task<CannedAcl> ReadUncheckedAsync(S3Request request)
    {
        var fromHeaders = ObjectHeaders.AclFromHeaders(request.Request);
        if (fromHeaders is { } acl)
        {
            return acl;
        }

        var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted, S3ErrorCode.MalformedACLError);
        if (body.Name.LocalName != "AccessControlPolicy")
        {
            throw new S3Exception(S3ErrorCode.MalformedACLError);
        }

        var result = CannedAcl.Private;
        foreach (var grant in body.Descendants().Where(e => e.Name.LocalName == "Grant"))
        {
            var permission = grant.ChildValue("Permission");
            var grantee = grant.Children("Grantee").FirstOrDefault() ?? throw new S3Exception(S3ErrorCode.MalformedACLError);
            var uri = grantee.ChildValue("URI");
            var id = grantee.ChildValue("ID");
            if (uri == ObjectHeaders.AllUsersUri && permission == "READ")
            {
                result = CannedAcl.PublicRead;
            }
            else if (id is not null && permission == "FULL_CONTROL")
            {
                continue;
            }
            else
            {
                throw new S3Exception(S3ErrorCode.NotImplemented, "Only the owner's FULL_CONTROL and the AllUsers READ grant are supported.");
            }
        }

        return result;
    }

    private static Task WriteAsync(S3Request request, CannedAcl acl) =>
        request.WriteXmlAsync(S3Xml.Document("AccessControlPolicy", w =>
        {
            request.BucketOwner().Write(w);
            w.WriteStartElement("AccessControlList", S3Xml.Namespace);
            // The group grant first, then the owner's, in the order S3 and RGW list a canned ACL's grants.
            if (acl == CannedAcl.PublicRead)
            {
                w.WriteStartElement("Grant", S3Xml.Namespace);
                w.WriteStartElement("Grantee", S3Xml.Namespace);
                w.WriteAttributeString("xmlns", "xsi", null, S3Xml.XsiNamespace);
                w.WriteAttributeString("xsi", "type", S3Xml.XsiNamespace, "Group");
                w.Element("URI", ObjectHeaders.AllUsersUri);
                w.WriteEndElement();
                w.Element("Permission", "READ");
                w.WriteEndElement();
            }

            w.WriteStartElement("Grant", S3Xml.Namespace);
            w.WriteStartElement("Grantee", S3Xml.Namespace);
            w.WriteAttributeString("xmlns", "xsi", null, S3Xml.XsiNamespace);
            w.WriteAttributeString("xsi", "type", S3Xml.XsiNamespace, "CanonicalUser");
            w.Element("ID", request.BucketOwner().Id);
            w.Element("DisplayName", request.BucketOwner().DisplayName);
            w.WriteEndElement();
            w.Element("Permission", "FULL_CONTROL");
            w.WriteEndElement();

            w.WriteEndElement();
        }));
}
