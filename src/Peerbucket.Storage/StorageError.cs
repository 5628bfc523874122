namespace Peerbucket.Storage;

public enum StorageError
{
    NoSuchBucket,
    NoSuchKey,
    NoSuchUpload,

    /// <summary>The version is under Object Lock (legal hold or retention); the message says which.</summary>
    ObjectLocked,

    NoSuchUser,
    UserExists,
    AccessKeyExists,

    /// <summary>A user cannot be deleted while it owns a bucket; the message names one.</summary>
    UserOwnsBuckets,

    /// <summary>A version id names no version of the key.</summary>
    NoSuchVersion,
    BucketNotEmpty,
    BucketAlreadyExists,

    /// <summary>A bucket policy that cannot be parsed or names another bucket; the message says why.</summary>
    MalformedPolicy,

    /// <summary>A conditional write's condition did not hold (the key's object is not the one it named).</summary>
    PreconditionFailed,
}
