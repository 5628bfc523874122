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
            throw new S3Exception(code) { Details = [new("BucketName", request.BucketName)] };
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

    /// <summary>GetBucketPolicyStatus: whether anyone may read the bucket, by its policy (a statement allowing
    /// everyone without a condition) or its ACL (as ceph/s3-tests expects: "is my bucket public?" in one answer).</summary>
    private static byte[] PolicyStatus(S3Request request)
    {
        var bucket = request.Bucket();
        var isPublic = bucket.Acl != Storage.Model.CannedAcl.Private
            || (bucket.Policy is { } policy && BucketPolicy.Parse(policy, bucket.Name).IsPublic);
        return S3Xml.Document("PolicyStatus", w => w.Element("IsPublic", isPublic));
    }
}
