using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;

namespace Peerbucket.S3.Handlers;

/// <summary>The bucket subresources Peerbucket does not configure (<see cref="BucketSubresources"/>), answered as S3
/// answers when they are unset.</summary>
internal static class BucketSubresourceHandlers
{
    public static async Task GetAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var name = BucketSubresources.Named(request.Route.Query)!;
        if (BucketSubresources.Unset[name].ErrorCode is { } code)
        {
            throw new S3Exception(Enum.Parse<S3ErrorCode>(code)) { Details = [new("BucketName", request.BucketName)] };
        }

        await request.WriteXmlAsync(name switch
        {
            "policyStatus" => PolicyStatus(request),
            "logging" => S3Xml.Document("BucketLoggingStatus", _ => { }),
            "requestPayment" => S3Xml.Document("RequestPaymentConfiguration", w => w.Element("Payer", "BucketOwner")),
            "accelerate" => S3Xml.Document("AccelerateConfiguration", _ => { }),
            _ => S3Xml.Document("NotificationConfiguration", _ => { }),
        });
    }

    public static Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>GetBucketPolicyStatus: whether the bucket's policy makes it public (NoSuchBucketPolicy without one).</summary>
    private static byte[] PolicyStatus(S3Request request)
    {
        var bucket = request.Bucket();
        var policy = bucket.Policy ?? throw new S3Exception(S3ErrorCode.NoSuchBucketPolicy) { Details = [new("BucketName", bucket.Name)] };
        var isPublic = BucketPolicy.Parse(policy, bucket.Name).IsPublic;
        return S3Xml.Document("PolicyStatus", w => w.Element("IsPublic", isPublic));
    }
}
