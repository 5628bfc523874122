using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>Put/Get/DeleteBucketOwnershipControls, and the <c>x-amz-object-ownership</c> header of CreateBucket. What
/// BucketOwnerEnforced does: <see cref="ObjectOwnership"/>.</summary>
internal static class OwnershipControlsHandlers
{
    public static async Task PutAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var root = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        var rules = root.Name.LocalName == "OwnershipControls" ? root.Children("Rule").ToList() : [];
        if (rules.Count != 1)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        await SetAsync(request, Parse(rules[0].ChildValue("ObjectOwnership")) ?? throw new S3Exception(S3ErrorCode.MalformedXML));
    }

    public static Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var ownership = request.Bucket().Ownership;
        if (ownership == ObjectOwnership.Unset)
        {
            throw new S3Exception(S3ErrorCode.OwnershipControlsNotFoundError) { Details = [new("BucketName", request.BucketName)] };
        }

        return request.WriteXmlAsync(S3Xml.Document("OwnershipControls", w =>
        {
            w.WriteStartElement("Rule", S3Xml.Namespace);
            w.Element("ObjectOwnership", ownership.ToString());
            w.WriteEndElement();
        }));
    }

    public static async Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        request.Bucket();
        await request.Store.Buckets.SetConfigAsync(request.BucketName, ObjectOwnerships.Subresource, null);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>ObjectWriter, BucketOwnerPreferred or BucketOwnerEnforced, exactly; null for anything else.</summary>
    public static ObjectOwnership? Parse(string? text) => text switch
    {
        nameof(ObjectOwnership.ObjectWriter) => ObjectOwnership.ObjectWriter,
        nameof(ObjectOwnership.BucketOwnerPreferred) => ObjectOwnership.BucketOwnerPreferred,
        nameof(ObjectOwnership.BucketOwnerEnforced) => ObjectOwnership.BucketOwnerEnforced,
        _ => null,
    };

    /// <summary>Sets the bucket's ownership; BucketOwnerEnforced only while the bucket's own ACL grants nobody else.</summary>
    public static async Task SetAsync(S3Request request, ObjectOwnership ownership)
    {
        if (ownership == ObjectOwnership.BucketOwnerEnforced && request.Bucket().Acl != CannedAcl.Private)
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketAclWithObjectOwnership);
        }

        await request.Store.Buckets.SetConfigAsync(request.BucketName, ObjectOwnerships.Subresource, ownership.ToString());
    }
}
