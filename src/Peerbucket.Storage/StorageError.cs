namespace Peerbucket.Storage;

public enum StorageError
{
    NoSuchBucket,
    NoSuchKey,
    NoSuchUpload,
    BucketNotEmpty,
    BucketAlreadyExists,
}
