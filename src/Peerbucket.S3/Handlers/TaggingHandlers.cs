using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Tagging;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. Tags are the owner's to read and write; they
/// are not an object's bytes, so its torrent stays as it is.</summary>
internal static class TaggingHandlers
{
    private const string BucketTagging = "tagging";

    public static async Task GetObjectAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.WriteXmlAsync(TagSet.ToXml(request.NamedObject().Attributes.Tags));
    }

    public static async Task PutObjectAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var tags = TagSet.FromXml(await RequestXml.ReadAsync(request.Payload.Body, request.Aborted), TagSet.MaxObjectTags);
        await request.Store.Objects.SetTagsAsync(request.BucketName, request.Key, tags, request.VersionId);
    }

    public static async Task DeleteObjectAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.Store.Objects.SetTagsAsync(request.BucketName, request.Key, new Dictionary<string, string>(), request.VersionId);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task GetBucketAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var document = request.Store.Buckets.GetConfig(request.BucketName, BucketTagging)
            ?? throw new S3Exception(S3ErrorCode.NoSuchTagSet) { Details = [new("BucketName", request.BucketName)] };
        await request.WriteXmlAsync(System.Text.Encoding.UTF8.GetBytes(document));
    }

    public static async Task PutBucketAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var tags = TagSet.FromXml(await RequestXml.ReadAsync(request.Payload.Body, request.Aborted), TagSet.MaxBucketTags);
        await request.Store.Buckets.SetConfigAsync(request.BucketName, BucketTagging, System.Text.Encoding.UTF8.GetString(TagSet.ToXml(tags)));
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task DeleteBucketAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.Store.Buckets.SetConfigAsync(request.BucketName, BucketTagging, null);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
