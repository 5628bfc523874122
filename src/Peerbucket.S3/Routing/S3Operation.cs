namespace Peerbucket.S3.Routing;

/// <summary>The S3 operations Peerbucket answers, named as in the AWS API reference.</summary>
public enum S3Operation
{
    ListBuckets,
    CreateBucket,
    HeadBucket,
    DeleteBucket,
    GetBucketLocation,
    GetBucketVersioning,
    PutBucketVersioning,
    GetBucketAcl,
    PutBucketAcl,
    GetBucketPolicy,
    PutBucketPolicy,
    DeleteBucketPolicy,
    ListObjects,
    ListObjectsV2,
    ListObjectVersions,
    ListMultipartUploads,
    DeleteObjects,
    GetObject,
    HeadObject,
    PutObject,

    /// <summary>A browser form upload (<c>POST /bucket</c>, multipart/form-data with a signed policy).</summary>
    PostObject,
    CopyObject,
    DeleteObject,
    GetObjectAcl,
    PutObjectAcl,
    CreateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    GetObjectTorrent,
    GetObjectMagnet,
    GetObjectAttributes,
    GetObjectTagging,
    PutObjectTagging,
    DeleteObjectTagging,
    GetBucketTagging,
    PutBucketTagging,
    DeleteBucketTagging,

    GetBucketOwnershipControls,
    PutBucketOwnershipControls,
    DeleteBucketOwnershipControls,
    GetObjectLockConfiguration,
    PutObjectLockConfiguration,
    GetObjectRetention,
    PutObjectRetention,
    GetObjectLegalHold,
    PutObjectLegalHold,

    GetPublicAccessBlock,
    PutPublicAccessBlock,
    DeletePublicAccessBlock,
    GetBucketCors,
    PutBucketCors,
    DeleteBucketCors,

    /// <summary>A CORS preflight (<c>OPTIONS</c> on a bucket or object): answered without authentication.</summary>
    PreflightCors,

    /// <summary>A bucket subresource Peerbucket does not configure, read: answered as S3 answers when it is unset.</summary>
    GetBucketSubresource,

    /// <summary>The same, deleted: nothing to delete, 204 as S3.</summary>
    DeleteBucketSubresource,
}
