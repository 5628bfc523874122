using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Routing;

/// <summary>
/// Bucket subresources Peerbucket does not configure but answers as S3 does when they are unset, so tools that read
/// them all (Terraform/OpenTofu's bucket resource reads a dozen on every plan) see "nothing configured", never 501.
/// Setting one stays <c>501 NotImplemented</c>: storing a configuration the store would not act on would be a lie.
/// </summary>
internal static class BucketSubresources
{
    /// <summary>Read when unset: S3's 404 error code, or the empty document S3 returns (null for none).</summary>
    public static readonly IReadOnlyDictionary<string, (S3ErrorCode? ErrorCode, bool Deletable)> Unset = new Dictionary<string, (S3ErrorCode?, bool)>(StringComparer.Ordinal)
    {
        ["website"] = (S3ErrorCode.NoSuchWebsiteConfiguration, true),
        ["lifecycle"] = (S3ErrorCode.NoSuchLifecycleConfiguration, true),
        ["replication"] = (S3ErrorCode.ReplicationConfigurationNotFoundError, true),
        ["encryption"] = (S3ErrorCode.ServerSideEncryptionConfigurationNotFoundError, true),
        ["policyStatus"] = (null, false),
        ["logging"] = (null, false),
        ["requestPayment"] = (null, false),
        ["accelerate"] = (null, false),
        ["notification"] = (null, false),
    };

    /// <summary>The subresource of <paramref name="query"/> answered here, or null.</summary>
    public static string? Named(S3Query query)
    {
        foreach (var pair in query.Pairs)
        {
            if (Unset.ContainsKey(pair.Key))
            {
                return pair.Key;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="method"/> on the bucket subresource <paramref name="name"/> is answered here.</summary>
    public static bool Answers(string method, string name) =>
        Unset.TryGetValue(name, out var entry) && (method == "GET" || (method == "DELETE" && entry.Deletable));
}
