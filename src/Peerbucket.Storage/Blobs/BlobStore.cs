using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;

namespace Peerbucket.Storage.Blobs;

/// <summary>
/// Object bytes as files under the data directory. A blob is written under tmp/, made durable, then
/// renamed into blobs/ before its metadata commits; names are random ids, never derived from keys.
/// </summary>
public sealed class BlobStore
{
    private readonly string _blobRoot;
    private readonly string _tempRoot;

    /// <summary>Shard directories (blobs/xx) known to be durable entries of blobs/ in this process.</summary>
    private readonly ConcurrentDictionary<string, bool> _durableShards = new(StringComparer.Ordinal);

    public BlobStore(string dataDirectory)
    {
        _blobRoot = Path.Combine(dataDirectory, "blobs");
        _tempRoot = Path.Combine(dataDirectory, "tmp");
        Directory.CreateDirectory(_blobRoot);
        Directory.CreateDirectory(_tempRoot);
        DirectorySync.Flush(dataDirectory);
    }

    public BlobWriter CreateWriter()
    {
        var id = Guid.NewGuid().ToString("N");
        return new BlobWriter(id, Path.Combine(_tempRoot, id));
    }

    /// <summary>Flushes the writer to disk and moves it to its final place, durably: the rename is flushed too (the
    /// shard directory, and blobs/ when the shard is new), so a committed object never names a blob a power loss
    /// took back. After this the blob is readable by id.</summary>
    public async Task PublishAsync(BlobWriter writer)
    {
        await writer.CloseDurablyAsync();
        var target = PathOf(writer.BlobId);
        var shard = Path.GetDirectoryName(target)!;
        if (!_durableShards.ContainsKey(shard))
        {
            Directory.CreateDirectory(shard);
            DirectorySync.Flush(_blobRoot);
            _durableShards[shard] = true;
        }

        File.Move(writer.TempPath, target);
        DirectorySync.Flush(shard);
        writer.MarkPublished();
    }

    public string PathOf(string blobId)
    {
        if (blobId.Length != 32 || !blobId.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("not a blob id", nameof(blobId));
        }

        return Path.Combine(_blobRoot, blobId[..2], blobId);
    }

    /// <summary>Opens a blob for positional reads, or null when it is gone (overwritten and deleted meanwhile).</summary>
    public SafeFileHandle? TryOpenRead(string blobId)
    {
        try
        {
            return File.OpenHandle(PathOf(blobId), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string blobId) => File.Delete(PathOf(blobId));

    /// <summary>Removes every unfinished temporary blob (left by a crash or an aborted request).</summary>
    public int CleanTemporaryFiles()
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(_tempRoot))
        {
            File.Delete(file);
            count++;
        }

        return count;
    }

    public IEnumerable<string> EnumerateBlobIds() =>
        Directory.EnumerateFiles(_blobRoot, "*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>();
}
