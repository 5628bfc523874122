using Peerbucket.S3.Errors;
using Peerbucket.S3.Handlers;
using Peerbucket.S3.Routing;
using Peerbucket.Storage.Content;

namespace Peerbucket.S3.Http;

/// <summary>Operation to handler: the one table of what Peerbucket answers.</summary>
internal static class S3Dispatcher
{
    public static Task DispatchAsync(S3Request request) => request.Route.Operation switch
    {
        S3Operation.ListBuckets => BucketHandlers.ListBucketsAsync(request),
        S3Operation.CreateBucket => BucketHandlers.CreateAsync(request),
        S3Operation.HeadBucket => BucketHandlers.HeadAsync(request),
        S3Operation.DeleteBucket => BucketHandlers.DeleteAsync(request),
        S3Operation.GetBucketLocation => BucketHandlers.LocationAsync(request),
        S3Operation.GetBucketVersioning => VersioningHandlers.GetAsync(request),
        S3Operation.PostObject => PostObjectHandler.HandleAsync(request),
        S3Operation.GetBucketOwnershipControls => OwnershipControlsHandlers.GetAsync(request),
        S3Operation.PutBucketOwnershipControls => OwnershipControlsHandlers.PutAsync(request),
        S3Operation.DeleteBucketOwnershipControls => OwnershipControlsHandlers.DeleteAsync(request),
        S3Operation.GetObjectLockConfiguration => ObjectLockHandlers.GetConfigurationAsync(request),
        S3Operation.PutObjectLockConfiguration => ObjectLockHandlers.PutConfigurationAsync(request),
        S3Operation.GetObjectRetention => ObjectLockHandlers.GetRetentionAsync(request),
        S3Operation.PutObjectRetention => ObjectLockHandlers.PutRetentionAsync(request),
        S3Operation.GetObjectLegalHold => ObjectLockHandlers.GetLegalHoldAsync(request),
        S3Operation.PutObjectLegalHold => ObjectLockHandlers.PutLegalHoldAsync(request),
        S3Operation.PutBucketVersioning => VersioningHandlers.PutAsync(request),
        S3Operation.GetBucketAcl => AclHandlers.GetBucketAclAsync(request),
        S3Operation.PutBucketAcl => AclHandlers.PutBucketAclAsync(request),
        S3Operation.GetBucketPolicy => PolicyHandlers.GetAsync(request),
        S3Operation.PutBucketPolicy => PolicyHandlers.PutAsync(request),
        S3Operation.DeleteBucketPolicy => PolicyHandlers.DeleteAsync(request),
        S3Operation.ListObjects => ListObjectsHandler.V1Async(request),
        S3Operation.ListObjectsV2 => ListObjectsHandler.V2Async(request),
        S3Operation.ListObjectVersions => ListVersionsHandler.HandleAsync(request),
        S3Operation.ListMultipartUploads => MultipartHandlers.ListUploadsAsync(request),
        S3Operation.DeleteObjects => DeleteHandlers.DeleteObjectsAsync(request),
        S3Operation.GetObject => GetObjectHandler.HandleAsync(request, head: false),
        S3Operation.HeadObject => GetObjectHandler.HandleAsync(request, head: true),
        S3Operation.PutObject => PutObjectHandler.HandleAsync(request),
        S3Operation.CopyObject => CopyObjectHandler.HandleAsync(request),
        S3Operation.DeleteObject => DeleteHandlers.DeleteObjectAsync(request),
        S3Operation.GetObjectAcl => AclHandlers.GetObjectAclAsync(request),
        S3Operation.PutObjectAcl => AclHandlers.PutObjectAclAsync(request),
        S3Operation.CreateMultipartUpload => MultipartHandlers.CreateAsync(request),
        S3Operation.UploadPart => MultipartHandlers.UploadPartAsync(request),
        S3Operation.UploadPartCopy => MultipartHandlers.UploadPartCopyAsync(request),
        S3Operation.CompleteMultipartUpload => CompleteMultipartHandler.HandleAsync(request),
        S3Operation.AbortMultipartUpload => MultipartHandlers.AbortAsync(request),
        S3Operation.ListParts => MultipartHandlers.ListPartsAsync(request),
        S3Operation.GetObjectTorrent => ContentDocumentHandler.HandleAsync(request, ContentDocumentKind.Torrent),
        S3Operation.GetObjectMagnet => ContentDocumentHandler.HandleAsync(request, ContentDocumentKind.Magnet),
        S3Operation.GetObjectAttributes => ObjectAttributesHandler.HandleAsync(request),
        S3Operation.GetObjectTagging => TaggingHandlers.GetObjectAsync(request),
        S3Operation.PutObjectTagging => TaggingHandlers.PutObjectAsync(request),
        S3Operation.DeleteObjectTagging => TaggingHandlers.DeleteObjectAsync(request),
        S3Operation.GetBucketTagging => TaggingHandlers.GetBucketAsync(request),
        S3Operation.PutBucketTagging => TaggingHandlers.PutBucketAsync(request),
        S3Operation.DeleteBucketTagging => TaggingHandlers.DeleteBucketAsync(request),
        S3Operation.GetPublicAccessBlock => PublicAccessBlockHandlers.GetAsync(request),
        S3Operation.PutPublicAccessBlock => PublicAccessBlockHandlers.PutAsync(request),
        S3Operation.DeletePublicAccessBlock => PublicAccessBlockHandlers.DeleteAsync(request),
        S3Operation.GetBucketCors => CorsHandlers.GetAsync(request),
        S3Operation.PutBucketCors => CorsHandlers.PutAsync(request),
        S3Operation.DeleteBucketCors => CorsHandlers.DeleteAsync(request),
        S3Operation.GetBucketSubresource => BucketSubresourceHandlers.GetAsync(request),
        S3Operation.DeleteBucketSubresource => BucketSubresourceHandlers.DeleteAsync(request),
        _ => throw new S3Exception(S3ErrorCode.NotImplemented),
    };
}
