namespace Peerbucket.Storage.Model;

/// <summary>
/// One version of a key: an object (current or noncurrent) or a delete marker (<see cref="Object"/> null).
/// </summary>
/// <param name="VersionId">The version id; null for the null version (written while the bucket was unversioned or
/// suspended), which S3 names "null".</param>
/// <param name="IsLatest">True for the key's newest version: its current object, or the delete marker that hides it.</param>
public sealed record ObjectVersion(string Key, string? VersionId, DateTimeOffset LastModified, bool IsLatest, ObjectRecord? Object)
{
    public bool IsDeleteMarker => Object is null;

    /// <summary>Where the version stands in its key's order (higher is newer); listings resume from it.</summary>
    internal long Position { get; init; }
}
