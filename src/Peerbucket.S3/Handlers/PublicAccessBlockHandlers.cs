using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>Put/Get/DeletePublicAccessBlock at bucket level. What the settings do: <see cref="PublicAccessBlock"/>.</summary>
internal static class PublicAccessBlockHandlers
{
    private static readonly string[] Settings = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

    public static async Task PutAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var root = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
        if (root.Name.LocalName != "PublicAccessBlockConfiguration")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var values = Settings.Select(name => root.ChildValue(name)?.Trim() switch
        {
            null => false,
            var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new S3Exception(S3ErrorCode.MalformedXML, $"{name} is true or false."),
        }).ToArray();
        var block = new PublicAccessBlock(values[0], values[1], values[2], values[3]);
        await request.Store.Buckets.SetConfigAsync(request.BucketName, PublicAccessBlock.Subresource, block.Encode());
    }

    public static async Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        if (request.Store.Buckets.GetConfig(request.BucketName, PublicAccessBlock.Subresource) is not { } stored)
        {
            throw new S3Exception(S3ErrorCode.NoSuchPublicAccessBlockConfiguration) { Details = [new("BucketName", request.BucketName)] };
        }

        var block = PublicAccessBlock.Decode(stored);
        bool[] values = [block.BlockPublicAcls, block.IgnorePublicAcls, block.BlockPublicPolicy, block.RestrictPublicBuckets];
        await request.WriteXmlAsync(S3Xml.Document("PublicAccessBlockConfiguration", w =>
        {
            for (var i = 0; i < Settings.Length; i++)
            {
                w.Element(Settings[i], values[i]);
            }
        }));
    }

    public static async Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.Store.Buckets.SetConfigAsync(request.BucketName, PublicAccessBlock.Subresource, null);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
