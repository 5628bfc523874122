using Peerbucket.S3.Errors;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>The refusing half of Block Public Access (the ignoring half is the authorization function's):
/// BlockPublicAcls refuses a request that sets a public ACL, BlockPublicPolicy a public bucket policy (403, as S3).</summary>
internal static class PublicAccessRules
{
    private static readonly string[] PublicCanned = ["public-read", "public-read-write", "authenticated-read"];
    private static readonly string[] PublicGroups = [AclDocuments.AllUsers, AclDocuments.AuthenticatedUsers];

    /// <summary>Refuses a request whose x-amz-acl or x-amz-grant-* headers would make something of the bucket public.</summary>
    public static void RefusePublicAclHeaders(S3Request request)
    {
        if (!request.Bucket().PublicAccessBlock.BlockPublicAcls)
        {
            return;
        }

        var canned = request.Header("x-amz-acl");
        var grants = request.Request.Headers.Where(h => h.Key.StartsWith("x-amz-grant-", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value).OfType<string>();
        if ((canned is not null && PublicCanned.Contains(canned)) || grants.Any(g => PublicGroups.Any(u => g.Contains(u, StringComparison.Ordinal))))
        {
            throw Blocked("BlockPublicAcls");
        }
    }

    /// <summary>Refuses setting <paramref name="acl"/> when it is public and the bucket blocks public ACLs.</summary>
    public static void RefusePublicAcl(S3Request request, CannedAcl acl)
    {
        if (acl != CannedAcl.Private && request.Bucket().PublicAccessBlock.BlockPublicAcls)
        {
            throw Blocked("BlockPublicAcls");
        }
    }

    /// <summary>Refuses a public policy when the bucket blocks public policies.</summary>
    public static void RefusePublicPolicy(S3Request request, bool isPublic)
    {
        if (isPublic && request.Bucket().PublicAccessBlock.BlockPublicPolicy)
        {
            throw Blocked("BlockPublicPolicy");
        }
    }

    private static S3Exception Blocked(string setting) => new(S3ErrorCode.AccessDenied, $"Access Denied: the bucket's {setting} setting is on.");
}
