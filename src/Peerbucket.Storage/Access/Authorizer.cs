using System.Collections.Concurrent;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Access;

/// <summary>
/// The one authorization function. Every path that hands out an object's bytes or facts asks it: the S3 handlers,
/// ?torrent and ?magnet, and later the tracker, the seeder and the web seed (which is a plain GET).
/// </summary>
public static class Authorizer
{
    /// <param name="iamAction">The IAM action of the request (s3:PutObjectTagging, ...) when the caller knows it more
    /// precisely than <paramref name="action"/> says; a policy may grant it to a non-owner. Bucket configuration
    /// (policy, versioning, lock, CORS, ownership, deleting the bucket) is the owner's alone, whatever a policy says.</param>
    public static bool IsAllowed(Principal principal, S3Action action, BucketRecord bucket, ObjectRecord? obj, string? key = null,
        string? iamAction = null)
    {
        if (principal.Owns(bucket))
        {
            return true;
        }

        // Anyone else — anonymous, or a user who does not own the bucket — gets what the policy and the ACLs grant it.
        var policy = bucket.Policy is null ? null : Parsed(bucket.Name, bucket.Policy);
        iamAction ??= DefaultIamAction(action, obj is null && key is null);
        var bucketLevel = iamAction is not null && BucketLevelActions.Contains(iamAction);
        var policyDecision = iamAction is null || !PolicyGrantable(iamAction) ? null
            : policy?.Decide(iamAction, bucket.Name, bucketLevel ? null : obj?.Key ?? key, principal.CanonicalId, principal.UserName);
        if (policyDecision == false)
        {
            return false;
        }

        // Block Public Access: RestrictPublicBuckets takes what a public policy grants everyone away; IgnorePublicAcls
        // makes every public ACL grant (AllUsers, AuthenticatedUsers) count for nothing (a policy's denies still hold);
        // ownership controls BucketOwnerEnforced turn every ACL off.
        var block = bucket.PublicAccessBlock;
        var policyAllows = policyDecision == true && !(block.RestrictPublicBuckets && policy!.IsPublic);
        var publicAclsCount = !block.IgnorePublicAcls && !bucket.AclsDisabled;
        var userAclsCount = !bucket.AclsDisabled;
        bool Granted(CannedAcl canned, IReadOnlyList<Grant> grants, Permission needed) =>
            (publicAclsCount && needed == Permission.Read && canned == CannedAcl.PublicRead)
            || grants.Any(g => g.Gives(needed) && (g.IsPublic
                ? publicAclsCount && (g.Kind == GranteeKind.AllUsers || !principal.IsAnonymous)
                : userAclsCount && principal.CanonicalId is { } id && g.UserId == id));

        if (policyAllows)
        {
            return true;
        }

        return action switch
        {
            S3Action.GetObject or S3Action.GetObjectVersion => obj is not null && Granted(obj.Attributes.Acl, obj.Attributes.Grants, Permission.Read),
            S3Action.ListBucket or S3Action.ListBucketVersions => Granted(bucket.Acl, bucket.Grants, Permission.Read),
            S3Action.WriteObject => Granted(CannedAcl.Private, bucket.Grants, Permission.Write),
            S3Action.ReadAcl => Granted(CannedAcl.Private, obj?.Attributes.Grants ?? bucket.Grants, Permission.ReadAcp),
            S3Action.WriteAcl => Granted(CannedAcl.Private, obj?.Attributes.Grants ?? bucket.Grants, Permission.WriteAcp),
            _ => false,
        };
    }

    /// <summary>The IAM action an S3Action stands for when the caller names none; null: not one a policy grants.</summary>
    private static string? DefaultIamAction(S3Action action, bool bucketLevel) => action switch
    {
        S3Action.GetObject => "s3:GetObject",
        S3Action.GetObjectVersion => "s3:GetObjectVersion",
        S3Action.ListBucket => "s3:ListBucket",
        S3Action.ListBucketVersions => "s3:ListBucketVersions",
        S3Action.WriteObject => "s3:PutObject",
        S3Action.ReadAcl => bucketLevel ? "s3:GetBucketAcl" : "s3:GetObjectAcl",
        S3Action.WriteAcl => bucketLevel ? "s3:PutBucketAcl" : "s3:PutObjectAcl",
        _ => null,
    };

    /// <summary>Actions whose resource is the bucket itself (the rest name an object).</summary>
    private static readonly HashSet<string> BucketLevelActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads", "s3:GetBucketAcl", "s3:PutBucketAcl",
    };

    /// <summary>What a policy may grant someone other than the owner: reading and writing objects, their ACLs, tags,
    /// retention and multipart uploads, and listing. Never the bucket's own configuration.</summary>
    private static bool PolicyGrantable(string iamAction) =>
        iamAction.StartsWith("s3:GetObject", StringComparison.OrdinalIgnoreCase)
        || iamAction.StartsWith("s3:PutObject", StringComparison.OrdinalIgnoreCase)
        || iamAction.StartsWith("s3:DeleteObject", StringComparison.OrdinalIgnoreCase)
        || iamAction.StartsWith("s3:ListBucket", StringComparison.OrdinalIgnoreCase)
        || iamAction.Equals("s3:ListMultipartUploadParts", StringComparison.OrdinalIgnoreCase)
        || iamAction.Equals("s3:AbortMultipartUpload", StringComparison.OrdinalIgnoreCase)
        || iamAction.Equals("s3:GetBucketAcl", StringComparison.OrdinalIgnoreCase)
        || iamAction.Equals("s3:PutBucketAcl", StringComparison.OrdinalIgnoreCase);

    private static readonly ConcurrentDictionary<(string Bucket, string Policy), BucketPolicy> Policies = new();

    /// <summary>Stored policies were validated when they were put; parse each text once, not per request.</summary>
    private static BucketPolicy Parsed(string bucket, string text)
    {
        if (Policies.TryGetValue((bucket, text), out var cached))
        {
            return cached;
        }

        if (Policies.Count > 10_000)
        {
            Policies.Clear();
        }

        return Policies[(bucket, text)] = BucketPolicy.Parse(text, bucket);
    }

    /// <summary>Anonymous readability of an object version: what decides whether BitTorrent serves it at all. A
    /// noncurrent version is read by its version id, so it needs s3:GetObjectVersion, as in S3.</summary>
    public static bool IsPublic(BucketRecord bucket, ObjectRecord obj, bool current = true) =>
        IsAllowed(Principal.Anonymous, current ? S3Action.GetObject : S3Action.GetObjectVersion, bucket, obj);
}
