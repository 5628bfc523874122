using System.Collections.Concurrent;
using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Access;

/// <summary>
/// The one authorization function. Every path that hands out an object's bytes or facts asks it: the S3 handlers,
/// ?torrent and ?magnet, and later the tracker, the seeder and the web seed (which is a plain GET).
/// </summary>
public static class Authorizer
{
    public static bool IsAllowed(Principal principal, S3Action action, BucketRecord bucket, ObjectRecord? obj, string? key = null)
    {
        if (principal.Owns(bucket))
        {
            return true;
        }

        // Anyone else — anonymous, or a user who does not own the bucket — gets what the policy and the ACLs grant
        // everyone.

        var policy = bucket.Policy is null ? null : Parsed(bucket.Name, bucket.Policy);
        var bucketLevel = action is S3Action.ListBucket or S3Action.ListBucketVersions;
        var policyDecision = policy?.Decide(action, bucket.Name, bucketLevel ? null : obj?.Key ?? key);
        if (policyDecision == false)
        {
            return false;
        }

        // Block Public Access: RestrictPublicBuckets takes what a public policy grants everyone away; IgnorePublicAcls
        // makes every ACL private (a policy's denies still hold), as does Object Ownership BucketOwnerEnforced.
        var block = bucket.PublicAccessBlock;
        var policyAllows = policyDecision == true && !(block.RestrictPublicBuckets && policy!.IsPublic);
        var aclsCount = !block.IgnorePublicAcls && !bucket.AclsDisabled; // BucketOwnerEnforced: ACLs are off
        return action switch
        {
            S3Action.GetObject or S3Action.GetObjectVersion => policyAllows || (aclsCount && obj?.Attributes.Acl == CannedAcl.PublicRead),
            S3Action.ListBucket or S3Action.ListBucketVersions => policyAllows || (aclsCount && bucket.Acl == CannedAcl.PublicRead),
            _ => false,
        };
    }

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
