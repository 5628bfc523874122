using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>Get/PutBucketAcl and Get/PutObjectAcl: canned ACLs, <c>x-amz-grant-*</c> headers and whole
/// AccessControlPolicy documents (grants to users by canonical id, to AllUsers and to AuthenticatedUsers). Reading needs
/// READ_ACP, writing WRITE_ACP (the owner has both).</summary>
internal static class AclHandlers
{
    public static Task GetBucketAclAsync(S3Request request)
    {
        request.Authorize(S3Action.ReadAcl);
        var bucket = request.Bucket();
        return WriteAsync(request, bucket.Acl, bucket.Grants);
    }

    public static Task GetObjectAclAsync(S3Request request)
    {
        var obj = AuthorizedObject(request, S3Action.ReadAcl);
        return WriteAsync(request, obj.Attributes.Acl, obj.Attributes.Grants);
    }

    /// <summary>The object an object-ACL request names, once the caller may <paramref name="action"/> it. Whether a key
    /// or version exists is told only to the bucket's owner: anyone else gets AccessDenied for a missing one too.</summary>
    private static ObjectRecord AuthorizedObject(S3Request request, S3Action action)
    {
        ObjectRecord obj;
        try
        {
            obj = request.NamedObject();
        }
        catch (S3Exception) when (!request.Principal.Owns(request.Bucket()))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        request.Authorize(action, obj);
        return obj;
    }

    public static async Task PutBucketAclAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteAcl);
        var acl = await ReadAsync(request);
        await request.Store.Buckets.SetAclAsync(request.BucketName, acl.Canned, acl.Grants);
    }

    public static async Task PutObjectAclAsync(S3Request request)
    {
        AuthorizedObject(request, S3Action.WriteAcl);
        var acl = await ReadAsync(request);
        await request.Store.Objects.SetAclAsync(request.BucketName, request.Key, acl.Canned, request.VersionId, acl.Grants);
    }

    /// <summary>The ACL from x-amz-acl / x-amz-grant-*, or from an AccessControlPolicy body.</summary>
    private static async Task<AclDocuments.Acl> ReadAsync(S3Request request)
    {
        PublicAccessRules.RefusePublicAclHeaders(request);
        OwnershipRules.RefuseAclsWhenDisabled(request);
        var acl = AclDocuments.FromHeaders(request.Request.Headers, request.UserExists)
            ?? AclDocuments.FromPolicy(await RequestXml.ReadAsync(request.Payload.Body, request.Aborted, S3ErrorCode.MalformedACLError),
                request.BucketOwner().Id, request.UserExists);
        if ((acl.Canned != CannedAcl.Private || acl.Grants.Count > 0) && request.Bucket().AclsDisabled)
        {
            throw OwnershipRules.NotSupported(); // an AccessControlPolicy body granting more than the owner
        }

        PublicAccessRules.RefusePublicAcl(request, acl.Canned);
        if (acl.Grants.Any(g => g.IsPublic))
        {
            PublicAccessRules.RefusePublicAcl(request, CannedAcl.PublicRead);
        }

        return acl;
    }

    private static Task WriteAsync(S3Request request, CannedAcl canned, IReadOnlyList<Grant> grants) =>
        request.WriteXmlAsync(S3Xml.Document("AccessControlPolicy", w =>
            AclDocuments.Write(w, request.BucketOwner(), canned, grants, request.OwnerOf)));
}
