using System.Text;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>Put/Get/DeleteBucketPolicy. A stored policy has been parsed and validated for its bucket.</summary>
internal static class PolicyHandlers
{
    private const int MaxPolicyBytes = 20 * 1024;

    public static async Task PutAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        using var buffer = new MemoryStream();
        await request.Payload.Body.CopyToAsync(buffer, request.Aborted);
        if (buffer.Length > MaxPolicyBytes)
        {
            throw new S3Exception(S3ErrorCode.MalformedPolicy, "Policy exceeds the maximum allowed document size.");
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        PublicAccessRules.RefusePublicPolicy(request, BucketPolicy.Parse(text, request.BucketName).IsPublic);
        await request.Store.Buckets.SetPolicyAsync(request.BucketName, text);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var policy = request.Bucket().Policy ?? throw new S3Exception(S3ErrorCode.NoSuchBucketPolicy) { Details = [new("BucketName", request.BucketName)] };
        var bytes = Encoding.UTF8.GetBytes(policy);
        request.Response.ContentType = "application/json";
        request.Response.ContentLength = bytes.Length;
        await request.Response.Body.WriteAsync(bytes, request.Aborted);
    }

    public static async Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        await request.Store.Buckets.SetPolicyAsync(request.BucketName, null);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
