using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Content;

namespace Peerbucket.S3.Writes;

/// <summary>A body written to a new blob that nothing refers to yet, with what was computed on the way. Disposing it
/// without committing deletes the blob.</summary>
public sealed class StagedObject(BlobWriter blob, long size, byte[] md5, string? checksum, ContentFacts? content) : IAsyncDisposable
{
    internal BlobWriter Blob { get; } = blob;

    public long Size { get; } = size;

    /// <summary>The MD5 of the bytes (empty when not computed).</summary>
    public byte[] Md5 { get; } = md5;

    /// <summary>The requested flexible checksum, base64, or null.</summary>
    public string? Checksum { get; } = checksum;

    /// <summary>The content facts, in final form, or null.</summary>
    public ContentFacts? Content { get; } = content;

    public ValueTask DisposeAsync() => Blob.DisposeAsync();
}
