namespace Peerbucket.Storage.Model;

/// <summary>Everything needed to commit a finished blob as the current version of a key.</summary>
public sealed record ObjectWrite(
    string Bucket,
    string Key,
    string ETag,
    ObjectAttributes Attributes,
    IReadOnlyDictionary<string, string> Checksums,
    byte[]? ContentFacts);
