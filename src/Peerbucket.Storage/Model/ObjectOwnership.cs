namespace Peerbucket.Storage.Model;

/// <summary>
/// A bucket's Object Ownership (S3 bucket ownership controls). <see cref="BucketOwnerEnforced"/> turns ACLs off: the
/// one authorization function ignores every object and bucket ACL (a <c>public-read</c> object is then readable only
/// if a policy says so), and requests that set an ACL are refused. Unset, ACLs count (Peerbucket's default, as S3's
/// was before 2023).
/// </summary>
public enum ObjectOwnership
{
    /// <summary>No ownership controls configured: ACLs count.</summary>
    Unset,
    ObjectWriter,
    BucketOwnerPreferred,
    BucketOwnerEnforced,
}

public static class ObjectOwnerships
{
    /// <summary>The subresource name it is stored under (the bucket configuration store), as its S3 name.</summary>
    public const string Subresource = "ownershipControls";

    public static ObjectOwnership Decode(string? text) => Enum.TryParse<ObjectOwnership>(text, out var value) && value != ObjectOwnership.Unset
        ? value
        : ObjectOwnership.Unset;
}
