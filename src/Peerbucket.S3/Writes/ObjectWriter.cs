using Peerbucket.Storage;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Writes;

/// <summary>
/// The one write path. <see cref="StageAsync"/> streams a body once into a new blob, through MD5, the requested
/// checksum and the content hasher (torrent facts, in final form); the handler checks what the request promised;
/// then one of the commits publishes the blob durably, commits its metadata in one transaction (the store then
/// announces the change, naming the key) and releases the blobs it replaced. A crash leaves the old object or the new
/// one, never a mix; the clock is the injected one.
/// </summary>
public sealed class ObjectWriter(ObjectStore store, IContentIndexer content, TimeProvider clock)
{
    public async Task<StagedObject> StageAsync(Stream source, StagePlan plan, CancellationToken cancellationToken)
    {
        var blob = store.Blobs.CreateWriter();
        try
        {
            using var hasher = plan.ContentKey is { } key && plan.KnownFacts is null ? content.CreateHasher(key, plan.Length ?? plan.SizeHint ?? 0) : null;
            var result = await ObjectIngest.CopyAsync(source, blob, plan.Length, plan.MaxLength, plan.Checksum, hasher, cancellationToken, plan.ComputeMd5);
            var facts = plan switch
            {
                { ContentKey: { } k, KnownFacts: { } known } => content.Reindex(k, known),
                _ => hasher?.Finish(),
            };
            return new StagedObject(blob, result.Size, result.Md5, result.Checksum, facts);
        }
        catch
        {
            await blob.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes the staged bytes the object <paramref name="bucket"/>/<paramref name="key"/>; returns its time and version.</summary>
    public async Task<CommittedObject> CommitObjectAsync(StagedObject staged, string bucket, string key, string etag,
        ObjectAttributes attributes, IReadOnlyDictionary<string, string> checksums, WritePrecondition? precondition = null)
    {
        await store.Blobs.PublishAsync(staged.Blob);
        var now = clock.GetUtcNow();
        var write = new ObjectWrite(bucket, key, etag, attributes, checksums, staged.Content) { Precondition = precondition };
        WriteOutcome outcome;
        try
        {
            outcome = await store.Objects.CommitAsync(write, staged.Blob.BlobId, staged.Size, now);
        }
        catch (StorageException)
        {
            store.Release([staged.Blob.BlobId]); // refused (no bucket, a condition): the published bytes belong to nothing
            throw;
        }

        store.Release(outcome.Released);
        return new CommittedObject(now, outcome.VersionId);
    }

    /// <summary>Records the staged bytes as part <paramref name="partNumber"/> of an upload; returns its time.</summary>
    public async Task<DateTimeOffset> CommitPartAsync(StagedObject staged, string uploadId, int partNumber, string etag,
        IReadOnlyDictionary<string, string> checksums)
    {
        await store.Blobs.PublishAsync(staged.Blob);
        var now = clock.GetUtcNow();
        var part = new PartRecord(partNumber, staged.Blob.BlobId, staged.Size, etag, now, checksums);
        store.Release([await store.Multipart.PutPartAsync(uploadId, part)]);
        return now;
    }

    /// <summary>Ends <paramref name="upload"/> with the staged (assembled) bytes as its object, in one transaction
    /// that also drops the parts; returns its time and version.</summary>
    public async Task<CommittedObject> CompleteMultipartAsync(StagedObject staged, MultipartUpload upload, string etag,
        IReadOnlyDictionary<string, string> checksums, IReadOnlyList<ObjectPart> parts, WritePrecondition? precondition = null)
    {
        await store.Blobs.PublishAsync(staged.Blob);
        var now = clock.GetUtcNow();
        var write = new ObjectWrite(upload.Bucket, upload.Key, etag, upload.Attributes, checksums, staged.Content) { Parts = parts, Precondition = precondition };
        WriteOutcome outcome;
        try
        {
            outcome = await store.Multipart.CompleteAsync(upload.UploadId, write, staged.Blob.BlobId, staged.Size, now);
        }
        catch (StorageException)
        {
            store.Release([staged.Blob.BlobId]); // refused (a condition): the upload and its parts stay as they were
            throw;
        }

        store.Release(outcome.Released);
        return new CommittedObject(now, outcome.VersionId);
    }
}
