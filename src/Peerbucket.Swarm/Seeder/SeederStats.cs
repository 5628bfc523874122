using System.Collections.Concurrent;

namespace Peerbucket.Swarm.Seeder;

/// <summary>What the seeder did: bytes sent in piece messages (in total and per object), open connections.</summary>
public sealed class SeederStats
{
    private readonly ConcurrentDictionary<string, long> _bytesPerObject = new(StringComparer.Ordinal);
    private long _totalBytesSent;
    private int _openConnections;

    /// <summary>Block bytes sent to peers since start.</summary>
    public long TotalBytesSent => Interlocked.Read(ref _totalBytesSent);

    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Block bytes sent per object, keyed <c>bucket/key</c>.</summary>
    public IReadOnlyDictionary<string, long> BytesSentPerObject => _bytesPerObject;

    public static string ObjectKey(string bucket, string key) => bucket + "/" + key;

    public void AddBytesSent(string objectKey, int bytes)
    {
        Interlocked.Add(ref _totalBytesSent, bytes);
        _bytesPerObject.AddOrUpdate(objectKey, bytes, (_, old) => old + bytes);
    }

    public long BytesSentFor(string bucket, string key) => _bytesPerObject.GetValueOrDefault(ObjectKey(bucket, key));

    internal void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    internal void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);
}
