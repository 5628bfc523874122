using Peerbucket.Storage.Model;

namespace Peerbucket.Storage.Tests;

/// <summary>A real store in a temporary directory, removed afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pb-storage-" + Guid.NewGuid().ToString("N"));
        Store = new ObjectStore(Directory);
    }

    public string Directory { get; }

    public ObjectStore Store { get; }

    public async Task<string> PutAsync(string bucket, string key, byte[] data)
    {
        await using var writer = Store.Blobs.CreateWriter();
        await writer.WriteAsync(data);
        await Store.Blobs.PublishAsync(writer);
        var write = new ObjectWrite(bucket, key, "etag", new ObjectAttributes(), new Dictionary<string, string>(), null);
        Store.Release((await Store.Objects.CommitAsync(write, writer.BlobId, data.Length, DateTimeOffset.UtcNow)).Released);
        return writer.BlobId;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
