namespace Peerbucket.Storage.Access;

/// <summary>Who is asking: a user (a verified access key and its user's canonical id), the administrator (the server's
/// own key pair: <see cref="UserId"/> null), or anyone at all (anonymous).</summary>
public sealed record Principal(string? AccessKey, string? UserId = null)
{
    public static readonly Principal Anonymous = new((string?)null);

    public bool IsAnonymous => AccessKey is null;

    public bool IsAdministrator => !IsAnonymous && UserId is null;

    /// <summary>True when the bucket is this principal's (a bucket without an owner is the administrator's).</summary>
    public bool Owns(Model.BucketRecord bucket) => !IsAnonymous && UserId == bucket.Owner;
}
