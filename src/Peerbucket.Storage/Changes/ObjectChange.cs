namespace Peerbucket.Storage.Changes;

/// <summary>Something committed that may change who may read an object, or its bytes: an object written, deleted or
/// given a new ACL (<see cref="Key"/> set), or a bucket's ACL, policy or existence (<see cref="Key"/> null).</summary>
public sealed record ObjectChange(string Bucket, string? Key)
{
    /// <summary>True when the change may concern the object <paramref name="bucket"/>/<paramref name="key"/>.</summary>
    public bool Concerns(string bucket, string key) => Bucket == bucket && (Key is null || Key == key);
}
