namespace Peerbucket.Storage.Access;

/// <summary>What a request wants to do, in IAM's terms, as far as authorization needs to know.</summary>
public enum S3Action
{
    /// <summary>s3:GetObject: GET/HEAD object, and every BitTorrent path (?torrent, ?magnet, tracker, seeder, web seed).</summary>
    GetObject,

    /// <summary>s3:GetObjectVersion: a GET/HEAD (or torrent) that names a version id.</summary>
    GetObjectVersion,

    /// <summary>s3:ListBucket: list keys; also decides whether a missing key is NoSuchKey or AccessDenied.</summary>
    ListBucket,

    /// <summary>s3:ListBucketVersions: ListObjectVersions.</summary>
    ListBucketVersions,

    /// <summary>Writes and deletes of objects, multipart uploads: the owner, or whoever the bucket ACL grants WRITE.</summary>
    WriteObject,

    /// <summary>GetBucketAcl / GetObjectAcl: the owner, or whoever the ACL grants READ_ACP.</summary>
    ReadAcl,

    /// <summary>PutBucketAcl / PutObjectAcl: the owner, or whoever the ACL grants WRITE_ACP.</summary>
    WriteAcl,

    /// <summary>Everything else: policies, versioning, lock, CORS, tagging, ... Owner only.</summary>
    Administer,
}
