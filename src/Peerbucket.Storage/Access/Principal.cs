namespace Peerbucket.Storage.Access;

/// <summary>Who is asking: a user (a verified access key and its user's canonical id), the administrator (the server's
/// own key pair: <see cref="UserId"/> null), or anyone at all (anonymous).</summary>
public sealed record Principal(string? AccessKey, string? UserId = null)
{
    /// <summary>The canonical id ACL grants name this principal by: a user's id, or the administrator's (derived from
    /// its access key by the S3 layer); null for anonymous.</summary>
    public string? CanonicalId { get => field ?? UserId; init; }

    /// <summary>The user's name (what a policy's <c>arn:aws:iam::...:user/NAME</c> principal names); null for the
    /// administrator and anonymous.</summary>
    public string? UserName { get; init; }

    public static readonly Principal Anonymous = new((string?)null);

    public bool IsAnonymous => AccessKey is null;

    /// <summary>True when the bucket is this principal's (a bucket without an owner is the administrator's).</summary>
    public bool Owns(Model.BucketRecord bucket) => !IsAnonymous && UserId == bucket.Owner;
}
