namespace Peerbucket.Storage.Model;

public sealed record MultipartUpload(string UploadId, string Bucket, string Key, DateTimeOffset Initiated, ObjectAttributes Attributes, string? ChecksumAlgorithm);
