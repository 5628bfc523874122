using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Cors;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>Put/Get/DeleteBucketCors. The stored document is the validated one, written back as S3 lists it.</summary>
internal static class CorsHandlers
{
    public static async Task PutAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var cors = CorsConfiguration.FromXml(await RequestXml.ReadAsync(request.Payload.Body, request.Aborted));
        await request.Store.Buckets.SetConfigAsync(request.BucketName, CorsResponses.Subresource, System.Text.Encoding.UTF8.GetString(cors.ToXml()));
    }

    public static async Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var cors = CorsResponses.For(request.Store, request.BucketName)
            ?? throw new S3Exception(S3ErrorCode.NoSuchCORSConfiguration) { Details = [new("BucketName", request.BucketName)] };
        await request.WriteXmlAsync(cors.ToXml());
    }

    public static async Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.Store.Buckets.SetConfigAsync(request.BucketName, CorsResponses.Subresource, null);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
