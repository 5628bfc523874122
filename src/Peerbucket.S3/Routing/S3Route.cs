namespace Peerbucket.S3.Routing;

/// <summary>A request resolved to an operation on a bucket and key (both decoded).</summary>
internal sealed record S3Route(S3Operation Operation, string? Bucket, string? Key, S3Query Query);
