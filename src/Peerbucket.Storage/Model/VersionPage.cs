namespace Peerbucket.Storage.Model;

/// <summary>One page of ListObjectVersions: versions and delete markers by key, newest first within a key.</summary>
public sealed record VersionPage(
    IReadOnlyList<ObjectVersion> Versions,
    IReadOnlyList<string> CommonPrefixes,
    bool IsTruncated,
    string? NextKeyMarker,
    string? NextVersionIdMarker);
