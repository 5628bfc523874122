using Peerbucket.S3.Errors;
using Peerbucket.Storage;

namespace Peerbucket.S3.Http;

/// <summary>The one mapping from storage failures to S3 errors.</summary>
internal static class StorageErrors
{
    public static S3Exception ToS3(StorageException error) => error.Error switch
    {
        StorageError.NoSuchBucket => new S3Exception(S3ErrorCode.NoSuchBucket) { Details = [new("BucketName", error.Message)] },
        StorageError.NoSuchKey => new S3Exception(S3ErrorCode.NoSuchKey) { Details = [new("Key", error.Message)] },
        StorageError.ObjectLocked => new S3Exception(S3ErrorCode.AccessDenied, $"Access Denied because object protected by object lock ({error.Message})."),
        StorageError.NoSuchVersion => new S3Exception(S3ErrorCode.NoSuchVersion) { Details = [new("VersionId", error.Message)] },
        StorageError.NoSuchUpload => new S3Exception(S3ErrorCode.NoSuchUpload) { Details = [new("UploadId", error.Message)] },
        StorageError.BucketNotEmpty => new S3Exception(S3ErrorCode.BucketNotEmpty) { Details = [new("BucketName", error.Message)] },
        StorageError.BucketAlreadyExists => new S3Exception(S3ErrorCode.BucketAlreadyOwnedByYou) { Details = [new("BucketName", error.Message)] },
        StorageError.MalformedPolicy => new S3Exception(S3ErrorCode.MalformedPolicy, error.Message),
        StorageError.PreconditionFailed => new S3Exception(S3ErrorCode.PreconditionFailed) { Details = [new("Condition", error.Message)] },
        _ => new S3Exception(S3ErrorCode.InternalError),
    };
}
