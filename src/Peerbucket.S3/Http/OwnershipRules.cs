using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Http;

/// <summary>Bucket ownership controls' refusing half (the authorization function ignores ACLs): while a bucket is
/// BucketOwnerEnforced, a request that sets an ACL — other than <c>bucket-owner-full-control</c>, which S3 accepts —
/// is 400 AccessControlListNotSupported.</summary>
internal static class OwnershipRules
{
    public const string OwnerFullControl = "bucket-owner-full-control";

    /// <summary>Refuses the request's x-amz-acl / x-amz-grant-* headers (or <paramref name="canned"/>, a POST form's
    /// acl field) when the bucket's ACLs are off.</summary>
    public static void RefuseAclsWhenDisabled(S3Request request, string? canned = null)
    {
        if (!request.Bucket().AclsDisabled)
        {
            return;
        }

        canned ??= request.Header("x-amz-acl");
        var grants = request.Request.Headers.Keys.Any(h => h.StartsWith("x-amz-grant-", StringComparison.OrdinalIgnoreCase));
        if ((canned is not null && canned != OwnerFullControl) || grants)
        {
            throw NotSupported();
        }
    }

    public static S3Exception NotSupported() => new(S3ErrorCode.AccessControlListNotSupported, "The bucket does not allow ACLs");
}
