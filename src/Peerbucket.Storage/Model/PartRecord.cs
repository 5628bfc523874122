namespace Peerbucket.Storage.Model;

public sealed record PartRecord(
    int PartNumber,
    string BlobId,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Checksums);
