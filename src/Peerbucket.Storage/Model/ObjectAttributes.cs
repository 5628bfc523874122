namespace Peerbucket.Storage.Model;

/// <summary>What a writer says about an object besides its bytes: stored as given, returned on reads.</summary>
public sealed record ObjectAttributes
{
    /// <summary>Stored HTTP headers such as Content-Type, Content-Encoding, Cache-Control, keyed by their canonical name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>User metadata, keys without the x-amz-meta- prefix, lower-cased.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = new Dictionary<string, string>();

    public CannedAcl Acl { get; init; } = CannedAcl.Private;

    /// <summary>ACL grants beyond <see cref="Acl"/> (to users, to authenticated users, ...); none for a canned ACL.</summary>
    public IReadOnlyList<Grant> Grants { get; init; } = [];

    /// <summary>Object tags (S3 Object Tagging), key to value; at most 10, validated by the S3 layer.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Object Lock retention and legal hold (S3 Object Lock); none unless the bucket has Object Lock.</summary>
    public ObjectLock Lock { get; init; } = ObjectLock.None;
}
