using Peerbucket.Storage.Blobs;

namespace Peerbucket.Storage.Tests.Blobs;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempStore temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void DirectorySyncFlushesADirectory() => DirectorySync.Flush(temp.Directory);

    [Fact]
    public void DirectorySyncOfAMissingDirectoryIsAnIOException()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // nothing to sync there
        }

        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(temp.Directory, "missing")));
        Assert.Contains("open of directory", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Publishing creates shard directories on the way (and syncs them and the renames); concurrent publishers
    /// into the same new shards all end readable.</summary>
    [Fact]
    public async Task ConcurrentPublishesIntoNewShardsAreAllReadable()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            await using var writer = temp.Store.Blobs.CreateWriter();
            await writer.WriteAsync(new[] { (byte)i });
            await temp.Store.Blobs.PublishAsync(writer);
            return writer.BlobId;
        }));

        foreach (var id in ids)
        {
            using var handle = temp.Store.Blobs.TryOpenRead(id);
            Assert.NotNull(handle);
            Assert.Equal(1, RandomAccess.GetLength(handle));
        }
    }
}
