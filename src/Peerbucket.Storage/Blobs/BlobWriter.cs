namespace Peerbucket.Storage.Blobs;

/// <summary>A blob being written. Disposing it before <see cref="BlobStore.PublishAsync"/> deletes it.</summary>
public sealed class BlobWriter : IAsyncDisposable
{
    private readonly FileStream _stream;
    private bool _published;

    internal BlobWriter(string blobId, string tempPath)
    {
        BlobId = blobId;
        TempPath = tempPath;
        _stream = new FileStream(tempPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
    }

    public string BlobId { get; }

    internal string TempPath { get; }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(data, cancellationToken);
        Length += data.Length;
    }

    internal async Task CloseDurablyAsync()
    {
        await _stream.FlushAsync();
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
    }

    internal void MarkPublished() => _published = true;

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        if (!_published)
        {
            File.Delete(TempPath);
        }
    }
}
