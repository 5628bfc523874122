namespace Peerbucket.Storage.Model;

/// <summary>What a committed write or delete did.</summary>
/// <param name="Released">Blobs no longer referenced (to be deleted once the transaction committed).</param>
/// <param name="VersionId">The version written or removed, as S3 reports it in <c>x-amz-version-id</c>: a write's new
/// id (none when it wrote the null version), a delete's marker ("null" in a suspended bucket) or the version it
/// removed; null when there is nothing to report (S3 then sends no version header).</param>
/// <param name="DeleteMarker">A delete created a delete marker, or removed one.</param>
public sealed record WriteOutcome(IReadOnlyList<string> Released, string? VersionId, bool DeleteMarker = false);
