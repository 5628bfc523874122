using Peerbucket.Storage.Accounting;


namespace Peerbucket.Swarm.Seeder;

/// <summary>What the seeder did: block bytes sent (per object and in total, kept by the shared <see cref="EgressMeter"/>),
/// open connections, and closed connections by <see cref="DisconnectReason"/>.</summary>
public sealed class SeederStats(EgressMeter egress)
{
    private readonly long[] _closed = new long[Enum.GetValues<DisconnectReason>().Length];
    private int _openConnections;

    public SeederStats()
        : this(new EgressMeter())
    {
    }

    public EgressMeter Egress => egress;

    public int OpenConnections => Volatile.Read(ref _openConnections);

    public void AddBytesSent(string bucket, string key, int bytes) => egress.Add(bucket, key, EgressPath.Seeder, bytes);

    public long BytesSentFor(string bucket, string key) => egress.For(bucket, key, EgressPath.Seeder);

    /// <summary>Connections closed for <paramref name="reason"/> since start.</summary>
    public long ClosedFor(DisconnectReason reason) => Interlocked.Read(ref _closed[(int)reason]);

    internal void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    internal void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    internal void Closed(DisconnectReason reason) => Interlocked.Increment(ref _closed[(int)reason]);
}
